import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

/** The REST the console reads, for the operator and for a vendor scoped to its own source. */
describe('source operations API (e2e)', () => {
  let platform: TestApp;
  let vendorKey: string;
  let otherKey: string;
  let body: string;
  let batchId: string;

  beforeAll(async () => {
    platform = await startTestApp();
    vendorKey = await platform.createSource('vooruit');
    otherKey = await platform.createSource('ancienne');
    const tooMany = anActivity({ externalId: 'bad-1', performances: [aPerformance('bad-1-p', { availability: { capacity: 10, remaining: 11, level: 'InStock', changedAt: '2026-11-20T10:00:00Z' } })] });
    body = JSON.stringify([anActivity({ externalId: 'good-1', title: { nl: 'Één concert' } }), tooMany]);
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: vendorKey, raw: body });
    expect(pushed.body.summary).toMatchObject({ accepted: 1, rejected: 1 });
    batchId = pushed.body.batchId;
    await http(platform.baseUrl, 'POST', '/v1/sources/ancienne/activities?wait=true', { token: otherKey, body: [anActivity({ externalId: 'a-1' })] });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('tells who a token is', async () => {
    expect((await http(platform.baseUrl, 'GET', '/v1/me', { token: TEST_ADMIN_TOKEN })).body).toEqual({ role: 'admin' });
    const vendor = await http(platform.baseUrl, 'GET', '/v1/me', { token: vendorKey });
    expect(vendor.body).toMatchObject({ role: 'vendor', source: { id: 'vooruit', kind: 'push' } });
    const nobody = await http(platform.baseUrl, 'GET', '/v1/me', { token: 'cdp_nope' });
    expect(nobody.status).toBe(401);
    expect(nobody.body.error).toMatchObject({ code: 'unauthenticated', where: 'header Authorization' });
    expect(nobody.body.error.message.nl).toContain('admin-token');
  });

  it('lists a source\'s batches and rejected items, for its vendor and the operator only', async () => {
    for (const token of [vendorKey, TEST_ADMIN_TOKEN]) {
      const batches = await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/batches', { token });
      expect(batches.status).toBe(200);
      expect(batches.body).toEqual([
        expect.objectContaining({ batchId, sourceId: 'vooruit', status: 'done', itemCount: 2, accepted: 1, rejected: 1, runId: null, contentType: expect.stringContaining('application/json'), sizeBytes: Buffer.byteLength(body) }),
      ]);
    }
    const rejections = await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/rejections', { token: vendorKey });
    expect(rejections.body).toHaveLength(1);
    expect(rejections.body[0]).toMatchObject({ batchId, position: 1, externalId: 'bad-1', status: 'rejected' });
    const result = rejections.body[0].results.find((entry: { path?: string }) => entry.path?.includes('remainingAttendeeCapacity'));
    expect(result.message.nl).not.toEqual(result.message.en);
    expect((await http(platform.baseUrl, 'GET', '/v1/sources/ancienne/batches?rejected=true', { token: TEST_ADMIN_TOKEN })).body).toEqual([]);

    const forbidden = await http(platform.baseUrl, 'GET', '/v1/sources/ancienne/batches', { token: vendorKey });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({ code: 'forbidden', where: 'path sourceId' });
    expect((await http(platform.baseUrl, 'GET', '/v1/sources/nowhere/batches', { token: TEST_ADMIN_TOKEN })).status).toBe(404);
    const badLimit = await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/batches?limit=0', { token: vendorKey });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error).toMatchObject({ code: 'invalid-argument', where: 'query limit' });
    expect((await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/batches?before=yesterday', { token: vendorKey })).body.error.where).toBe('query before');
  });

  it('serves a batch\'s archived payload byte for byte to its vendor and the operator, never to another vendor', async () => {
    for (const token of [vendorKey, TEST_ADMIN_TOKEN]) {
      const payload = await http(platform.baseUrl, 'GET', `/v1/batches/${batchId}/payload`, { token });
      expect(payload.status).toBe(200);
      expect(payload.text).toBe(body);
      expect(payload.headers.get('content-type')).toContain('application/json');
      expect(payload.headers.get('content-security-policy')).toContain('sandbox');
      expect(payload.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await http(platform.baseUrl, 'GET', `/v1/batches/${batchId}`, { token: TEST_ADMIN_TOKEN })).body.summary).toMatchObject({ accepted: 1, rejected: 1 });
    const other = await http(platform.baseUrl, 'GET', `/v1/batches/${batchId}/payload`, { token: otherKey });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('forbidden');
    expect((await http(platform.baseUrl, 'GET', `/v1/batches/${batchId}/payload`)).status).toBe(401);
    expect((await http(platform.baseUrl, 'GET', '/v1/batches/00000000-0000-4000-8000-000000000000/payload', { token: TEST_ADMIN_TOKEN })).status).toBe(404);
    expect((await http(platform.baseUrl, 'GET', '/v1/batches/not-a-uuid/payload', { token: TEST_ADMIN_TOKEN })).status).toBe(400);
  });

  it('aggregates throughput per minute, per source and for all sources', async () => {
    const own = await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/throughput?minutes=5', { token: vendorKey });
    expect(own.body.minutes).toHaveLength(5);
    const minute = (rows: Array<{ minute: string }>) => rows.slice(-2).reduce((sum: Record<string, number>, row: Record<string, unknown>) => {
      for (const key of ['accepted', 'rejected', 'batches']) sum[key] = (sum[key] ?? 0) + (row[key] as number);
      return sum;
    }, {});
    // The pushes happened a moment ago: in this minute or, at a minute boundary, the one before.
    expect(minute(own.body.minutes)).toEqual({ accepted: 1, rejected: 1, batches: 1 });
    expect(new Date(own.body.minutes[4].minute).getUTCSeconds()).toBe(0);
    const all = await http(platform.baseUrl, 'GET', '/v1/admin/throughput', { token: TEST_ADMIN_TOKEN });
    expect(all.body.minutes).toHaveLength(60);
    expect(minute(all.body.minutes)).toEqual({ accepted: 2, rejected: 1, batches: 2 });
    expect((await http(platform.baseUrl, 'GET', '/v1/admin/throughput', { token: vendorKey })).status).toBe(401);
    expect((await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/throughput?minutes=100000', { token: vendorKey })).body.error.where).toBe('query minutes');
  });

  it('lets a vendor issue, list and revoke its own keys', async () => {
    const issued = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/keys', { token: vendorKey });
    expect(issued.status).toBe(201);
    const keys = await http(platform.baseUrl, 'GET', '/v1/sources/vooruit/keys', { token: vendorKey });
    expect(keys.body).toHaveLength(2);
    expect(keys.body.filter((key: { current: boolean }) => key.current)).toHaveLength(1);
    expect(JSON.stringify(keys.body)).not.toContain(issued.body.key);
    expect((await http(platform.baseUrl, 'DELETE', `/v1/sources/vooruit/keys/${issued.body.keyId}`, { token: otherKey })).status).toBe(403);
    expect((await http(platform.baseUrl, 'DELETE', `/v1/sources/vooruit/keys/${issued.body.keyId}`, { token: vendorKey })).status).toBe(204);
    expect((await http(platform.baseUrl, 'GET', '/v1/me', { token: issued.body.key })).status).toBe(401);
    expect((await http(platform.baseUrl, 'DELETE', `/v1/sources/vooruit/keys/${issued.body.keyId}`, { token: vendorKey })).status).toBe(404);
  });

  it('serves the console page and its modules from node_modules only', async () => {
    const redirect = await fetch(`${platform.baseUrl}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    const page = await http(platform.baseUrl, 'GET', '/console/');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy')!;
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(page.text)![1];
    expect(csp).toContain(`'sha256-${createHash('sha256').update(importMap).digest('base64')}'`);
    expect(csp).toContain("default-src 'self'");
    for (const url of Object.values(JSON.parse(importMap).imports as Record<string, string>)) {
      const module = await http(platform.baseUrl, 'GET', new URL(url, `${platform.baseUrl}/console/`).pathname);
      expect([url, module.status, module.headers.get('content-type')]).toEqual([url, 200, 'text/javascript; charset=utf-8']);
    }
    expect((await http(platform.baseUrl, 'GET', '/console/vendor/preact/..%2Fpackage.json')).status).toBe(404);
    expect((await http(platform.baseUrl, 'GET', '/console/vendor/fs/index.js')).status).toBe(404);
    expect((await http(platform.baseUrl, 'GET', '/console/assets/index.html')).status).toBe(404);
  });
});
