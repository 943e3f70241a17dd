import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { BelgianGeography, DEFAULT_RULES, protectParticipation, REGIONS, TOTAL, type DisclosureRules, type PublishedCell } from '@platform/research';
import { PARTICIPATION_DIMENSIONS, ParticipationQueryStore, UNKNOWN, type ParticipationDimension, type ParticipationFilter } from '@platform/storage';
import { DataSource } from 'typeorm';
import { canonicalJson } from '@platform/domain';
import { ApiError } from '../errors/api-error.js';

export const PARTICIPATION_MEASURES = ['tickets', 'participants', 'visitsPerParticipant', 'revenue', 'penetration', 'index'] as const;
export type ParticipationMeasure = (typeof PARTICIPATION_MEASURES)[number];

/** Protected tables kept per api process (least recently used evicted). */
const PROTECTED_TABLE_CACHE = 200;

/** More than three dimensions makes tables too sparse to publish anything but suppressed cells. */
export const MAX_GROUP_BY = 3;

const PROVINCES: Record<string, string> = {
  '10000': 'Antwerpen',
  '20001': 'Vlaams-Brabant',
  '20002': 'Brabant wallon',
  '30000': 'West-Vlaanderen',
  '40000': 'Oost-Vlaanderen',
  '50000': 'Hainaut',
  '60000': 'Liège',
  '70000': 'Limburg',
  '80000': 'Luxembourg',
  '90000': 'Namur',
  '04000': 'Brussel / Bruxelles',
};

export interface ParticipationTable {
  groupBy: ParticipationDimension[];
  measures: ParticipationMeasure[];
  k: number;
  /**
   * How the secondary suppression was checked: `audited` (linear programs: every withheld cell's
   * interval is at least k wide) or `closed` (the table was too detailed for the audit's work budget,
   * DISCLOSURE_AUDIT_WORK: every non-empty cell sharing a margin with a withheld one is withheld too).
   */
  suppression: 'audited' | 'closed';
  cells: Array<PublishedCell & { labels: string[] }>;
}

interface ProtectedTable {
  cells: PublishedCell[];
  suppression: 'audited' | 'closed';
}

/** Participation statistics as researchers get them: always protected (suppression + cell-key perturbation). */
@Injectable()
export class ParticipationStatisticsService implements OnApplicationBootstrap {
  /**
   * About 3 MB of CSV (~0.75 s to read, ~20 MB of heap): read a second after start where participation is
   * enabled (PSEUDONYM_KEY), so a researcher's first question does not wait for it; elsewhere on first use.
   */
  get geography(): BelgianGeography {
    return BelgianGeography.load();
  }
  private readonly participationEnabled: boolean;
  private readonly rules: DisclosureRules;
  private readonly auditWork: number;
  private readonly cache = new Map<string, Promise<ProtectedTable>>();

  constructor(
    private readonly store: ParticipationQueryStore,
    private readonly dataSource: DataSource,
    config: ConfigService<AppConfig, true>,
  ) {
    this.rules = {
      ...DEFAULT_RULES,
      k: config.get('DISCLOSURE_K', { infer: true }),
      dominance: { n: config.get('DISCLOSURE_DOMINANCE_N', { infer: true }), percent: config.get('DISCLOSURE_DOMINANCE_PERCENT', { infer: true }) },
    };
    this.auditWork = config.get('DISCLOSURE_AUDIT_WORK', { infer: true });
    this.participationEnabled = Boolean(config.get('PSEUDONYM_KEY', { infer: true }));
  }

  onApplicationBootstrap(): void {
    if (this.participationEnabled) setTimeout(() => BelgianGeography.load(), 1000).unref();
  }

  get k(): number {
    return this.rules.k;
  }

  /** The chosen measures (all when none), each known. */
  checkMeasures(measures: readonly string[], where: string): ParticipationMeasure[] {
    const wanted = measures.length === 0 ? [...PARTICIPATION_MEASURES] : [...measures];
    for (const measure of wanted) {
      if (!(PARTICIPATION_MEASURES as readonly string[]).includes(measure)) {
        throw new ApiError(
          'invalid-argument',
          { nl: `Onbekende maat ${measure}; kies uit ${PARTICIPATION_MEASURES.join(', ')}.`, en: `Unknown measure ${measure}; choose from ${PARTICIPATION_MEASURES.join(', ')}.` },
          where,
        );
      }
    }
    return wanted as ParticipationMeasure[];
  }

  async table(groupBy: string[], filter: ParticipationFilter, measures: string[] = [...PARTICIPATION_MEASURES], where = 'groupBy'): Promise<ParticipationTable> {
    const dimensions = checkGroupBy(groupBy, where);
    const wanted = this.checkMeasures(measures, 'measures');
    const { cells: published, suppression } = await this.protectedCells(dimensions, filter);
    const labels = await this.labels(dimensions, published);
    const chosen = new Set(wanted);
    const cells = published
      .map((cell) => ({
        ...cell,
        tickets: chosen.has('tickets') ? cell.tickets : null,
        participants: chosen.has('participants') ? cell.participants : null,
        visitsPerParticipant: chosen.has('visitsPerParticipant') ? cell.visitsPerParticipant : null,
        revenue: chosen.has('revenue') ? cell.revenue : null,
        penetration: chosen.has('penetration') ? cell.penetration : null,
        index: chosen.has('index') ? cell.index : null,
        labels: cell.coordinates.map((code, index) => labels[index].get(code) ?? code),
      }))
      .sort((a, b) => (a.coordinates.join('|') < b.coordinates.join('|') ? -1 : 1));
    return { groupBy: dimensions, measures: wanted, k: this.rules.k, suppression, cells };
  }

