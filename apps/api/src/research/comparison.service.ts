import { Injectable } from '@nestjs/common';
import {
  compareParticipation,
  MINIMUM_PEERS,
  organizationProfiles,
  PEER_KINDS,
  peerGroup,
  peerGroupRefusal,
  type ComparisonRow,
  type ComparisonSide,
  type OrganizationProfile,
  type PeerKind,
} from '@platform/research';
import { ParticipationQueryStore, type ParticipationDimension, type ParticipationFilter } from '@platform/storage';
import { ApiError, type BilingualMessage } from '../errors/api-error.js';
import { checkGroupBy, PARTICIPATION_MEASURES, ParticipationStatisticsService, type ParticipationMeasure } from './participation-statistics.service.js';

export interface CodeAndLabel {
  code: string;
  label: string;
}

export interface OrganizerChoice extends CodeAndLabel {
  province: CodeAndLabel | null;
  region: CodeAndLabel | null;
  activityType: CodeAndLabel | null;
  /** How many other organisations share each value (the organisation itself left out). */
  peers: Record<PeerKind, number>;
}

export interface Comparison {
  organizer: CodeAndLabel;
  peers: { kind: PeerKind; code: string | null; label: string | null; organizations: number };
  minimumPeers: number;
  available: boolean;
  reason: BilingualMessage | null;
  groupBy: ParticipationDimension[];
  measures: ParticipationMeasure[];
  k: number;
  rows: Array<Omit<ComparisonRow, 'coordinates' | 'labels'> & { coordinates: Array<{ dimension: string; code: string; label: string }> }>;
}

/** Where the peer kind's value comes from, for its label. */
const LABEL_DIMENSION: Record<PeerKind, ParticipationDimension> = { province: 'homeProvince', region: 'homeRegion', activityType: 'activityType' };

/** Comparators: an organisation against the aggregate of its peer group, both sides protected as separate tables. */
@Injectable()
export class ComparisonService {
  constructor(
    private readonly statistics: ParticipationStatisticsService,
    private readonly store: ParticipationQueryStore,
  ) {}

  /**
   * Who belongs to which group follows the period only: never the person filters (age, home area,
   * tariff...), so that a list of organisations or a group size cannot tell whether someone of a small
   * category went to a given house.
   */
  private async profiles(filter: ParticipationFilter): Promise<OrganizationProfile[]> {
    const period: ParticipationFilter = { ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}) };
    return organizationProfiles(await this.store.organizationProfiles(period), this.statistics.geography);
  }

  private async label(kind: PeerKind, code: string | null): Promise<string | null> {
    if (code === null) return null;
    return (await this.statistics.labelsOf(LABEL_DIMENSION[kind], [code])).get(code) ?? code;
  }

  /** The organisations with participation under the filter, with their peer-group values and sizes. */
  async organizers(filter: ParticipationFilter): Promise<{ minimumPeers: number; organizers: OrganizerChoice[] }> {
    const profiles = await this.profiles(filter);
    const names = await this.statistics.labelsOf('organizer', profiles.map((profile) => profile.organization));
    const labels = new Map<string, string>();
    for (const kind of PEER_KINDS) {
      const codes = [...new Set(profiles.map((profile) => profile[kind]).filter((code): code is string => code !== null))];
      const known = await this.statistics.labelsOf(LABEL_DIMENSION[kind], codes);
      for (const code of codes) labels.set(`${kind}|${code}`, known.get(code) ?? code);
    }
    const value = (kind: PeerKind, code: string | null) => (code === null ? null : { code, label: labels.get(`${kind}|${code}`)! });
    return {
      minimumPeers: MINIMUM_PEERS,
      organizers: profiles
        .map((profile) => ({
          code: profile.organization,
          label: names.get(profile.organization) ?? profile.organization,
          province: value('province', profile.province),
          region: value('region', profile.region),
          activityType: value('activityType', profile.activityType),
          peers: Object.fromEntries(PEER_KINDS.map((kind) => [kind, peerGroup(profiles, profile.organization, kind).peers.length])) as Record<PeerKind, number>,
        }))
        .sort((a, b) => a.label.localeCompare(b.label, 'nl')),
    };
  }

  async compare(organizer: string | undefined, kind: string | undefined, groupBy: string[], filter: ParticipationFilter, measures: string[] | undefined, where: (parameter: string) => string): Promise<Comparison> {
    if (!organizer) throw new ApiError('invalid-argument', { nl: 'organizer is verplicht: de code van een organisatie (zie /v1/research/organizers).', en: 'organizer is required: an organisation code (see /v1/research/organizers).' }, where('organizer'));
    if (!kind || !(PEER_KINDS as readonly string[]).includes(kind)) {
      throw new ApiError('invalid-argument', { nl: `peers is ${PEER_KINDS.join(', ')}.`, en: `peers is one of ${PEER_KINDS.join(', ')}.` }, where('peers'));
    }
    if (filter.organizer) {
      throw new ApiError('invalid-argument', { nl: 'Een vergelijking filtert niet op organizer: de organisatie en haar groep bepalen dat.', en: 'A comparison takes no organizer filter: the organisation and its peer group set it.' }, where('organizer'));
    }
    if (groupBy.length > 1 || groupBy.includes('organizer')) {
      throw new ApiError('invalid-argument', { nl: 'groupBy: hoogstens één dimensie, niet organizer.', en: 'groupBy: at most one dimension, not organizer.' }, where('groupBy'));
    }
    const dimensions = checkGroupBy(groupBy, where('groupBy'));
    const profiles = await this.profiles(filter);
    if (!profiles.some((profile) => profile.organization === organizer)) {
      throw new ApiError(
        'resource-not-found',
        { nl: `Geen deelnamegegevens van organisatie ${organizer} in deze periode.`, en: `No participation of organisation ${organizer} in this period.` },
        where('organizer'),
      );
    }
    const group = peerGroup(profiles, organizer, kind as PeerKind);
    const base = {
      organizer: { code: organizer, label: (await this.statistics.labelsOf('organizer', [organizer])).get(organizer) ?? organizer },
      peers: { kind: group.kind, code: group.code, label: await this.label(group.kind, group.code), organizations: group.peers.length },
      minimumPeers: MINIMUM_PEERS,
      groupBy: dimensions,
      k: this.statistics.k,
    };
    const refusal = peerGroupRefusal(group);
    if (refusal) {
      // Never a figure of a group too small: not even the organisation's own side.
      const chosen = this.statistics.checkMeasures(measures ?? [], where('measures'));
      return { ...base, measures: chosen, available: false, reason: refusal, rows: [] };
    }
    const chosen = this.statistics.checkMeasures(measures ?? [], where('measures'));
    // All measures first (the share needs participants), then only the chosen ones are shown.
    const own = await this.statistics.table(dimensions, { ...filter, organizer: [organizer] }, [], where('groupBy'));
    const peers = await this.statistics.table(dimensions, { ...filter, organizer: group.peers }, [], where('groupBy'));
    const mask = (side: ComparisonSide): ComparisonSide => ({ ...side, ...Object.fromEntries(PARTICIPATION_MEASURES.filter((measure) => !chosen.includes(measure)).map((measure) => [measure, null])) });
    return {
      ...base,
      measures: chosen,
      available: true,
      reason: null,
      rows: compareParticipation(own.cells, peers.cells).map((row) => ({
        organization: mask(row.organization),
        peers: mask(row.peers),
        coordinates: row.coordinates.map((code, index) => ({ dimension: dimensions[index], code, label: row.labels[index] })),
      })),
    };
  }
}
