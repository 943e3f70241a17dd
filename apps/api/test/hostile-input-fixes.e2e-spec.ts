import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { anActivity } from '../../../test/support/factories.js';
import { http } from './http.js';

/** The 5xx answers the hostile-input fuzzing (test/fuzz) found, each kept as a regression test. */
describe('answers to hostile input found by fuzzing (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp({ worker: false });
    await platform.createSource('fixes-house');
  });

  afterAll(async () => {
    await platform.close();
  });

  it('revoking a key whose id is not a uuid is a 404 naming the key (was a 500 from Postgres)', async () => {
    const answer = await http(platform.baseUrl, 'DELETE', '/v1/admin/sources/fixes-house/keys/not-a-uuid', { token: TEST_ADMIN_TOKEN });
    expect(answer.status).toBe(404);
    expect(answer.body.error).toMatchObject({ code: 'key-not-found', where: 'path keyId' });
  });

  it('a NUL character in a path parameter is a 400 with a reason in Dutch and English (was a 500 from Postgres)', async () => {
    for (const [method, path] of [
      ['GET', '/v1/admin/sources/%00/runs'],
      ['PUT', '/v1/admin/sources/a%00b/connector'],
      ['DELETE', '/v1/admin/sources/%00/keys/00000000-0000-0000-0000-000000000000'],
    ] as const) {
      const answer = await http(platform.baseUrl, method, path, { token: TEST_ADMIN_TOKEN, body: method === 'PUT' ? { baseUrl: 'http://127.0.0.1:1/feed' } : undefined });
      expect({ path, status: answer.status }).toEqual({ path, status: expect.any(Number) });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(answer.body.error.message.nl).toBeTruthy();
      expect(answer.body.error.message.en).toBeTruthy();
    }
  });

  it('a lone surrogate in an id or a text refuses that item, naming where (/v1/validate was a 500: name-based ids refuse such names)', async () => {
    const lone = 'x\uD800y';
    const cases: Array<[string, (activity: ReturnType<typeof anActivity>) => void]> = [
      ['/externalId', (activity) => (activity.externalId = lone)],
      ['/place/externalId', (activity) => (activity.place!.externalId = lone)],
      ['/performances/0/externalId', (activity) => (activity.performances[0].externalId = lone)],
      ['/title/nl', (activity) => (activity.title = { nl: lone })],
    ];
    for (const [where, mutate] of cases) {
      const activity = anActivity();
      mutate(activity);
      const answer = await http(platform.baseUrl, 'POST', '/v1/validate', { body: [anActivity(), activity] });
      expect({ where, status: answer.status }).toEqual({ where, status: 200 });
      expect(answer.body.items[0].status).toBe('valid');
      expect(answer.body.items[1]).toMatchObject({ status: 'rejected', results: [expect.objectContaining({ path: where, constraint: 'unicode:well-formed' })] });
    }
  });

  it('a URL over 16 KB gets a 431 with a reason (Node answered it with an empty body)', async () => {
    const answer = await http(platform.baseUrl, 'GET', `/graphql?query=${'a'.repeat(20_000)}`);
    expect(answer.status).toBe(431);
    expect(answer.body.error).toMatchObject({ code: 'request-too-large', where: 'url' });
    expect(answer.body.error.message.nl).toContain('POST');
  });
});
