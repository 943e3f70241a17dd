import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { anActivity, aPerformance } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

/** Values that must never reach the database or the archive, in any form a vendor might send them. */
const PERSONAL = {
  name: 'Marieke Vandewalle-Qz',
  firstName: 'Marieke-Qz',
  email: 'marieke.qz.vandewalle@example.org',
  phone: '+32 470 99 12 34',
  street: 'Kouter-Qz-straat',
  houseNumber: '417Qz',
  customerNumber: 'KLANT-778899-QZ',
  birthDate: '1984-05-03',
};

describe('participation ingest (e2e): personal data never reaches the database', () => {
  let platform: TestApp;
  let key: string;
  const activity = anActivity({ performances: [aPerformance('perf-research-1'), aPerformance('perf-research-2', { start: '2027-02-02T20:00:00+01:00' })] });

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789' } });
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'bijloke', name: 'De Bijloke', kind: 'push' } });
    key = created.body.key;
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/activities?wait=true', { token: key, body: [activity] });
    expect(pushed.body.summary.accepted).toBe(1);
  });

  afterAll(async () => {
    await platform.close();
  });

  it('strips JSON tickets, says per item which fields were dropped, and keeps only what statistics need', async () => {
    const tickets = [
      {
        id: 'T-1',
        transaction: 'ORDER-1',
        performance: 'perf-research-1',
        soldAt: '2026-10-01T12:00:00+02:00',
        priceCategory: 'kansentarief',
        price: 5,
        channel: 'online',
        attended: true,
        customerNumber: PERSONAL.customerNumber,
        participant: {
          id: PERSONAL.customerNumber,
          name: PERSONAL.name,
          firstName: PERSONAL.firstName,
          email: PERSONAL.email,
          phone: PERSONAL.phone,
          birthDate: PERSONAL.birthDate,
          address: { street: PERSONAL.street, houseNumber: PERSONAL.houseNumber, postcode: '9000' },
          postcode: '9000',
        },
      },
      { id: 'T-2', performance: 'perf-research-2', soldAt: '2026-10-02T12:00:00+02:00', price: 24, participant: { email: PERSONAL.email, birthYear: 1984, postcode: '9050' } },
      { id: 'T-3', performance: 'no-such-performance', soldAt: '2026-10-02T12:00:00+02:00', participant: { phone: PERSONAL.phone } },
      { id: 'T-4', performance: 'perf-research-1', soldAt: 'yesterday', priceCategory: 'vip' },
    ];
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation?wait=true', { token: key, body: tickets });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ items: 4, accepted: 2, rejected: 2, unchanged: 0 });
    const [first, second, third, fourth] = response.body.items;
    expect(first.status).toBe('accepted');
    const dropped = first.results.filter((result: { severity: string }) => result.severity === 'Info').map((result: { path: string; constraint: string }) => `${result.path} ${result.constraint}`);
    expect(dropped).toEqual(
      expect.arrayContaining([
        '/customerNumber privacy:personal-data',
        '/participant/name privacy:personal-data',
        '/participant/firstName privacy:personal-data',
        '/participant/email privacy:personal-data',
        '/participant/phone privacy:personal-data',
        '/participant/address privacy:personal-data',
        '/participant/id privacy:personal-data',
        '/participant/birthDate privacy:reduced',
        '/participant/postcode privacy:reduced',
      ]),
    );
    expect(second.status).toBe('accepted');
    expect(third.status).toBe('rejected');
    expect(third.results[0]).toMatchObject({ path: '/performance', constraint: 'reference:performance' });
    expect(third.results[0].message.nl).toContain('no-such-performance');
    expect(fourth.status).toBe('rejected');
    expect(fourth.results.map((result: { path: string }) => result.path)).toEqual(expect.arrayContaining(['/soldAt', '/priceCategory']));

    const dataSource = platform.app.get(DataSource);
    const rows = await dataSource.query(`SELECT * FROM participation_ticket WHERE source_id = 'bijloke' ORDER BY ticket_external_id`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ ticket_external_id: 'T-1', price_category: 'kansentarief', price_cents: 500, channel: 'online', attended: true, birth_year: 1984, home_nis5: '44021', home_region: '02000', age_band: '35-44' });
    // The same e-mail at two tickets is the same pseudonymous person; no e-mail is stored.
    expect(rows[0].person_key).toBe(rows[1].person_key);
    expect(rows[1].home_nis5).toBe('44021');

    // Re-sent unchanged: no write.
    const again = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation?wait=true', { token: key, body: tickets.slice(0, 2) });
    expect(again.body.summary).toEqual({ items: 2, accepted: 0, rejected: 0, unchanged: 2 });
  });

  it('reads OSLO Turtle and JSON-LD participation, dropping what it does not know', async () => {
    const turtle = `
      @prefix cp: <https://data.vlaanderen.be/ns/cultuurparticipatie#> .
      @prefix platform: <https://data.uitwisselingsplatform.be/ns/platform#> .
      @prefix schema: <https://schema.org/> .
      @prefix foaf: <http://xmlns.com/foaf/0.1/> .
      @prefix locn: <http://www.w3.org/ns/locn#> .
      @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      @prefix cdp: <https://w3id.org/cultuurdata-platform/ns#> .
      <https://tickets.example/ticket/T-10> a cp:Ticket ; cp:Ticket.transactie <https://tickets.example/order/O-10> ;
        cp:geefrechtop <https://tickets.example/deelname/D-10> ; cdp:prijscategorie <https://w3id.org/cultuurdata-platform/id/concept/PrijsCategorieType/uitpas> .
      <https://tickets.example/order/O-10> a cp:Transactie ; cp:Transactie.tijdstip "2026-10-03T10:00:00Z"^^xsd:dateTime ; schema:price 7.5 ;
        cdp:verkoopkanaal <https://w3id.org/cultuurdata-platform/id/concept/Verkoopkanaal/box-office> .
      <https://tickets.example/deelname/D-10> a cp:Deelname ; cp:Deelname.activiteit <https://tickets.example/performance/perf-research-1> ;
        cp:Deelname.participant <https://tickets.example/customer/${PERSONAL.customerNumber}> .
      <https://tickets.example/customer/${PERSONAL.customerNumber}> a cp:Participant ; foaf:name "${PERSONAL.name}" ; schema:email "${PERSONAL.email}" ;
        schema:telephone "${PERSONAL.phone}" ; platform:geboortejaar "1990"^^xsd:gYear ; platform:statistischeSector "24062A00-LEUVEN-CENTRUM" ;
        locn:address [ locn:thoroughfare "${PERSONAL.street}" ; locn:locatorDesignator "${PERSONAL.houseNumber}" ; locn:postCode "3000" ] .
    `;
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation?wait=true', { token: key, raw: turtle, contentType: 'text/turtle' });
    expect(response.status).toBe(200);
    expect(response.body.summary.accepted).toBe(1);
    const paths = response.body.items[0].results.map((result: { path: string; constraint: string }) => `${result.path} ${result.constraint}`);
    expect(paths).toEqual(expect.arrayContaining(['/participant/<http://xmlns.com/foaf/0.1/name> privacy:personal-data', '/participant/<https://schema.org/email> privacy:personal-data']));

    const jsonld = {
      '@context': { cp: 'https://data.vlaanderen.be/ns/cultuurparticipatie#', schema: 'https://schema.org/', platform: 'https://data.uitwisselingsplatform.be/ns/platform#' },
      '@graph': [
        { '@id': 'https://tickets.example/ticket/T-11', '@type': 'cp:Ticket', 'cp:Ticket.transactie': { '@id': 'https://tickets.example/order/O-11' }, 'cp:geefrechtop': { '@id': 'https://tickets.example/deelname/D-11' } },
        { '@id': 'https://tickets.example/order/O-11', '@type': 'cp:Transactie', 'cp:Transactie.tijdstip': { '@value': '2026-10-04T10:00:00Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' } },
        { '@id': 'https://tickets.example/deelname/D-11', '@type': 'cp:Deelname', 'cp:Deelname.activiteit': { '@id': 'https://tickets.example/performance/perf-research-2' }, 'cp:Deelname.participant': { '@id': '_:p' } },
        { '@id': '_:p', '@type': 'cp:Participant', 'schema:name': PERSONAL.name, 'schema:birthDate': PERSONAL.birthDate, 'platform:geboortejaar': '1984' },
      ],
    };
    const fromJsonLd = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation?wait=true', { token: key, body: jsonld, contentType: 'application/ld+json' });
    expect(fromJsonLd.status).toBe(200);
    expect(fromJsonLd.body.summary.accepted).toBe(1);
  });

  it('validates what is kept of every ticket against the OSLO participation shapes: a violating one is rejected with its SHACL result, the rest stored', async () => {
    // A sale in the year -1 is a date JavaScript reads, but no xsd:dateTime: only the shapes catch it.
    const tickets = [
      { id: 'T-S1', performance: 'perf-research-1', soldAt: '-000001-06-01T00:00:00Z', price: 12, participant: { email: PERSONAL.email } },
      { id: 'T-S2', performance: 'perf-research-1', soldAt: '2026-10-05T12:00:00Z', price: 12, priceCategory: 'uitpas', participant: { birthYear: 1990, postcode: '9000' } },
    ];
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation?wait=true', { token: key, body: tickets });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ items: 2, accepted: 1, rejected: 1, unchanged: 0 });
    const [violating, valid] = response.body.items;
    expect(violating).toMatchObject({ externalId: 'T-S1', status: 'rejected' });
    const shacl = violating.results.filter((result: { severity: string }) => result.severity === 'Violation');
    expect(shacl).toEqual([
      {
        focusNode: expect.stringMatching(/\/id\/ticket\/[0-9a-f-]{36}#transactie$/),
        path: 'cp:Transactie.tijdstip',
        value: '-000001-06-01T00:00:00.000Z',
        sourceShape: 'https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/erkendestandaard/2024-09-11#TransactieShape/4871811d8d5f50d25ff627cd32699aace01c70a4',
        constraint: 'http://www.w3.org/ns/shacl#DatatypeConstraintComponent',
        severity: 'Violation',
        message: { nl: expect.stringContaining('xsd:dateTime'), en: expect.stringContaining('xsd:dateTime') },
      },
    ]);
    // the privacy notes stay beside the SHACL result
    expect(violating.results.map((result: { constraint: string }) => result.constraint)).toContain('privacy:personal-data');
    expect(valid).toMatchObject({ externalId: 'T-S2', status: 'accepted' });

    // The batch's stored report says the same (the activity push's per-item report).
    const batch = await http(platform.baseUrl, 'GET', `/v1/batches/${response.body.batchId}`, { token: key });
    expect(batch.status).toBe(200);
    const stored = batch.body.items.find((item: { externalId: string }) => item.externalId === 'T-S1');
    expect(stored.results).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'cp:Transactie.tijdstip', constraint: 'http://www.w3.org/ns/shacl#DatatypeConstraintComponent' })]));

    const dataSource = platform.app.get(DataSource);
    const rows = await dataSource.query(`SELECT ticket_external_id, price_category FROM participation_ticket WHERE ticket_external_id IN ('T-S1', 'T-S2')`);
    expect(rows).toEqual([{ ticket_external_id: 'T-S2', price_category: 'uitpas' }]);

    // The same ticket in OSLO Turtle is rejected the same way.
    const turtle = `
      @prefix cp: <https://data.vlaanderen.be/ns/cultuurparticipatie#> .
      @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
      <https://tickets.example/ticket/T-S3> a cp:Ticket ; cp:Ticket.transactie <https://tickets.example/order/O-S3> ; cp:geefrechtop <https://tickets.example/deelname/D-S3> .
      <https://tickets.example/order/O-S3> a cp:Transactie ; cp:Transactie.tijdstip "-000001-06-01T00:00:00Z"^^xsd:dateTime .
      <https://tickets.example/deelname/D-S3> a cp:Deelname ; cp:Deelname.activiteit <https://tickets.example/performance/perf-research-2> .
    `;
    const fromTurtle = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation?wait=true', { token: key, raw: turtle, contentType: 'text/turtle' });
    expect(fromTurtle.status).toBe(200);
    expect(fromTurtle.body.summary).toEqual({ items: 1, accepted: 0, rejected: 1, unchanged: 0 });
    expect(fromTurtle.body.items[0].results).toEqual([expect.objectContaining({ path: 'cp:Transactie.tijdstip', constraint: 'http://www.w3.org/ns/shacl#DatatypeConstraintComponent' })]);
  });

  it('refuses unreadable payloads with 400 and archives nothing of them', async () => {
    const dataSource = platform.app.get(DataSource);
    const [{ count: before }] = await dataSource.query(`SELECT count(*) FROM raw_payload WHERE kind = 'participation'`);
    const broken = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation', { token: key, raw: `{"items": [{"participant": {"email": "${PERSONAL.email}"` });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('malformed-body');
    const empty = await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation', { token: key, body: [] });
    expect(empty.status).toBe(400);
    const [{ count: after }] = await dataSource.query(`SELECT count(*) FROM raw_payload WHERE kind = 'participation'`);
    expect(after).toBe(before);
    expect((await http(platform.baseUrl, 'POST', '/v1/sources/bijloke/participation', { body: [] })).status).toBe(401);
  });

  it('no table and no archived payload holds any refused value', async () => {
    const dataSource = platform.app.get(DataSource);
    const tables: Array<{ table_name: string }> = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['participation_ticket', 'raw_payload', 'validation_report']));
    const needles = [...Object.values(PERSONAL), PERSONAL.email.toUpperCase(), PERSONAL.customerNumber.toLowerCase()];
    for (const { table_name } of tables) {
      // Every column as text (bytea archive bodies decoded as UTF-8), compared case-insensitively.
      const rows: Array<{ row: string }> = await dataSource.query(
        `SELECT convert_from(convert_to(row_to_json(t)::text, 'UTF8'), 'UTF8') AS row FROM "${table_name}" t`,
      );
      const text = rows.map((row) => row.row).join('\n').toLowerCase();
      for (const needle of needles) expect({ table: table_name, found: text.includes(needle.toLowerCase()) }).toEqual({ table: table_name, found: false });
    }
    const archived: Array<{ body: Buffer; kind: string }> = await dataSource.query(`SELECT body, kind FROM raw_payload`);
    expect(archived.some((payload) => payload.kind === 'participation')).toBe(true);
    for (const payload of archived) {
      const text = Buffer.from(payload.body).toString('utf8').toLowerCase();
      for (const needle of needles) expect(text.includes(needle.toLowerCase())).toBe(false);
    }
  });
});
