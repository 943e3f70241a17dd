import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { BelgianGeography } from '../geography/belgian-geography.js';
import {
  SALES_CHANNELS,
  TICKET_PRICE_CATEGORIES,
  TICKET_STATUSES,
  type DroppedField,
  type ParticipationProblem,
  type SalesChannel,
  type StrippedItem,
  type StrippedParticipant,
  type TicketPriceCategory,
  type TicketStatus,
} from './participation.js';

export interface StripContext {
  sourceId: string;
  /** The operator's secret for pseudonyms and record keys (PSEUDONYM_KEY). */
  pseudonymKey: string;
  geography: BelgianGeography;
  now: Date;
}

/**
 * Fields that name or contact a person, or identify them in the vendor's books: refused wherever they
 * appear (any level, any spelling of case, dashes or underscores). Compared after normalisation.
 */
const PERSONAL_FIELDS = new Set(
  [
    'name', 'firstName', 'lastName', 'givenName', 'familyName', 'fullName', 'surname', 'voornaam', 'achternaam', 'naam',
    'email', 'emailAddress', 'mail', 'eMail',
    'phone', 'phoneNumber', 'telephone', 'mobile', 'gsm', 'telefoon',
    'street', 'streetAddress', 'straat', 'address', 'adres', 'addressLine', 'addressLine1', 'addressLine2',
    'houseNumber', 'huisnummer', 'number', 'box', 'bus', 'busnummer',
    'customerNumber', 'customerId', 'clientNumber', 'klantnummer', 'contactId', 'accountId', 'userId', 'uitpasNumber', 'cardNumber',
    'birthDate', 'dateOfBirth', 'geboortedatum', 'birthday',
    'iban', 'bic', 'nationalNumber', 'rijksregisternummer', 'ssn', 'ip', 'ipAddress', 'deviceId', 'gender', 'sex', 'geslacht',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

const TICKET_FIELDS = ['id', 'transaction', 'performance', 'soldAt', 'priceCategory', 'price', 'currency', 'channel', 'status', 'attended', 'participant'];
const PARTICIPANT_FIELDS = ['id', 'email', 'birthYear', 'birthDate', 'postcode', 'statisticalSector', 'country'];

const PRICE_CATEGORY_ALIASES: Record<string, TicketPriceCategory> = {
  basis: 'basis', base: 'basis', regular: 'basis', standard: 'basis',
  tarief: 'tarief', tariff: 'tarief', reduced: 'tarief', korting: 'tarief',
  kansentarief: 'kansentarief', social: 'kansentarief', sociaaltarief: 'kansentarief', opportunity: 'kansentarief',
  uitpas: 'uitpas',
  gratis: 'gratis', free: 'gratis',
};

const CHANNEL_ALIASES: Record<string, SalesChannel> = {
  online: 'online', web: 'online', webshop: 'online', internet: 'online',
  boxoffice: 'box-office', kassa: 'box-office', balie: 'box-office', desk: 'box-office',
  phone: 'phone', telefoon: 'phone',
  reseller: 'reseller', voorverkoop: 'reseller', partner: 'reseller',
  other: 'other', anders: 'other',
};

// The operator's key imported once as a KeyObject: createHmac with a string key imports it on every call
// (measured ~30 % of an HMAC; a pushed ticket takes three or four).
const keyObjects = new Map<string, KeyObject>();
function keyObjectOf(key: string): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    if (keyObjects.size > 16) keyObjects.clear();
    object = createSecretKey(Buffer.from(key, 'utf8'));
    keyObjects.set(key, object);
  }
  return object;
}

/** A keyed pseudonym: HMAC-SHA256 under the operator's key, base64url, 128 bits (collisions negligible). */
export function pseudonymOf(key: string, identity: string): string {
  return createHmac('sha256', keyObjectOf(key)).update(identity).digest('base64url').slice(0, 22);
}

/** A record key in [0,1) for cell-key perturbation, deterministic so that the same record always counts the same. */
export function recordKeyOf(key: string, identity: string): number {
  return createHmac('sha256', keyObjectOf(key)).update(`record-key:${identity}`).digest().readUInt32BE(0) / 2 ** 32;
}

function problem(position: number, path: string, nl: string, en: string, constraint: string): ParticipationProblem {
  return { focusNode: `/items/${position}`, path, severity: 'Violation', message: { nl, en }, constraint };
}

/** Walks an object and names every key that is personal data (including inside nested objects and arrays). */
function personalPaths(value: unknown, path: string, found: DroppedField[]): void {
  if (Array.isArray(value)) {
    value.forEach((entry, index) => personalPaths(entry, `${path}/${index}`, found));
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    if (PERSONAL_FIELDS.has(normalizeKey(key))) found.push({ path: `${path}/${key}`, reason: 'personal-data' });
    else personalPaths(inner, `${path}/${key}`, found);
  }
}

