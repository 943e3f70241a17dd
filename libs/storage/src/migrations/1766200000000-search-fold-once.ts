import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The search trigger folds each text once (issue 10, decision 39). It folded every title and description
 * twice: for its language's stemmed vector, and again inside the joined texts of the unstemmed one. Text that
 * is not ASCII takes `translate` over the ~100 letters `cdp_fold` maps, ~0.6 µs a character here: a UiTdatabank
 * record's French description and the joined descriptions cost ~200 µs of the ~600 µs its trigger took.
 * Folding is done letter by letter, so the fold of texts joined by a space is the folded texts joined by a
 * space: each value is folded once, the language vectors take theirs, the unstemmed vector joins them in the
 * order `jsonb_each_text` gives (as before). The columns are the same (`search-columns.int-spec.ts` compares
 * them with the first definitions on generated documents).
 */
export class SearchFoldOnce1766200000000 implements MigrationInterface {
  name = 'SearchFoldOnce1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION cdp_activity_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d jsonb := NEW.document;
        titles jsonb := d->'title';
        descriptions jsonb := d->'description';
        vector tsvector := ''::tsvector;
        title_text text;
        description_text text;
        place_text text;
        title_nl text; title_fr text; title_en text; title_de text;
        description_nl text; description_fr text; description_en text; description_de text;
      BEGIN
        -- Each text folded once, in plain expressions (a query per text cost more than its fold): its language's
        -- vector and the joined text share it. The joined texts follow jsonb's key order (de, en, fr, nl); a map
        -- with other languages takes the query.
        title_nl := cdp_fold(titles->>'nl'); title_fr := cdp_fold(titles->>'fr'); title_en := cdp_fold(titles->>'en'); title_de := cdp_fold(titles->>'de');
        description_nl := cdp_fold(descriptions->>'nl'); description_fr := cdp_fold(descriptions->>'fr');
        description_en := cdp_fold(descriptions->>'en'); description_de := cdp_fold(descriptions->>'de');
        IF jsonb_typeof(titles) = 'object' AND titles - ARRAY['de', 'en', 'fr', 'nl'] = '{}'::jsonb THEN
          title_text := CASE WHEN titles = '{}'::jsonb THEN NULL ELSE concat_ws(' ', title_de, title_en, title_fr, title_nl) END;
        ELSE
          title_text := (SELECT string_agg(cdp_fold(value), ' ') FROM jsonb_each_text(coalesce(titles, '{}')));
        END IF;
        IF jsonb_typeof(descriptions) = 'object' AND descriptions - ARRAY['de', 'en', 'fr', 'nl'] = '{}'::jsonb THEN
          description_text := CASE WHEN descriptions = '{}'::jsonb THEN NULL ELSE concat_ws(' ', description_de, description_en, description_fr, description_nl) END;
        ELSE
          description_text := (SELECT string_agg(cdp_fold(value), ' ') FROM jsonb_each_text(coalesce(descriptions, '{}')));
        END IF;
        place_text := (SELECT string_agg(cdp_fold(value), ' ') FROM jsonb_each_text(coalesce(d->'place'->'name', '{}')));
        -- nl, fr, en, de: each language's title (A), then its description (B), as the loop over them did.
        IF titles ? 'nl' THEN vector := vector || setweight(to_tsvector('dutch'::regconfig, title_nl), 'A'); END IF;
        IF descriptions ? 'nl' THEN vector := vector || setweight(to_tsvector('dutch'::regconfig, description_nl), 'B'); END IF;
        IF titles ? 'fr' THEN vector := vector || setweight(to_tsvector('french'::regconfig, title_fr), 'A'); END IF;
        IF descriptions ? 'fr' THEN vector := vector || setweight(to_tsvector('french'::regconfig, description_fr), 'B'); END IF;
        IF titles ? 'en' THEN vector := vector || setweight(to_tsvector('english'::regconfig, title_en), 'A'); END IF;
        IF descriptions ? 'en' THEN vector := vector || setweight(to_tsvector('english'::regconfig, description_en), 'B'); END IF;
        IF titles ? 'de' THEN vector := vector || setweight(to_tsvector('german'::regconfig, title_de), 'A'); END IF;
        IF descriptions ? 'de' THEN vector := vector || setweight(to_tsvector('german'::regconfig, description_de), 'B'); END IF;
        SELECT
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
        INTO NEW.term_ids, NEW.labels, NEW.languages, NEW.base_price
        FROM (SELECT ARRAY(
                SELECT d->'type'->>'iri' UNION ALL SELECT d->'theme'->>'iri' UNION ALL SELECT d->'place'->'type'->>'iri'
                UNION ALL SELECT facility->>'iri' FROM jsonb_array_elements(CASE jsonb_typeof(d->'facilities') WHEN 'array' THEN d->'facilities' ELSE '[]'::jsonb END) facility
              ) AS list) iris;
        NEW.search_vector := vector
          || setweight(to_tsvector('simple', coalesce(title_text, '')), 'A')
          || setweight(to_tsvector('simple', concat_ws(' ', description_text, place_text)), 'D');
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
    `);
  }

  async down(): Promise<void> {
    // The previous body computes the same columns; `down` keeps this one.
  }
}
