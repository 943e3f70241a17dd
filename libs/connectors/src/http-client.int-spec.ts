import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { startFixtureServer, type FixtureServer } from '../../../test/support/fixture-server.js';
import { HttpClient, RemoteError } from './http-client.js';

/** The connectors' HTTP client over real sockets: why a request failed, retries, redaction. */
describe('HttpClient', () => {
  let remote: FixtureServer;
  const secret = 'sk-very-secret-0123';

  beforeAll(async () => {
    remote = await startFixtureServer(() => ({ status: 404, body: { error: 'no' } }));
  });

  afterAll(async () => {
    await remote.close();
  });

  it('says why a connection failed (not just "fetch failed"), with the secret redacted from the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const http = new HttpClient({ secrets: [secret], attempts: 1 });
    const failure = await http.request(`http://127.0.0.1:${port}/feed?api_key=${secret}`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteError);
    expect((failure as Error).message).toContain('ECONNREFUSED');
    expect((failure as Error).message).not.toContain(secret);
  });

  it('retries 5xx with back-off, and does not retry a 404', async () => {
    remote.requests.length = 0;
    remote.failNext(2);
    remote.handle(() => ({ body: { ok: true } }));
    const retries: number[] = [];
    const http = new HttpClient({ secrets: [], attempts: 3, minDelayMs: 5, maxDelayMs: 20, onRetry: (_message, attempt) => retries.push(attempt) });
    expect(JSON.parse((await http.request(`${remote.baseUrl}/ok`)).body.toString('utf8'))).toEqual({ ok: true });
    expect(retries).toEqual([1, 2]);
    remote.handle(() => ({ status: 404, body: { error: 'no' } }));
    remote.requests.length = 0;
    await expect(http.request(`${remote.baseUrl}/missing`)).rejects.toThrow(/HTTP 404/);
    expect(remote.requests).toHaveLength(1);
  });
});
