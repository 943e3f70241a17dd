import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { dropRedisPrefix } from '@platform/queue';
import { DEMO_PAYLOAD_FORMAT } from '@platform/runtime';
import { createTestDatabase, testRedisPrefix, TEST_REDIS_URL, type TestDatabase } from '../../../test/support/test-database.js';
import { runDemoParticipationCli } from '../src/demo-participation-cli.js';

/** `npm run demo:participation` on a real Postgres: the demo activities, synthetic tickets, idempotent reloads. */
describe('demo participation (int)', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const prefix = testRedisPrefix();
  const overrides = () => ({ DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, PSEUDONYM_KEY: 'test-pseudonym-key-0123456789', LOG_LEVEL: 'warn' });
  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    const code = await runDemoParticipationCli(argv, (line) => lines.push(line), overrides());
    return { code, lines };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
    await dropRedisPrefix(TEST_REDIS_URL, prefix);
  });

  it('loads the demo activities and the tickets, all accepted, keeping the per-item report of none', async () => {
    const first = await run('--tickets', '4000');
    expect(first.lines.join('\n')).toContain('4000 tickets generated: 4000 accepted, 0 unchanged, 0 rejected');
    expect(first.code).toBe(0);
    await client.connect();
    const [{ count, performances, homes, persons }] = (
      await client.query(
        "SELECT count(*)::int AS count, count(DISTINCT performance_id)::int AS performances, count(DISTINCT home_nis5)::int AS homes, count(DISTINCT person_key)::int AS persons FROM participation_ticket WHERE source_id = 'demo'",
      )
    ).rows;
    expect(count).toBe(4000);
    // 61 scheduled performances of the 65 (two cancelled, two postponed)
    expect(performances).toBe(61);
    expect(homes).toBeGreaterThan(100);
    expect(persons).toBeLessThan(4000);
    const reports = await client.query("SELECT count(*)::int AS count FROM validation_report WHERE source_id = 'demo' AND external_id LIKE 'demo-t%'");
    expect(reports.rows[0].count).toBe(0);
    const batches = await client.query("SELECT sum(accepted)::int AS accepted FROM ingest_batch WHERE source_id = 'demo' AND item_count = accepted + rejected + unchanged AND accepted > 0");
    expect(batches.rows[0].accepted).toBe(4000 + 30);
  });

  it('stores and archives no participant identifier: ids are pseudonyms, the archive holds the generator parameters', async () => {
    const leaked = await client.query("SELECT count(*)::int AS count FROM participation_ticket WHERE row_to_json(participation_ticket)::text LIKE '%demo-h%'");
    expect(leaked.rows[0].count).toBe(0);
    const archived = await client.query("SELECT convert_from(body, 'UTF8') AS body FROM raw_payload WHERE source_id = 'demo' AND kind = 'participation'");
    expect(archived.rows.length).toBe(1);
    for (const row of archived.rows) {
      expect(JSON.parse(row.body).format).toBe(DEMO_PAYLOAD_FORMAT);
      expect(row.body).not.toContain('demo-h');
    }
  });

  it('is idempotent: a second run skips, a forced one finds every ticket unchanged', async () => {
    expect((await run('--tickets', '4000')).lines.join('\n')).toContain('4000 tickets already stored');
    const forced = await run('--tickets', '4000', '--force');
    expect(forced.lines.join('\n')).toContain('4000 tickets generated: 0 accepted, 4000 unchanged, 0 rejected');
    expect((await client.query("SELECT count(*)::int AS count FROM participation_ticket WHERE source_id = 'demo'")).rows[0].count).toBe(4000);
  });

  it('refuses bad arguments with its usage', async () => {
    const bad = await run('--tickets', 'many');
    expect(bad.code).toBe(2);
    expect(bad.lines[0]).toContain('usage: npm run demo:participation');
  });
});
