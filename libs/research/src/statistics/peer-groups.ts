import type { BelgianGeography } from '../geography/belgian-geography.js';

/** What a peer group is drawn by: the province or the region of the main venue, or the main activity type. */
export const PEER_KINDS = ['province', 'region', 'activityType'] as const;
export type PeerKind = (typeof PEER_KINDS)[number];

/** A comparison is shown only against at least this many other organisations (the rule). */
export const MINIMUM_PEERS = 5;

/** Tickets of one organisation at venues of one municipality, of one activity type. */
export interface OrganizationTickets {
  organization: string;
  venueNis5: string | null;
  activityType: string | null;
  tickets: number;
}

/** An organisation's single value per peer kind (null when unknown: no venue municipality, no type). */
export interface OrganizationProfile {
  organization: string;
  tickets: number;
  province: string | null;
  region: string | null;
  activityType: string | null;
}

export interface PeerGroup {
  kind: PeerKind;
  /** The value the organisation and its peers share (a province, region or type code); null: none. */
  code: string | null;
  /** The other organisations with the same value: never the organisation itself. */
  peers: string[];
  /** Whether the group is large enough to be shown. */
  available: boolean;
}

/** The key with the largest total; ties go to the smallest key, so the choice is deterministic. */
function main(totals: Map<string, number>): string | null {
  let best: string | null = null;
  let bestTotal = -1;
  for (const [key, total] of [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (total > bestTotal) {
      best = key;
      bestTotal = total;
    }
  }
  return best;
}

/**
 * One profile per organisation: the province and region of the venue municipality where it sells most
 * tickets (Brussels counts as a province), and the activity type with most of its tickets (decision R11).
 */
export function organizationProfiles(rows: readonly OrganizationTickets[], geography: Pick<BelgianGeography, 'provinceOf' | 'regionOf'>): OrganizationProfile[] {
  const byOrganization = new Map<string, { tickets: number; venues: Map<string, number>; types: Map<string, number> }>();
  for (const row of rows) {
    const entry = byOrganization.get(row.organization) ?? { tickets: 0, venues: new Map(), types: new Map() };
    entry.tickets += row.tickets;
    if (row.venueNis5) entry.venues.set(row.venueNis5, (entry.venues.get(row.venueNis5) ?? 0) + row.tickets);
    if (row.activityType) entry.types.set(row.activityType, (entry.types.get(row.activityType) ?? 0) + row.tickets);
    byOrganization.set(row.organization, entry);
  }
  return [...byOrganization]
    .map(([organization, entry]) => {
      const venue = main(entry.venues);
      return {
        organization,
        tickets: entry.tickets,
        province: venue ? geography.provinceOf(venue) : null,
        region: venue ? geography.regionOf(venue) : null,
        activityType: main(entry.types),
      };
    })
    .sort((a, b) => (a.organization < b.organization ? -1 : 1));
}

/** The organisation's peer group of one kind: the others with the same value, the organisation left out. */
export function peerGroup(profiles: readonly OrganizationProfile[], organization: string, kind: PeerKind): PeerGroup {
  const own = profiles.find((profile) => profile.organization === organization);
  const code = own?.[kind] ?? null;
  const peers = code === null ? [] : profiles.filter((profile) => profile.organization !== organization && profile[kind] === code).map((profile) => profile.organization);
  return { kind, code, peers, available: peers.length >= MINIMUM_PEERS };
}

/** Why a comparison is not shown, in Dutch and English (never with figures). */
export function peerGroupRefusal(group: PeerGroup): { nl: string; en: string } | null {
  if (group.available) return null;
  const kind = { province: { nl: 'provincie', en: 'province' }, region: { nl: 'gewest', en: 'region' }, activityType: { nl: 'activiteitstype', en: 'activity type' } }[group.kind];
  if (group.code === null) {
    return {
      nl: `Geen vergelijking: van deze organisatie is geen ${kind.nl} bekend in deze periode.`,
      en: `No comparison: this organisation has no known ${kind.en} in this period.`,
    };
  }
  return {
    nl: `Geen vergelijking: de groep van dezelfde ${kind.nl} telt ${group.peers.length} andere organisatie(s), minstens ${MINIMUM_PEERS} zijn nodig om niemand herkenbaar te maken.`,
    en: `No comparison: the peer group of the same ${kind.en} counts ${group.peers.length} other organisation(s); at least ${MINIMUM_PEERS} are needed so that no one can be singled out.`,
  };
}
