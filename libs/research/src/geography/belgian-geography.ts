import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { AGE_BANDS, ageBandOfStatbelBand, type AgeBand } from '../participation/age-band.js';

/** Where the Statbel / geography files live (copied from the reference set with their README and licences). */
export const BELGIUM_DATA_DIR = new URL('../../data/belgium/', import.meta.url);

/** The Statbel population (1 January of this year) behind every penetration and index, whatever the period. */
export const POPULATION_YEAR = 2021;

export const REGIONS = { '02000': { nl: 'Vlaanderen', en: 'Flanders' }, '03000': { nl: 'Wallonië', en: 'Wallonia' }, '04000': { nl: 'Brussel', en: 'Brussels' } } as const;
export type RegionCode = keyof typeof REGIONS;

export interface Municipality {
  /** REFNIS code of 2019-2024 (5 characters). */
  nis5: string;
  name: { nl: string; fr: string };
  arrondissement: string;
  /** Province REFNIS code; Brussels has none (null). */
  province: string | null;
  region: RegionCode;
  population: number;
}

interface PostcodeShare {
  nis5: string;
  share: number;
}

/**
 * The reference geography participation is aggregated on: postcodes and statistical sectors to the 581
 * municipalities (2019 codes), and Statbel's population by municipality and age band as denominators.
 * Read once, kept in memory (about 3 MB of CSV).
 */
export class BelgianGeography {
  readonly municipalities = new Map<string, Municipality>();
  private readonly postcodes = new Map<string, PostcodeShare[]>();
  private readonly sectors = new Map<string, string>();
  /** nis5 -> age band -> inhabitants. */
  private readonly populationByBand = new Map<string, Map<AgeBand, number>>();

  private constructor(directory: URL) {
    const rows = (file: string): Record<string, string>[] => parse(readFileSync(new URL(file, directory)), { columns: true, skip_empty_lines: true });
    for (const row of rows('population-2021-municipality.csv')) {
      this.municipalities.set(row.cd_refnis, {
        nis5: row.cd_refnis,
        name: { nl: row.tx_descr_nl, fr: row.tx_descr_fr },
        arrondissement: row.cd_dstr_refnis,
        province: row.cd_prov_refnis || null,
        region: row.cd_rgn_refnis as RegionCode,
        population: Number(row.population),
      });
    }
    for (const row of rows('postcode-municipality.csv')) {
      const shares = this.postcodes.get(row.postcode) ?? [];
      shares.push({ nis5: row.nis5, share: Number(row.share) });
      this.postcodes.set(row.postcode, shares);
    }
    for (const row of rows('statistical-sectors.csv')) this.sectors.set(normalizeSector(row.sector_code), row.nis5);
    for (const row of rows('population-2021-municipality-sex-age5.csv')) {
      const band = ageBandOfStatbelBand(row.age_band);
      const bands = this.populationByBand.get(row.cd_refnis) ?? new Map<AgeBand, number>();
      bands.set(band, (bands.get(band) ?? 0) + Number(row.population));
      this.populationByBand.set(row.cd_refnis, bands);
    }
  }

  private static shared?: BelgianGeography;

  /** The platform's copy of the reference files, loaded on first use. */
  static load(directory: URL = BELGIUM_DATA_DIR): BelgianGeography {
    if (directory === BELGIUM_DATA_DIR) return (BelgianGeography.shared ??= new BelgianGeography(directory));
    return new BelgianGeography(directory);
  }

  /**
   * The municipality of a Belgian postcode. Ten postcodes span several municipalities: `pick` (a number
   * in [0,1), deterministic per ticket) chooses one in proportion to the reference file's shares, so
   * aggregates are right in expectation without inventing precision.
   */
  municipalityOfPostcode(postcode: string, pick = 0): string | null {
    const shares = this.postcodes.get(postcode.trim());
    if (!shares) return null;
    if (shares.length === 1) return shares[0].nis5;
    const total = shares.reduce((sum, share) => sum + share.share, 0);
    let cumulative = 0;
    for (const share of shares) {
      cumulative += share.share / total;
      if (pick < cumulative) return share.nis5;
    }
    return shares[shares.length - 1].nis5;
  }

  /** True for the few postcodes that lie in more than one municipality. */
  postcodeSpansSeveral(postcode: string): boolean {
    return (this.postcodes.get(postcode.trim())?.length ?? 0) > 1;
  }

  /** Every (postcode, municipality) pair of the reference file (a postcode spanning several municipalities appears once per municipality). */
  postcodeMunicipalities(): Array<[postcode: string, nis5: string]> {
    return [...this.postcodes].flatMap(([postcode, shares]) => shares.map((share): [string, string] => [postcode, share.nis5]));
  }

  /** The 2019 municipality of a statistical sector (sectors of merged municipalities keep their old prefix). */
  municipalityOfSector(sector: string): string | null {
    return this.sectors.get(normalizeSector(sector)) ?? null;
  }

  hasSector(sector: string): boolean {
    return this.sectors.has(normalizeSector(sector));
  }

  /** Inhabitants of a municipality on 1 January 2021, of one age band or all. */
  population(nis5: string, band?: AgeBand): number {
    if (!band) return this.municipalities.get(nis5)?.population ?? 0;
    return this.populationByBand.get(nis5)?.get(band) ?? 0;
  }

  /** Inhabitants of a set of municipalities (a province, a region, everything), of one age band or all. */
  populationOf(nis5s: Iterable<string>, band?: AgeBand): number {
    let total = 0;
    for (const nis5 of nis5s) total += this.population(nis5, band);
    return total;
  }

  provinceOf(nis5: string): string | null {
    const municipality = this.municipalities.get(nis5);
    // Brussels has no province: it stands as its own unit on that level.
    return municipality ? (municipality.province ?? municipality.region) : null;
  }

  regionOf(nis5: string): RegionCode | null {
    return this.municipalities.get(nis5)?.region ?? null;
  }

  ageBands(): readonly AgeBand[] {
    return AGE_BANDS;
  }
}

/** Sector codes are written with and without a trailing filler ("11001A00-", "24062A00"). */
export function normalizeSector(code: string): string {
  return code.trim().toUpperCase().replace(/-+$/, '');
}
