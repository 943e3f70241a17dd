import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { TicketmaticFixtureAccount } from '../../../libs/connectors/src/ticketmatic/testing/ticketmatic-fixture-api.js';
import { startFixtureServer, type FixtureServer } from '../../../test/support/fixture-server.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const ACCOUNT = 'cultuurhuis';
const CREDENTIALS = { accessKey: 'ak-3f9c1e27b8d04a6e', secretKey: 'sk-9b2d7e61c4a83f05d1e8' };
const SOURCE = 'tm-orders';
/** Every personal value the fixture's contacts and tickets hold: none may be stored or archived. */
const PERSONAL = [
  'An', 'Peeters', 'an.peeters@example.org', '1984-05-03', 'Kortrijksesteenweg', '112 bus 3', '+32 475 12 34 56', 'Peeters Interieur', 'BE0123456789',
  'Lotte', '2009-08-21', 'Youssef', 'El Amrani', 'youssef.elamrani@example.org', '1991-12-30', 'Rue Haute', '+32 2 512 00 00',
  'Marie', 'Dubois', 'marie.dubois@example.org', 'Janssens', 'jan.janssens@example.nl', '1958-03-14', 'Oudegracht', '3511 NK', 'Utrecht',
  'Rij 4, stoel 11', '9912340000011',
];
const CUSTOMER_IDS = ['9101', '9102', '9103', '9104', '9105'];

interface RunReport {
  status: string;
  fetched: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  error: string | null;
}