/**
 * One pushed ticket (documented JSON format, see docs/guide-researchers.md) to its stripped form: only
 * the whitelisted fields survive; personal data is dropped and named in `dropped`. Pure: the same input
 * and key always give the same output.
 */
export function stripTicket(raw: unknown, position: number, context: StripContext): StrippedItem {
  const dropped: DroppedField[] = [];
  const problems: ParticipationProblem[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { position, externalId: null, dropped, problems: [problem(position, '/', 'Een ticket is een JSON-object.', 'A ticket is a JSON object.', 'json-schema:type')] };
  }
  const item = raw as Record<string, unknown>;
  for (const key of Object.keys(item)) {
    if (TICKET_FIELDS.includes(key)) continue;
    if (PERSONAL_FIELDS.has(normalizeKey(key))) dropped.push({ path: `/${key}`, reason: 'personal-data' });
    else {
      personalPaths(item[key], `/${key}`, dropped);
      dropped.push({ path: `/${key}`, reason: 'unknown-field' });
    }
  }
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : undefined);
  const ticketId = text(item.id);
  const performance = text(item.performance);
  if (!ticketId) problems.push(problem(position, '/id', 'Het ticket heeft geen id (de id van het ticket bij de verkoper).', 'The ticket has no id (the vendor\'s ticket id).', 'json-schema:required'));
  if (!performance) {
    problems.push(problem(position, '/performance', 'Het ticket noemt geen uitvoering (de id van de uitvoering zoals gepusht).', 'The ticket names no performance (the performance id as pushed).', 'json-schema:required'));
  }
  const soldAt = typeof item.soldAt === 'string' && !Number.isNaN(Date.parse(item.soldAt)) ? new Date(item.soldAt) : null;
  if (!soldAt) problems.push(problem(position, '/soldAt', 'soldAt moet een ISO 8601-tijdstip zijn.', 'soldAt must be an ISO 8601 date-time.', 'json-schema:format'));
  else if (soldAt.getTime() > context.now.getTime() + 24 * 3600_000) {
    problems.push(problem(position, '/soldAt', 'soldAt ligt in de toekomst.', 'soldAt lies in the future.', 'participation:sold-at'));
  }

  const priceCategory = item.priceCategory === undefined ? 'basis' : PRICE_CATEGORY_ALIASES[normalizeKey(String(item.priceCategory))];
  if (!priceCategory) {
    problems.push(
      problem(position, '/priceCategory', `Onbekende prijscategorie; gebruik ${TICKET_PRICE_CATEGORIES.join(', ')}.`, `Unknown price category; use ${TICKET_PRICE_CATEGORIES.join(', ')}.`, 'json-schema:enum'),
    );
  }
  const price = item.price === undefined ? 0 : item.price;
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0 || price > 100_000) {
    problems.push(problem(position, '/price', 'De prijs is een bedrag in euro, 0 of meer.', 'The price is an amount in euro, 0 or more.', 'json-schema:minimum'));
  }
  if (item.currency !== undefined && item.currency !== 'EUR') {
    problems.push(problem(position, '/currency', 'Alleen EUR wordt aanvaard.', 'Only EUR is accepted.', 'json-schema:enum'));
  }
  const channel = item.channel === undefined ? 'other' : CHANNEL_ALIASES[normalizeKey(String(item.channel))];
  if (!channel) {
    problems.push(problem(position, '/channel', `Onbekend verkoopkanaal; gebruik ${SALES_CHANNELS.join(', ')}.`, `Unknown sales channel; use ${SALES_CHANNELS.join(', ')}.`, 'json-schema:enum'));
  }
  const status = (item.status ?? 'sold') as TicketStatus;
  if (!TICKET_STATUSES.includes(status)) {
    problems.push(problem(position, '/status', 'status is sold of cancelled.', 'status is sold or cancelled.', 'json-schema:enum'));
  }
  if (item.attended !== undefined && typeof item.attended !== 'boolean') {
    problems.push(problem(position, '/attended', 'attended is true of false.', 'attended is true or false.', 'json-schema:type'));
  }
  if (item.transaction !== undefined && !text(item.transaction)) {
    problems.push(problem(position, '/transaction', 'transaction is de id van de bestelling (tekst).', 'transaction is the order id (text).', 'json-schema:type'));
  }

  const participant = stripParticipant(item.participant, position, ticketId ?? String(position), context, dropped, problems);
  const externalId = ticketId ?? null;
  if (problems.length > 0) return { position, externalId, dropped, problems };
  return {
    position,
    externalId,
    dropped,
    problems,
    ticket: {
      ticketId: ticketId!,
      ...(text(item.transaction) ? { transactionId: text(item.transaction) } : {}),
      performance: performance!,
      soldAt: soldAt!.toISOString(),
      priceCategory: priceCategory!,
      priceCents: Math.round((price as number) * 100),
      channel: channel!,
      status,
      ...(typeof item.attended === 'boolean' ? { attended: item.attended } : {}),
      cellKey: recordKeyOf(context.pseudonymKey, `ticket:${context.sourceId}:${ticketId}`),
      participant,
    },
  };
}

