import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MUNICIPALITIES, POSTCODES } from '../reference/belgian-geography.js';

// Accent folding without the unaccent extension: PGlite ships it only as a separately loaded bundle, and one
// function on both engines keeps search results the same everywhere. Every precomposed Latin letter whose
// NFD form is a base letter plus marks folds to the base letter; the ligatures are replaced before.
export const ACCENTED = [...'àáâãäåāăąǎçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőǒŕŗřśŝşšţťŧùúûüũūŭůűųǔŵýÿŷźżž'];
export const FOLDED = ACCENTED.map((letter) => ({ ø: 'o', đ: 'd', ħ: 'h', ı: 'i', ŀ: 'l', ł: 'l', ŧ: 't' })[letter] ?? letter.normalize('NFD').replace(/\p{M}/gu, ''));

/**
 * Search (issue 8): derived columns on activity and place kept by triggers from the stored documents (so every
 * write path, and the benchmark's direct inserts, fill them), the Belgian postcode/municipality reference for
 * regions and for coordinates of places that have none, and the indexes the search filters use.
 */
export class Search1765300000000 implements MigrationInterface {
  name = 'Search1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION cdp_fold(input text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT translate(replace(replace(replace(lower(input), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), '${ACCENTED.join('')}', '${FOLDED.join('')}')
      $$;

      CREATE TABLE municipality (
        nis5 text PRIMARY KEY,
        name_nl text NOT NULL,
        name_fr text NOT NULL,
        province_nis text,
        region_nis text NOT NULL,
        latitude double precision NOT NULL,
        longitude double precision NOT NULL
      );
      CREATE TABLE postcode_municipality (
        postcode text NOT NULL,
        nis5 text NOT NULL REFERENCES municipality(nis5),
        share real NOT NULL,
        PRIMARY KEY (postcode, nis5)
      );
    `);
    for (let offset = 0; offset < MUNICIPALITIES.length; offset += 200) {
      const rows = MUNICIPALITIES.slice(offset, offset + 200);
      await queryRunner.query(
        `INSERT INTO municipality SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(nis5 text, name_nl text, name_fr text, province_nis text, region_nis text, latitude float8, longitude float8)`,
        [JSON.stringify(rows.map(([nis5, nameNl, nameFr, provinceNis, regionNis, latitude, longitude]) => ({ nis5, name_nl: nameNl, name_fr: nameFr, province_nis: provinceNis, region_nis: regionNis, latitude, longitude })))],
      );
    }
    await queryRunner.query(`INSERT INTO postcode_municipality SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(postcode text, nis5 text, share real)`, [
      JSON.stringify(POSTCODES.map(([postcode, nis5, share]) => ({ postcode, nis5, share }))),
    ]);

    await queryRunner.query(`
      ALTER TABLE place
        ADD COLUMN latitude double precision,
        ADD COLUMN longitude double precision,
        ADD COLUMN geo_source text,
        ADD COLUMN nis5 text,
        ADD COLUMN region_codes text[] NOT NULL DEFAULT '{}';