/** Ticketmatic orders pulled into participation: mapped, stripped before the archive, incremental. */
describe('ticketmatic orders -> participation (e2e)', () => {
  let platform: TestApp;
  let server: FixtureServer;
  let account: TicketmaticFixtureAccount;
  let database: DataSource;

  const run = async () => {
    const started = await http<RunReport>(platform.baseUrl, 'POST', `/v1/admin/sources/${SOURCE}/runs?wait=true`, { token: TEST_ADMIN_TOKEN });
    expect(started.status).toBe(200);
    return started.body;
  };
  const orderRequests = () => server.requests.map((request) => new URL(request.url, 'http://fixture.local')).filter((url) => url.pathname === `/api/1/${ACCOUNT}/orders`);

  beforeAll(async () => {
    account = new TicketmaticFixtureAccount({ accountName: ACCOUNT, ...CREDENTIALS });
    server = await startFixtureServer(account.handler);
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789' } });
    database = platform.app.get(DataSource);
    expect((await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: SOURCE, name: 'Cultuurhuis (Ticketmatic)', kind: 'ticketmatic' } })).status).toBe(201);
    const configured = await http(platform.baseUrl, 'PUT', `/v1/admin/sources/${SOURCE}/connector`, {
      token: TEST_ADMIN_TOKEN,
      body: {
        everyMinutes: null,
        baseUrl: server.baseUrl,
        credentials: CREDENTIALS,
        options: {
          accountName: ACCOUNT,
          pageSize: 2,
          contingents: ['Tickets'],
          socialPriceTypes: [3],
          orders: { priceTypes: { '2': 'tarief', '3': 'uitpas', '5': 'gratis' }, salesChannels: { '1': 'box-office', '2': 'online', '3': 'phone' } },
        },
      },
    });
    expect(configured.status).toBe(200);
  });

  afterAll(async () => {
    await platform.close();
    await server.close();
  });

  it('refuses a wrong orders mapping with the reason', async () => {
    const refused = await http(platform.baseUrl, 'PUT', `/v1/admin/sources/${SOURCE}/connector`, {
      token: TEST_ADMIN_TOKEN,
      body: { everyMinutes: null, baseUrl: server.baseUrl, credentials: CREDENTIALS, options: { accountName: ACCOUNT, orders: { priceTypes: { '3': 'cheap' } } } },
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('/options/orders/priceTypes/3');
  });

  it('pulls the orders after the events: tickets mapped to price categories, channels, homes and ages', async () => {
    const report = await run();
    expect(report).toMatchObject({ status: 'succeeded', error: null });
    // 5 tickets of confirmed or archived orders (the unconfirmed one sold nothing); one names an unknown event.
    const rows: Array<Record<string, unknown>> = await database.query(
      `SELECT ticket_external_id, transaction_external_id, price_category, price_cents, channel, attended, birth_year, home_nis5, home_country, sold_at
         FROM participation_ticket WHERE source_id = $1 ORDER BY ticket_external_id`,
      [SOURCE],
    );
    expect(rows.map((row) => [row.ticket_external_id, row.price_category, row.price_cents, row.channel, row.birth_year, row.home_nis5, row.home_country, row.attended])).toEqual([
      ['880001', 'basis', 2400, 'box-office', 1984, '44021', 'BE', null],
      ['880002', 'tarief', 1200, 'box-office', 2009, '44021', 'BE', null],
      ['880003', 'uitpas', 800, 'online', 1991, '21004', 'BE', null],
      ['880005', 'gratis', 0, 'phone', 1958, null, 'NL', true],
    ]);
    expect(new Date(rows[0].sold_at as string).toISOString()).toBe('2026-11-10T18:02:11.000Z');
    // The two tickets of order 70001 are two people (customer and ticket holder), each a pseudonym.
    const persons: Array<{ persons: number }> = await database.query('SELECT count(DISTINCT person_key)::int AS persons FROM participation_ticket WHERE source_id = $1', [SOURCE]);
    expect(persons[0].persons).toBe(4);
    expect(orderRequests()[0].searchParams.get('lastupdatesince')).toBeNull();
    expect(orderRequests()[0].searchParams.get('output')).toBe('withlookup');

    // The per-item report says what was dropped (by path, never by value) and why the unknown event was refused.
    const batches: Array<{ id: string }> = await database.query(
      "SELECT ingest_batch.id FROM ingest_batch JOIN raw_payload ON raw_payload.id = ingest_batch.payload_id WHERE ingest_batch.source_id = $1 AND raw_payload.origin LIKE '%/orders?%' ORDER BY ingest_batch.created_at",
      [SOURCE],
    );
    const views = await Promise.all(batches.map(async (batch) => (await http(platform.baseUrl, 'GET', `/v1/batches/${batch.id}`, { token: TEST_ADMIN_TOKEN })).body));
    const items = views.flatMap((view) => view.items as Array<{ externalId: string; status: string; results: Array<{ path: string; constraint: string; message: { en: string } }> }>);
    const first = items.find((item) => item.externalId === '880001')!;
    expect(first.status).toBe('accepted');
    expect(first.results.map((result) => `${result.path} ${result.constraint}`)).toEqual(
      expect.arrayContaining([
        '/participant/firstname privacy:personal-data',
        '/participant/lastname privacy:personal-data',
        '/participant/email privacy:personal-data',
        '/participant/id privacy:personal-data',
        '/participant/birthDate privacy:reduced',
        '/participant/postcode privacy:reduced',
        '/participant/phonenumbers privacy:unknown-field',
        '/participant/addresses privacy:unknown-field',
      ]),
    );
    const unknown = items.find((item) => item.externalId === '880006')!;
    expect(unknown.status).toBe('rejected');
    expect(unknown.results.find((result) => result.constraint === 'reference:performance')?.message.en).toContain('Performance 4242 is unknown');
  });

  it('stores and archives none of the contacts\' personal data: every table and every archived payload checked', async () => {
    const tables: Array<{ table_name: string }> = await database.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    expect(tables.length).toBeGreaterThan(10);
    for (const { table_name: table } of tables) {
      const dump: Array<{ row: string }> = await database.query(
        table === 'raw_payload' ? "SELECT row_to_json(raw_payload)::text || convert_from(body, 'UTF8') AS row FROM raw_payload" : `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
      );
      const values: Array<{ value: string }> = await database.query(`SELECT DISTINCT value FROM "${table}" t, jsonb_each_text(to_jsonb(t)) WHERE value = ANY($1::text[])`, [CUSTOMER_IDS]);
      for (const { row } of dump) for (const personal of PERSONAL) if (row.includes(`"${personal}"`) || row.includes(personal.length > 4 ? personal : `"${personal}"`)) throw new Error(`${table} holds "${personal}": ${row.slice(0, 200)}`);
      expect({ table, customerIds: values.map((value) => value.value) }).toEqual({ table, customerIds: [] });
    }
    // The orders pages were archived, in their stripped form.
    const archived: Array<{ body: string }> = await database.query("SELECT convert_from(body, 'UTF8') AS body FROM raw_payload WHERE source_id = $1 AND origin LIKE '%/orders?%'", [SOURCE]);
    expect(archived.length).toBe(2);
    for (const { body } of archived) expect(JSON.parse(body).format).toBe('cdp-participation-stripped/1');
  });

  it('is incremental: the next run asks for orders updated since the last one and stores a new ticket once', async () => {
    const order = account.orders.get(70002)!;
    account.orders.set(70002, {
      ...order,
      lastupdatets: '2026-11-20 08:00:00',
      tickets: [...(order.tickets ?? []), { id: 880007, orderid: 70002, eventid: 1002, pricetypeid: 1, price: 16, ticketname: 'Youssef El Amrani' }],
    });
    const before = orderRequests().length;
    const report = await run();
    expect(report.status).toBe('succeeded');
    const since = orderRequests().slice(before).map((url) => url.searchParams.get('lastupdatesince'));
    // From the latest order seen (2026-11-14 11:00:05), never from the beginning again.
    expect(since[0]).toBe('2026-11-14 11:00:05');
    const rows: Array<{ ticket_external_id: string; price_category: string; person_key: string }> = await database.query(
      "SELECT ticket_external_id, price_category, person_key FROM participation_ticket WHERE source_id = $1 AND transaction_external_id = '70002' ORDER BY 1",
      [SOURCE],
    );
    expect(rows.map((row) => [row.ticket_external_id, row.price_category])).toEqual([
      ['880003', 'uitpas'],
      ['880007', 'basis'],
    ]);
    // The same customer: the same pseudonym, no name.
    expect(rows[0].person_key).toBe(rows[1].person_key);
    const again = await run();
    expect(again.status).toBe('succeeded');
    expect((await database.query('SELECT count(*)::int AS count FROM participation_ticket WHERE source_id = $1', [SOURCE]))[0].count).toBe(5);
  });
});
