import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { entityId } from '@platform/domain';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { graphql, http } from './http.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../libs/connectors/src/uitdatabank/testing/${name}`, import.meta.url), 'utf8'));
const uuidOf = (document: { '@id': string }) => document['@id'].split('/').pop()!;

/** A UiTdatabank source pushes UiTdatabank's own JSON-LD documents; the pipeline resolves references and deletions. */
describe('UiTdatabank documents pushed by a vendor (e2e, real Postgres + Redis + BullMQ worker)', () => {
  let platform: TestApp;
  let key: string;
  const single = fixture('single-calendar-with-capacity.json');
  const multiple = fixture('multiple-calendar-with-sub-event-capacity.json');

  beforeAll(async () => {
    platform = await startTestApp();
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'udb-house', name: 'UiTdatabank', kind: 'uitdatabank' } });
    key = created.body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('rejects an event whose place is only a reference the platform does not know, saying what to do', async () => {
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/udb-house/activities?wait=true', { token: key, body: multiple });
    expect(pushed.status).toBe(200);
    expect(pushed.body.items[0].status).toBe('rejected');
    expect(pushed.body.items[0].results[0]).toMatchObject({ path: '/location', constraint: 'reference:place' });
    expect(pushed.body.items[0].results[0].message.nl).toContain('stuur de locatie eerst');
  });

  it('resolves a referenced place from another event of the batch, stores both with their performances and seats', async () => {
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/udb-house/activities?wait=true', { token: key, body: { items: [single, multiple] } });
    expect(pushed.body.items.map((item: { status: string }) => item.status)).toEqual(['accepted', 'accepted']);
    const id = entityId('activiteit', 'udb-house', uuidOf(multiple));
    const result = await graphql(platform.baseUrl, `{ activity(id: "${id}") { title calendarType place { name } performances { status availability { capacity remaining } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.activity.place.name).toBeTruthy();
    expect(result.data.activity.calendarType).toBe('multiple');
    expect(result.data.activity.performances.length).toBe(multiple.subEvent.length);
    // Sent again as it is: a no-op.
    const again = await http(platform.baseUrl, 'POST', '/v1/sources/udb-house/activities?wait=true', { token: key, body: [single, multiple] });
    expect(again.body.items.map((item: { status: string }) => item.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('turns workflowStatus DELETED into a deletion; deleting what does not exist is a no-op', async () => {
    const deleted = await http(platform.baseUrl, 'POST', '/v1/sources/udb-house/activities?wait=true', {
      token: key,
      body: [{ ...multiple, workflowStatus: 'DELETED' }, fixture('deleted-event.json')],
    });
    expect(deleted.body.items.map((item: { status: string }) => item.status)).toEqual(['deleted', 'unchanged']);
    const id = entityId('activiteit', 'udb-house', uuidOf(multiple));
    expect((await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`)).status).toBe(404);
  });

  it('gives a clear 400 for a body that is not JSON, and per-item problems for a broken document', async () => {
    const notJson = await http(platform.baseUrl, 'POST', '/v1/sources/udb-house/activities', { token: key, raw: '{"@id": ', contentType: 'application/json' });
    expect(notJson.status).toBe(400);
    const broken = await http(platform.baseUrl, 'POST', '/v1/sources/udb-house/activities?wait=true', { token: key, body: [fixture('broken-event.json')] });
    expect(broken.body.items[0].status).toBe('rejected');
    expect(broken.body.items[0].results[0].message).toEqual({ nl: expect.any(String), en: expect.any(String) });
  });
});
