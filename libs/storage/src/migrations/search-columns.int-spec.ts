import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import type { DataSource, QueryRunner } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { Search1765300000000 } from './1765300000000-search.js';

/**
 * Decision 38 rewrote `cdp_fold` and the search trigger for speed. The previous definitions (taken from the Search
 * migration itself, renamed) are the reference: on generated documents and texts both must give the same columns.
 */
async function referenceDefinitions(): Promise<string[]> {
  const statements: string[] = [];
  const recorder = { query: async (sql: string) => void statements.push(sql) } as unknown as QueryRunner;
  await new Search1765300000000().up(recorder);
  const sql = statements.join('\n');
  const block = (start: string, end: string) => {
    const from = sql.indexOf(start);
    const to = sql.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`${start} not found in the Search migration`);
    return sql.slice(from, to + end.length);
  };
  const rename = (text: string) => text.replaceAll('cdp_fold(', 'cdp_fold_reference(').replace('cdp_activity_search_columns()', 'cdp_activity_search_columns_reference()');
  return [rename(block('CREATE FUNCTION cdp_fold(', '$$;')), rename(block('CREATE FUNCTION cdp_activity_search_columns()', 'END $$;'))];
}

const COLUMNS = ['search_vector::text', 'term_ids', 'labels', 'languages', 'audience', 'min_age', 'max_age', 'base_price::text', 'is_free', 'attendance_mode', 'calendar_type', 'status', 'by_opening_hours', 'period_start', 'period_end'];

// Texts that reach every branch of the fold: ASCII (the fast path), accented and upper-case letters, the ligatures,
// letters lower() turns into something outside ASCII or into ASCII, and characters nothing folds.
const letter = fc.constantFrom(...[...'aZe9 -.,\'!?éÉèàÀçÇñÑöÖøØßẞæÆœŒıİłŁđĐħŀŧåÅāǎĳΣσДжअ中€–🎭 \n\tǄǅǆ']);
// Any code point Postgres text can hold (no NUL, no lone surrogate).
const anyText = (maxLength: number) => fc.string({ unit: 'binary', maxLength }).map((value) => value.replace(/\u0000|\p{Cs}/gu, ''));
const text = fc.array(fc.oneof(letter, fc.string({ maxLength: 3 }), anyText(2)), { maxLength: 14 }).map((parts) => parts.join(''));
const words = fc.array(fc.constantFrom('Concert', 'Théâtre', 'voor', 'kinderen', 'les', 'und', 'the', 'Straße', 'Œuvre', 'jazz', 'Gent', 'ÉTÉ'), { maxLength: 6 }).map((list) => list.join(' '));
const someText = fc.oneof(text, words);
const languageMap = fc.dictionary(fc.constantFrom('nl', 'fr', 'en', 'de', 'es', 'it', ''), someText, { maxKeys: 5 });
const iri = fc.oneof(
  fc.constantFrom('https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert', 'https://taxonomy.uitdatabank.be/terms/0.50.4.0.0', 'http://x.org/a#b', 'no-slash', 'a/b#c/d', ''),
  text,
);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const timestamp = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());

