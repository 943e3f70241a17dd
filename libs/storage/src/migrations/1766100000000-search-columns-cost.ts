import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ACCENTED, FOLDED } from './1765300000000-search.js';

/**
 * What an activity write costs Postgres (issue 10, decision 38). The derived search columns stay exactly what
 * they were (`search-columns.int-spec.ts` compares them with the previous definitions on generated documents);
 * only how they are computed changes:
 * - `cdp_fold` returns `lower(input)` when that is ASCII: then no replacement or translation can apply (every
 *   character they map is outside ASCII), and `translate` over the ~100 letters it folds was the largest cost of
 *   the search trigger (it runs once per text, five times per activity);
 * - `cdp_activity_search_columns` computes in one statement what took seven (the language loop's query, the
 *   three texts of the unstemmed vector, the terms, labels, languages and the price each ran as a query of their
 *   own per row) and folds every text in a plain expression: `cdp_fold` of a subquery was not inlined, and a
 *   SQL function that is not inlined is parsed and planned on every call (40 % of the trigger in a profile);
 *   the vectors are concatenated in the same order as before (tsvector positions depend on it);
 * - `activity.document` is compressed with lz4 where the server has it (PGlite has not: it keeps pglz). jsonb
 *   documents above ~2 kB (every connector record carries its source document) were compressed with pglz.
 *   Already stored documents keep their compression until rewritten; either reads the same;
 * - `activity_search_idx` (GIN over `to_tsvector('simple', search_text)`) is dropped: nothing reads it since
 *   search has its own vector (`search_vector`, migration Search1765300000000); the column stays.
 *   `performance_activity_idx (activity_id)` and `activity_place_idx (place_id)` are dropped too: the indexes
 *   `performance_activity_start_idx (activity_id, start_at)` and `activity_place_type_idx (place_id, type_iri)`
 *   begin with the same column and answer the same lookups (and the foreign keys' cascade).
 */