function stripParticipant(raw: unknown, position: number, ticketId: string, context: StripContext, dropped: DroppedField[], problems: ParticipationProblem[]): StrippedParticipant {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(problem(position, '/participant', 'participant is een JSON-object.', 'participant is a JSON object.', 'json-schema:type'));
    return {};
  }
  const item = raw as Record<string, unknown>;
  const kept: StrippedParticipant = {};
  for (const key of Object.keys(item)) {
    if (PARTICIPANT_FIELDS.includes(key)) continue;
    if (PERSONAL_FIELDS.has(normalizeKey(key))) dropped.push({ path: `/participant/${key}`, reason: 'personal-data' });
    else {
      personalPaths(item[key], `/participant/${key}`, dropped);
      dropped.push({ path: `/participant/${key}`, reason: 'unknown-field' });
    }
  }
  // Identity: the e-mail (normalised) counts the same person across organisations; else the vendor's own customer id.
  const email = typeof item.email === 'string' && item.email.includes('@') ? item.email.trim().toLowerCase() : undefined;
  const customerId = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id).trim() : undefined;
  if (item.email !== undefined) dropped.push({ path: '/participant/email', reason: 'personal-data' });
  if (item.id !== undefined) dropped.push({ path: '/participant/id', reason: 'personal-data' });
  const identity = email ? `email:${email}` : customerId ? `customer:${context.sourceId}:${customerId}` : undefined;
  if (identity) {
    kept.pseudonym = pseudonymOf(context.pseudonymKey, identity);
    kept.cellKey = recordKeyOf(context.pseudonymKey, `participant:${kept.pseudonym}`);
  }

  let birthYear: number | undefined;
  if (item.birthYear !== undefined) {
    birthYear = Number(item.birthYear);
    if (!Number.isInteger(birthYear)) {
      problems.push(problem(position, '/participant/birthYear', 'birthYear is een jaartal.', 'birthYear is a year.', 'json-schema:type'));
      birthYear = undefined;
    }
  } else if (item.birthDate !== undefined) {
    // Exact birth dates are never kept: reduced to the year at once.
    const match = typeof item.birthDate === 'string' ? /^(\d{4})-\d{2}-\d{2}/.exec(item.birthDate) : null;
    if (match) birthYear = Number(match[1]);
    dropped.push({ path: '/participant/birthDate', reason: 'reduced' });
  }
  if (item.birthDate !== undefined && item.birthYear !== undefined) dropped.push({ path: '/participant/birthDate', reason: 'personal-data' });
  if (birthYear !== undefined) {
    const age = context.now.getUTCFullYear() - birthYear;
    if (age < 0 || age > 120) {
      problems.push(problem(position, '/participant/birthYear', 'birthYear ligt buiten 0 tot 120 jaar geleden.', 'birthYear is not between 0 and 120 years ago.', 'json-schema:range'));
    } else kept.birthYear = birthYear;
  }

  const country = typeof item.country === 'string' ? item.country.trim().toUpperCase() : 'BE';
  if (!/^[A-Z]{2}$/.test(country)) problems.push(problem(position, '/participant/country', 'country is een ISO 3166-1-code (BE).', 'country is an ISO 3166-1 code (BE).', 'json-schema:pattern'));
  else if (country !== 'BE') kept.country = country;

  if (item.statisticalSector !== undefined) {
    const sector = String(item.statisticalSector);
    const municipality = context.geography.municipalityOfSector(sector);
    if (!municipality) {
      problems.push(
        problem(position, '/participant/statisticalSector', `Onbekende statistische sector ${sector}.`, `Unknown statistical sector ${sector}.`, 'reference:statistical-sector'),
      );
    } else {
      kept.statisticalSector = sector.trim().toUpperCase().replace(/-+$/, '');
      kept.municipality = municipality;
    }
  }
  if (item.postcode !== undefined) {
    const postcode = String(item.postcode).trim();
    if (country === 'BE') {
      // Only the ten postcodes spanning several municipalities need the (keyed, per ticket) pick.
      const pick = context.geography.postcodeSpansSeveral(postcode) ? recordKeyOf(context.pseudonymKey, `postcode-pick:${context.sourceId}:${ticketId}`) : 0;
      const municipality = context.geography.municipalityOfPostcode(postcode, pick);
      if (!municipality) problems.push(problem(position, '/participant/postcode', `Onbekende Belgische postcode ${postcode}.`, `Unknown Belgian postcode ${postcode}.`, 'reference:postcode'));
      else kept.municipality ??= municipality;
    }
    // The postcode itself is not kept: the municipality is what statistics use.
    dropped.push({ path: '/participant/postcode', reason: 'reduced' });
  }
  return kept;
}