const documentArbitrary = fc.record(
  {
    title: languageMap,
    description: languageMap,
    type: fc.record({ iri }),
    theme: fc.record({ iri }),
    place: fc.record({ name: languageMap, type: maybe(fc.record({ iri })) }, { requiredKeys: [] }),
    facilities: fc.oneof(fc.array(fc.record({ iri }), { maxLength: 3 }), fc.constant('not a list')),
    labels: fc.oneof(fc.array(someText, { maxLength: 3 }), fc.constant({ not: 'a list' })),
    hiddenLabels: fc.array(fc.constantFrom('UiTPAS', 'uitpas', 'Kinderen', 'KINDEREN', 'été'), { maxLength: 3 }),
    prices: fc.array(fc.record({ category: fc.constantFrom('base', 'social', 'free'), amount: fc.constantFrom(0, 5.5, 12, 22, 100.25) }), { maxLength: 3 }),
    typicalAgeRange: fc.record({ min: maybe(fc.integer({ min: 0, max: 99 })), max: maybe(fc.integer({ min: 0, max: 99 })) }, { requiredKeys: [] }),
    audience: fc.constantFrom('everyone', 'members', 'education'),
    attendanceMode: fc.constantFrom('offline', 'online', 'mixed'),
    calendarType: fc.constantFrom('single', 'multiple', 'periodic', 'permanent'),
    status: fc.constantFrom('scheduled', 'cancelled', 'postponed'),
    performances: fc.array(fc.record({ externalId: fc.string({ maxLength: 4 }) }), { maxLength: 3 }),
    period: fc.record({ start: maybe(timestamp), end: maybe(timestamp) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('search columns (integration, real Postgres): decision 38 computes what the previous definitions did', () => {
  jest.setTimeout(180_000);
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    for (const definition of await referenceDefinitions()) await dataSource.query(definition);
    // Two scratch tables shaped like activity: one filled by the trigger in use, one by the reference.
    await dataSource.query(`
      CREATE TABLE search_candidate (LIKE activity INCLUDING DEFAULTS, n integer);
      CREATE TABLE search_reference (LIKE activity INCLUDING DEFAULTS, n integer);
      CREATE TRIGGER candidate BEFORE INSERT ON search_candidate FOR EACH ROW EXECUTE FUNCTION cdp_activity_search_columns();
      CREATE TRIGGER reference BEFORE INSERT ON search_reference FOR EACH ROW EXECUTE FUNCTION cdp_activity_search_columns_reference();
    `);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('cdp_fold gives what the reference gives, for every text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(text, anyText(20), words), { minLength: 1, maxLength: 50 }), async (inputs) => {
        const rows: Array<{ input: string; folded: string; reference: string }> = await dataSource.query(
          'SELECT input, cdp_fold(input) AS folded, cdp_fold_reference(input) AS reference FROM unnest($1::text[]) AS input',
          [inputs],
        );
        for (const row of rows) expect({ input: row.input, folded: row.folded }).toEqual({ input: row.input, folded: row.reference });
      }),
      { numRuns: 60 },
    );
    const [nulls] = await dataSource.query('SELECT cdp_fold(NULL) AS folded, cdp_fold_reference(NULL) AS reference');
    expect(nulls).toEqual({ folded: null, reference: null });
  });

  it('the search trigger derives the same columns as the reference, for generated documents', async () => {
    const insert = (table: string, documents: unknown[]) =>
      dataSource.query(
        `INSERT INTO ${table} (id, source_id, external_id, content_hash, document, search_text, place_id, postal_code, created_at, modified_at, n)
           SELECT gen_random_uuid(), 's', 'e' || n, 'h', document, '', gen_random_uuid(), '9000', now(), now(), n
             FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS doc(document, n)`,
        [JSON.stringify(documents)],
      );
    const read = (table: string) => dataSource.query(`SELECT n, ${COLUMNS.join(', ')} FROM ${table} ORDER BY n`);
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(documentArbitrary, { minLength: 1, maxLength: 40 }), async (documents) => {
        await dataSource.query('TRUNCATE search_candidate, search_reference');
        await insert('search_candidate', documents);
        await insert('search_reference', documents);
        const [candidate, reference] = [await read('search_candidate'), await read('search_reference')];
        expect(candidate).toEqual(reference);
        compared += documents.length;
      }),
      { numRuns: 50 },
    );
    // The generators reach what the columns are made of (not vacuously equal empty vectors).
    await dataSource.query('TRUNCATE search_candidate, search_reference');
    await insert('search_candidate', [{ title: { nl: 'Jazz in Gent', fr: 'Été' }, description: { en: 'Concerts for children' }, type: { iri: 'http://x.org/a#b' }, labels: ['UiTPAS'], prices: [{ category: 'base', amount: 12 }] }]);
    const [sample] = await read('search_candidate');
    expect(sample.search_vector).toContain("'jazz'");
    expect(sample.search_vector).toContain("'ete'");
    expect(sample.term_ids).toEqual(['b', 'http://x.org/a#b']);
    expect(sample.labels).toEqual(['uitpas']);
    expect(sample.base_price).toBe('12');
    expect(compared).toBeGreaterThan(200);
  });

  it('documents are compressed with lz4 where the server has it', async () => {
    const [{ compression }] = await dataSource.query(`SELECT attcompression AS compression FROM pg_attribute WHERE attrelid = 'activity'::regclass AND attname = 'document'`);
    expect(compression).toBe('l');
  });
});
