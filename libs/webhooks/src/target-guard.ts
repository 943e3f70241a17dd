import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The operator's choice (WEBHOOK_ALLOW_*): by default only https to public addresses. */
export interface TargetPolicy {
  allowPrivate: boolean;
  allowHttp: boolean;
}

export class TargetRefusedError extends Error {
  constructor(readonly messages: { nl: string; en: string }) {
    super(messages.en);
  }
}

/**
 * The range name when an address is not a public unicast address (loopback, private, link-local,
 * unique-local, carrier-grade NAT, multicast, reserved, IPv4-mapped private, ...), else null.
 * ipaddr.js classifies; anything it does not call `unicast` is refused.
 */
export function forbiddenRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

function refusedAddress(host: string, address: string, range: string): TargetRefusedError {
  return new TargetRefusedError({
    nl: `${host} wijst naar ${address} (${range}): webhooks mogen alleen publieke adressen aanroepen.`,
    en: `${host} resolves to ${address} (${range}): webhooks may only call public addresses.`,
  });
}

/** Checks the form of a target URL (scheme, no credentials); throws TargetRefusedError. */
export function checkTargetForm(raw: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TargetRefusedError({ nl: `Geen geldige URL: ${raw}`, en: `Not a valid URL: ${raw}` });
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw new TargetRefusedError({ nl: 'De URL moet met https:// beginnen.', en: 'The URL must start with https://.' });
  }
  if (url.username || url.password) {
    throw new TargetRefusedError({ nl: 'Geen gebruikersnaam of wachtwoord in de URL: webhooks zijn ondertekend.', en: 'No user name or password in the URL: webhooks are signed.' });
  }
  if (raw.length > 2000) throw new TargetRefusedError({ nl: 'De URL is langer dan 2000 tekens.', en: 'The URL is longer than 2000 characters.' });
  return url;
}

function hostOf(url: URL): string {
  // IPv6 literals come bracketed.
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** At registration: the form, and every address the host resolves to now. */
export async function checkTarget(raw: string, policy: TargetPolicy): Promise<URL> {
  const url = checkTargetForm(raw, policy);
  if (policy.allowPrivate) return url;
  const host = hostOf(url);
  const addresses: string[] = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found: LookupAddress[]) => {
          if (error) {
            reject(new TargetRefusedError({ nl: `${host} is niet te vinden (DNS: ${error.code ?? error.message}).`, en: `${host} cannot be resolved (DNS: ${error.code ?? error.message}).` }));
          } else resolve(found.map((entry) => entry.address));
        }),
      );
  for (const address of addresses) {
    const range = forbiddenRange(address);
    if (range) throw refusedAddress(host, address, range);
  }
  return url;
}

/**
 * At delivery: a `lookup` for http(s).request that refuses non-public answers, so the address checked
 * is the address connected to (a DNS answer that changed since registration, "DNS rebinding", is caught).
 * IP literals never reach a lookup: `checkLiteral` covers them.
 */
export function guardedLookup(policy: TargetPolicy): LookupFunction | undefined {
  if (policy.allowPrivate) return undefined;
  return ((hostname: string, options: object, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const entry of found) {
        const range = forbiddenRange(entry.address);
        if (range) return callback(Object.assign(refusedAddress(hostname, entry.address, range), { code: 'ETARGETREFUSED' }), '', 0);
      }
      if ((options as { all?: boolean }).all) return callback(null, found);
      callback(null, found[0].address, found[0].family);
    });
  }) as LookupFunction;
}

export function checkLiteral(url: URL, policy: TargetPolicy): void {
  if (policy.allowPrivate) return;
  const host = hostOf(url);
  if (!isIP(host)) return;
  const range = forbiddenRange(host);
  if (range) throw refusedAddress(host, host, range);
}