  /**
   * The protected cells of a table, cached per data version: the aggregate scans every ticket and the
   * suppression audit solves linear programs, seconds for a large table, while the answer only changes
   * with a participation write (which moves the version on in its own transaction). The same question
   * gets the same answer anyway (cell keys), so a cached table is exactly the one computed again.
   */
  private async protectedCells(dimensions: ParticipationDimension[], filter: ParticipationFilter): Promise<ProtectedTable> {
    const key = `${await this.store.version()}\u0000${canonicalJson({ dimensions, filter })}`;
    let cells = this.cache.get(key);
    if (!cells) {
      cells = this.store.cube(dimensions, filter).then((raw) => {
        let suppression: ProtectedTable['suppression'] = 'audited';
        const published = protectParticipation(dimensions, raw.cells, raw.contributions, this.rules, this.geography, {
          auditWork: this.auditWork,
          onClosedPattern: () => (suppression = 'closed'),
        });
        return { cells: published, suppression };
      });
      // A failure is not kept: the next request computes it again.
      cells.catch(() => this.cache.delete(key));
      this.cache.set(key, cells);
      while (this.cache.size > PROTECTED_TABLE_CACHE) this.cache.delete(this.cache.keys().next().value!);
    } else {
      // Most recently used last: the first key is the one to evict.
      this.cache.delete(key);
      this.cache.set(key, cells);
    }
    return cells;
  }

  /** Human labels of the codes of each grouped dimension. */
  private async labels(dimensions: ParticipationDimension[], cells: PublishedCell[]): Promise<Array<Map<string, string>>> {
    return Promise.all(dimensions.map((dimension, index) => this.labelsOf(dimension, [...new Set(cells.map((cell) => cell.coordinates[index]))])));
  }

  /** Human labels of codes of one dimension (the code itself where none is known). */
  async labelsOf(dimension: ParticipationDimension, codes: readonly string[]): Promise<Map<string, string>> {
    const labels = new Map<string, string>([
      [TOTAL, 'Totaal / Total'],
      [UNKNOWN, 'Onbekend / Unknown'],
    ]);
    const table: Record<string, string> = { activity: 'activity', performance: 'performance', venue: 'place' };
    if (dimension === 'homeMunicipality' || dimension === 'venueMunicipality') {
      for (const code of codes) {
        const municipality = this.geography.municipalities.get(code);
        if (municipality) labels.set(code, municipality.name.nl === municipality.name.fr ? municipality.name.nl : `${municipality.name.nl} / ${municipality.name.fr}`);
      }
    } else if (dimension === 'homeProvince') {
      for (const code of codes) if (PROVINCES[code]) labels.set(code, PROVINCES[code]);
    } else if (dimension === 'homeRegion') {
      for (const code of codes) if (code in REGIONS) labels.set(code, REGIONS[code as keyof typeof REGIONS].nl);
    } else if (dimension === 'activityType' || dimension === 'activityTheme') {
      for (const code of codes) labels.set(code, code.replace(/^.*[/#]/, ''));
    } else if (dimension === 'organizer') {
      const ids = codes.filter((code) => /^[0-9a-f-]{36}$/.test(code));
      if (ids.length > 0) {
        const rows: Array<{ id: string; name: Record<string, string> }> = await this.dataSource.query('SELECT id::text, name FROM organizer WHERE id = ANY($1::uuid[])', [ids]);
        for (const row of rows) labels.set(row.id, row.name.nl ?? Object.values(row.name)[0] ?? row.id);
      }
      for (const code of codes) if (code.startsWith('source:')) labels.set(code, code.slice('source:'.length));
    } else if (table[dimension]) {
      const ids = codes.filter((code) => /^[0-9a-f-]{36}$/.test(code));
      if (ids.length > 0) {
        const query =
          dimension === 'activity'
            ? "SELECT id::text, document->'title' AS name FROM activity WHERE id = ANY($1::uuid[])"
            : dimension === 'venue'
              ? 'SELECT id::text, name FROM place WHERE id = ANY($1::uuid[])'
              : "SELECT performance.id::text, activity.document->'title' AS name, performance.start_at FROM performance JOIN activity ON activity.id = performance.activity_id WHERE performance.id = ANY($1::uuid[])";
        const rows: Array<{ id: string; name: Record<string, string>; start_at?: Date }> = await this.dataSource.query(query, [ids]);
        for (const row of rows) {
          const name = row.name?.nl ?? Object.values(row.name ?? {})[0] ?? row.id;
          labels.set(row.id, row.start_at ? `${name} (${new Date(row.start_at).toISOString().slice(0, 16).replace('T', ' ')})` : name);
        }
      }
    }
    return labels;
  }
}

export function checkGroupBy(groupBy: string[], where: string): ParticipationDimension[] {
  for (const dimension of groupBy) {
    if (!(PARTICIPATION_DIMENSIONS as readonly string[]).includes(dimension)) {
      throw new ApiError(
        'invalid-argument',
        { nl: `Onbekende dimensie ${dimension}; kies uit ${PARTICIPATION_DIMENSIONS.join(', ')}.`, en: `Unknown dimension ${dimension}; choose from ${PARTICIPATION_DIMENSIONS.join(', ')}.` },
        where,
      );
    }
  }
  if (new Set(groupBy).size !== groupBy.length) throw new ApiError('invalid-argument', { nl: 'Elke dimensie hoogstens één keer.', en: 'Each dimension at most once.' }, where);
  if (groupBy.length > MAX_GROUP_BY) {
    throw new ApiError('invalid-argument', { nl: `Hoogstens ${MAX_GROUP_BY} dimensies tegelijk.`, en: `At most ${MAX_GROUP_BY} dimensions at once.` }, where);
  }
  return groupBy as ParticipationDimension[];
}