export class SearchColumnsCost1766100000000 implements MigrationInterface {
  name = 'SearchColumnsCost1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION cdp_fold(input text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN octet_length(lower(input)) = length(lower(input)) THEN lower(input)
                    ELSE translate(replace(replace(replace(lower(input), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), '${ACCENTED.join('')}', '${FOLDED.join('')}') END
      $$;

      CREATE OR REPLACE FUNCTION cdp_activity_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d jsonb := NEW.document;
        titles jsonb := d->'title';
        descriptions jsonb := d->'description';
        vector tsvector := ''::tsvector;
        title_text text;
        description_text text;
        place_text text;
      BEGIN
        -- nl, fr, en, de: each language's title (A), then its description (B), as the loop over them did.
        IF titles ? 'nl' THEN vector := vector || setweight(to_tsvector('dutch'::regconfig, cdp_fold(titles->>'nl')), 'A'); END IF;
        IF descriptions ? 'nl' THEN vector := vector || setweight(to_tsvector('dutch'::regconfig, cdp_fold(descriptions->>'nl')), 'B'); END IF;
        IF titles ? 'fr' THEN vector := vector || setweight(to_tsvector('french'::regconfig, cdp_fold(titles->>'fr')), 'A'); END IF;
        IF descriptions ? 'fr' THEN vector := vector || setweight(to_tsvector('french'::regconfig, cdp_fold(descriptions->>'fr')), 'B'); END IF;
        IF titles ? 'en' THEN vector := vector || setweight(to_tsvector('english'::regconfig, cdp_fold(titles->>'en')), 'A'); END IF;
        IF descriptions ? 'en' THEN vector := vector || setweight(to_tsvector('english'::regconfig, cdp_fold(descriptions->>'en')), 'B'); END IF;
        IF titles ? 'de' THEN vector := vector || setweight(to_tsvector('german'::regconfig, cdp_fold(titles->>'de')), 'A'); END IF;
        IF descriptions ? 'de' THEN vector := vector || setweight(to_tsvector('german'::regconfig, cdp_fold(descriptions->>'de')), 'B'); END IF;
        SELECT
          (SELECT string_agg(value, ' ') FROM jsonb_each_text(coalesce(titles, '{}'))),
          (SELECT string_agg(value, ' ') FROM jsonb_each_text(coalesce(descriptions, '{}'))),
          (SELECT string_agg(value, ' ') FROM jsonb_each_text(coalesce(d->'place'->'name', '{}'))),
          coalesce((
            SELECT array_agg(DISTINCT term) FROM (
              SELECT iri AS term FROM unnest(iris.list) AS iri WHERE iri IS NOT NULL
              UNION ALL
              SELECT regexp_replace(iri, '^.*[/#]', '') FROM unnest(iris.list) AS iri WHERE iri IS NOT NULL
            ) terms), '{}'),
          coalesce((
            SELECT array_agg(DISTINCT lower(label)) FROM (
              SELECT jsonb_array_elements_text(CASE jsonb_typeof(d->'labels') WHEN 'array' THEN d->'labels' ELSE '[]'::jsonb END) AS label
              UNION ALL SELECT jsonb_array_elements_text(CASE jsonb_typeof(d->'hiddenLabels') WHEN 'array' THEN d->'hiddenLabels' ELSE '[]'::jsonb END)
            ) labels), '{}'),
          coalesce((
            SELECT array_agg(DISTINCT key) FROM (
              SELECT key, value FROM jsonb_each_text(coalesce(titles, '{}')) UNION ALL SELECT key, value FROM jsonb_each_text(coalesce(descriptions, '{}'))
            ) entries WHERE value <> ''), '{}'),
          -- UiTdatabank's price filters are on the base tariff; without one, the lowest price.
          coalesce(
            (SELECT (price->>'amount')::numeric FROM jsonb_array_elements(coalesce(d->'prices', '[]')) price WHERE price->>'category' = 'base' LIMIT 1),
            (SELECT min((price->>'amount')::numeric) FROM jsonb_array_elements(coalesce(d->'prices', '[]')) price))
        INTO title_text, description_text, place_text, NEW.term_ids, NEW.labels, NEW.languages, NEW.base_price
        FROM (SELECT ARRAY(
                SELECT d->'type'->>'iri' UNION ALL SELECT d->'theme'->>'iri' UNION ALL SELECT d->'place'->'type'->>'iri'
                UNION ALL SELECT facility->>'iri' FROM jsonb_array_elements(CASE jsonb_typeof(d->'facilities') WHEN 'array' THEN d->'facilities' ELSE '[]'::jsonb END) facility
              ) AS list) iris;
        -- Folded in plain expressions, where cdp_fold is inlined (with a subquery as its argument it is not, and a
        -- SQL function that is not inlined is parsed and planned again on every call).
        NEW.search_vector := vector
          || setweight(to_tsvector('simple', cdp_fold(coalesce(title_text, ''))), 'A')
          || setweight(to_tsvector('simple', cdp_fold(concat_ws(' ', description_text, place_text))), 'D');
        NEW.audience := coalesce(d->>'audience', 'everyone');
        NEW.min_age := (d->'typicalAgeRange'->>'min')::integer;
        NEW.max_age := (d->'typicalAgeRange'->>'max')::integer;
        NEW.is_free := coalesce(NEW.base_price = 0, false);
        NEW.attendance_mode := coalesce(d->>'attendanceMode', 'offline');
        NEW.calendar_type := d->>'calendarType';
        NEW.status := coalesce(d->>'status', 'scheduled');
        -- Periodic and permanent activities (and any without performances) answer date and time filters by their opening hours.
        NEW.by_opening_hours := coalesce(d->>'calendarType' IN ('periodic', 'permanent'), false) OR jsonb_array_length(coalesce(d->'performances', '[]')) = 0;
        NEW.period_start := (d->'period'->>'start')::timestamptz;
        NEW.period_end := (d->'period'->>'end')::timestamptz;
        RETURN NEW;
      END $$;

      DO $$ BEGIN
        ALTER TABLE activity ALTER COLUMN document SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        NULL; -- built without lz4 (PGlite): pglz, as before
      END $$;

      DROP INDEX activity_search_idx;
      DROP INDEX performance_activity_idx;
      DROP INDEX activity_place_idx;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX activity_place_idx ON activity(place_id);
      CREATE INDEX performance_activity_idx ON performance(activity_id);
      CREATE INDEX activity_search_idx ON activity USING gin (to_tsvector('simple', search_text));
      ALTER TABLE activity ALTER COLUMN document SET COMPRESSION default;
    `);
    // The functions' previous bodies compute the same values; `down` keeps the faster ones.
  }
}