      -- Coordinates: the place's own, else the centroid of its municipality (a distance search then still finds
      -- it, to within a few km). Regions: municipality, province and region NIS codes of its postcode; a postcode
      -- shared by several municipalities is decided by the municipality name of the address, else the largest share.
      CREATE FUNCTION cdp_place_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        address jsonb := NEW.document->'address';
        found municipality%ROWTYPE;
      BEGIN
        IF coalesce(address->>'country', 'BE') = 'BE' THEN
          SELECT m.* INTO found FROM postcode_municipality pm JOIN municipality m ON m.nis5 = pm.nis5
           WHERE pm.postcode = NEW.postal_code
           ORDER BY (cdp_fold(m.name_nl) IN (SELECT cdp_fold(value) FROM jsonb_each_text(coalesce(address->'municipality', '{}')))
                     OR cdp_fold(m.name_fr) IN (SELECT cdp_fold(value) FROM jsonb_each_text(coalesce(address->'municipality', '{}')))) DESC,
                    pm.share DESC
           LIMIT 1;
        END IF;
        IF jsonb_typeof(NEW.document->'geo'->'latitude') = 'number' AND jsonb_typeof(NEW.document->'geo'->'longitude') = 'number' THEN
          NEW.latitude := (NEW.document->'geo'->>'latitude')::float8;
          NEW.longitude := (NEW.document->'geo'->>'longitude')::float8;
          NEW.geo_source := 'place';
        ELSIF found.nis5 IS NOT NULL THEN
          NEW.latitude := found.latitude;
          NEW.longitude := found.longitude;
          NEW.geo_source := 'municipality';
        ELSE
          NEW.latitude := NULL;
          NEW.longitude := NULL;
          NEW.geo_source := NULL;
        END IF;
        NEW.nis5 := found.nis5;
        NEW.region_codes := CASE WHEN found.nis5 IS NULL THEN '{}'::text[] ELSE array_remove(ARRAY[found.nis5, found.province_nis, found.region_nis], NULL) END;
        RETURN NEW;
      END $$;
      CREATE TRIGGER place_search_columns BEFORE INSERT OR UPDATE OF document, postal_code ON place
        FOR EACH ROW EXECUTE FUNCTION cdp_place_search_columns();
      CREATE INDEX place_geo_idx ON place(latitude, longitude);
      CREATE INDEX place_region_codes_idx ON place USING gin (region_codes);

      ALTER TABLE activity
        ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector,
        ADD COLUMN term_ids text[] NOT NULL DEFAULT '{}',
        ADD COLUMN labels text[] NOT NULL DEFAULT '{}',
        ADD COLUMN languages text[] NOT NULL DEFAULT '{}',
        ADD COLUMN audience text NOT NULL DEFAULT 'everyone',
        ADD COLUMN min_age integer,
        ADD COLUMN max_age integer,
        ADD COLUMN base_price numeric,
        ADD COLUMN is_free boolean NOT NULL DEFAULT false,
        ADD COLUMN attendance_mode text NOT NULL DEFAULT 'offline',
        ADD COLUMN calendar_type text,
        ADD COLUMN status text NOT NULL DEFAULT 'scheduled',
        ADD COLUMN by_opening_hours boolean NOT NULL DEFAULT false,
        ADD COLUMN period_start timestamptz,
        ADD COLUMN period_end timestamptz;

      -- Full text: each language's title (weight A) and description (B) with its own stemmer (dutch, french,
      -- english, german), accents folded; plus every text unstemmed ('simple': names, other languages, prefixes).
      CREATE FUNCTION cdp_activity_search_columns() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        d jsonb := NEW.document;
        vector tsvector := ''::tsvector;
        language record;
      BEGIN
        FOR language IN SELECT * FROM (VALUES ('nl', 'dutch'::regconfig), ('fr', 'french'::regconfig), ('en', 'english'::regconfig), ('de', 'german'::regconfig)) AS t(code, config) LOOP
          IF d->'title' ? language.code THEN
            vector := vector || setweight(to_tsvector(language.config, cdp_fold(d->'title'->>language.code)), 'A');
          END IF;
          IF d->'description' ? language.code THEN
            vector := vector || setweight(to_tsvector(language.config, cdp_fold(d->'description'->>language.code)), 'B');
          END IF;
        END LOOP;
        vector := vector
          || setweight(to_tsvector('simple', cdp_fold(coalesce((SELECT string_agg(value, ' ') FROM jsonb_each_text(coalesce(d->'title', '{}'))), ''))), 'A')
          || setweight(to_tsvector('simple', cdp_fold(concat_ws(' ',
               (SELECT string_agg(value, ' ') FROM jsonb_each_text(coalesce(d->'description', '{}'))),
               (SELECT string_agg(value, ' ') FROM jsonb_each_text(coalesce(d->'place'->'name', '{}')))))), 'D');
        NEW.search_vector := vector;
        NEW.term_ids := coalesce((
          SELECT array_agg(DISTINCT term) FROM (
            SELECT iri AS term FROM (
              SELECT d->'type'->>'iri' AS iri UNION ALL SELECT d->'theme'->>'iri' UNION ALL SELECT d->'place'->'type'->>'iri'
              UNION ALL SELECT facility->>'iri' FROM jsonb_array_elements(CASE jsonb_typeof(d->'facilities') WHEN 'array' THEN d->'facilities' ELSE '[]'::jsonb END) facility
            ) iris WHERE iri IS NOT NULL
            UNION ALL
            SELECT regexp_replace(iri, '^.*[/#]', '') FROM (
              SELECT d->'type'->>'iri' AS iri UNION ALL SELECT d->'theme'->>'iri' UNION ALL SELECT d->'place'->'type'->>'iri'
              UNION ALL SELECT facility->>'iri' FROM jsonb_array_elements(CASE jsonb_typeof(d->'facilities') WHEN 'array' THEN d->'facilities' ELSE '[]'::jsonb END) facility
            ) iris WHERE iri IS NOT NULL
          ) terms), '{}');
        NEW.labels := coalesce((
          SELECT array_agg(DISTINCT lower(label)) FROM (
            SELECT jsonb_array_elements_text(CASE jsonb_typeof(d->'labels') WHEN 'array' THEN d->'labels' ELSE '[]'::jsonb END) AS label
            UNION ALL SELECT jsonb_array_elements_text(CASE jsonb_typeof(d->'hiddenLabels') WHEN 'array' THEN d->'hiddenLabels' ELSE '[]'::jsonb END)
          ) labels), '{}');
        NEW.languages := coalesce((
          SELECT array_agg(DISTINCT key) FROM (
            SELECT key, value FROM jsonb_each_text(coalesce(d->'title', '{}')) UNION ALL SELECT key, value FROM jsonb_each_text(coalesce(d->'description', '{}'))
          ) texts WHERE value <> ''), '{}');
        NEW.audience := coalesce(d->>'audience', 'everyone');
        NEW.min_age := (d->'typicalAgeRange'->>'min')::integer;
        NEW.max_age := (d->'typicalAgeRange'->>'max')::integer;
        -- UiTdatabank's price filters are on the base tariff; without one, the lowest price.
        NEW.base_price := coalesce(
          (SELECT (price->>'amount')::numeric FROM jsonb_array_elements(coalesce(d->'prices', '[]')) price WHERE price->>'category' = 'base' LIMIT 1),
          (SELECT min((price->>'amount')::numeric) FROM jsonb_array_elements(coalesce(d->'prices', '[]')) price));
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
      CREATE TRIGGER activity_search_columns BEFORE INSERT OR UPDATE OF document ON activity
        FOR EACH ROW EXECUTE FUNCTION cdp_activity_search_columns();

      -- Is an activity that runs by opening hours open at some moment of [date_from, date_to] (instants) within the
      -- local times [time_from, time_to] (Europe/Brussels)? Without opening hours it is open all day in its period.
      CREATE FUNCTION cdp_open_between(document jsonb, period_start timestamptz, period_end timestamptz,
                                       date_from timestamptz, date_to timestamptz, time_from time, time_to time)
      RETURNS boolean LANGUAGE plpgsql STABLE AS $$
      DECLARE
        low timestamptz := greatest(coalesce(period_start, '-infinity'), coalesce(date_from, '-infinity'));
        high timestamptz := least(coalesce(period_end, 'infinity'), coalesce(date_to, 'infinity'));
        hours jsonb := CASE jsonb_typeof(document->'openingHours') WHEN 'array' THEN document->'openingHours' ELSE '[]'::jsonb END;
        day date;
        entry jsonb;
        opens timestamptz;
        closes timestamptz;
      BEGIN
        IF low > high THEN RETURN false; END IF;
        IF jsonb_array_length(hours) = 0 THEN RETURN true; END IF;
        IF low = '-infinity' OR high = 'infinity' OR high - low > interval '8 days' THEN
          -- Every weekday has a whole day inside the range: only the hours matter.
          RETURN EXISTS (
            SELECT 1 FROM jsonb_array_elements(hours) h
             WHERE jsonb_array_length(coalesce(h->'daysOfWeek', '[]')) > 0
               AND (h->>'opens')::time <= coalesce(time_to, '24:00')
               AND (CASE WHEN (h->>'closes')::time <= (h->>'opens')::time THEN '24:00'::time ELSE (h->>'closes')::time END) >= coalesce(time_from, '00:00'));
        END IF;
        FOR day IN SELECT generate_series((low AT TIME ZONE 'Europe/Brussels')::date, (high AT TIME ZONE 'Europe/Brussels')::date, interval '1 day')::date LOOP
          FOR entry IN SELECT value FROM jsonb_array_elements(hours) LOOP
            CONTINUE WHEN NOT (coalesce(entry->'daysOfWeek', '[]') ? trim(to_char(day, 'day')));
            opens := (day + (entry->>'opens')::time) AT TIME ZONE 'Europe/Brussels';
            closes := (day + (entry->>'closes')::time) AT TIME ZONE 'Europe/Brussels';
            IF closes <= opens THEN closes := closes + interval '1 day'; END IF;
            IF time_from IS NOT NULL AND closes < (day + time_from) AT TIME ZONE 'Europe/Brussels' THEN CONTINUE; END IF;
            IF time_to IS NOT NULL AND opens > (day + time_to) AT TIME ZONE 'Europe/Brussels' THEN CONTINUE; END IF;
            IF opens <= high AND closes >= low THEN RETURN true; END IF;
          END LOOP;
        END LOOP;
        RETURN false;
      END $$;

      -- A text query: every word must occur, as a prefix, stemmed by any of the four languages or unstemmed.
      -- A stop word of one of them ("de", "la", "the", "und") need not occur. Words are letters and digits only.
      CREATE FUNCTION cdp_search_query(words text[]) RETURNS tsquery LANGUAGE plpgsql STABLE AS $$
      DECLARE
        word text;
        folded text;
        part tsquery;
        result tsquery;
      BEGIN
        FOREACH word IN ARRAY words LOOP
          folded := cdp_fold(word);
          CONTINUE WHEN folded = '' OR numnode(to_tsquery('dutch', folded)) = 0 OR numnode(to_tsquery('french', folded)) = 0
            OR numnode(to_tsquery('english', folded)) = 0 OR numnode(to_tsquery('german', folded)) = 0;
          part := to_tsquery('dutch', folded || ':*') || to_tsquery('french', folded || ':*') || to_tsquery('english', folded || ':*')
               || to_tsquery('german', folded || ':*') || to_tsquery('simple', folded || ':*');
          result := CASE WHEN result IS NULL THEN part ELSE result && part END;
        END LOOP;
        RETURN result;
      END $$;

      CREATE INDEX activity_search_vector_idx ON activity USING gin (search_vector);
      CREATE INDEX activity_term_ids_idx ON activity USING gin (term_ids);
      CREATE INDEX activity_labels_idx ON activity USING gin (labels);
      CREATE INDEX activity_modified_idx ON activity(modified_at);
      CREATE INDEX activity_type_idx ON activity(type_iri);
      -- Distance searches reach activities through their places: with the type beside it, one index answers both.
      CREATE INDEX activity_place_type_idx ON activity(place_id, type_iri);
      CREATE INDEX activity_opening_hours_idx ON activity(by_opening_hours) WHERE by_opening_hours;
      CREATE INDEX performance_activity_start_idx ON performance(activity_id, start_at);

      UPDATE place SET document = document;
      UPDATE activity SET document = document;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX performance_activity_start_idx;
      DROP TRIGGER activity_search_columns ON activity;
      DROP FUNCTION cdp_activity_search_columns();
      DROP FUNCTION cdp_search_query(text[]);
      DROP FUNCTION cdp_open_between(jsonb, timestamptz, timestamptz, timestamptz, timestamptz, time, time);
      ALTER TABLE activity DROP COLUMN search_vector, DROP COLUMN term_ids, DROP COLUMN labels, DROP COLUMN languages, DROP COLUMN audience,
        DROP COLUMN min_age, DROP COLUMN max_age, DROP COLUMN base_price, DROP COLUMN is_free, DROP COLUMN attendance_mode, DROP COLUMN calendar_type,
        DROP COLUMN status, DROP COLUMN by_opening_hours, DROP COLUMN period_start, DROP COLUMN period_end;
      DROP TRIGGER place_search_columns ON place;
      DROP FUNCTION cdp_place_search_columns();
      ALTER TABLE place DROP COLUMN latitude, DROP COLUMN longitude, DROP COLUMN geo_source, DROP COLUMN nis5, DROP COLUMN region_codes;
      DROP TABLE postcode_municipality;
      DROP TABLE municipality;
      DROP FUNCTION cdp_fold(text);
    `);
  }
}
