import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { checkTarget, forbiddenRange } from './target-guard.js';
import { WebhookSender } from './webhook-sender.js';
import { startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';

describe('webhook targets at delivery time (real sockets)', () => {
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await receiver.close();
  });

  it('classifies addresses with ipaddr.js: only public unicast passes', () => {
    expect(forbiddenRange('8.8.8.8')).toBeNull();
    expect(forbiddenRange('2001:4860:4860::8888')).toBeNull();
    expect(forbiddenRange('127.0.0.1')).toBe('loopback');
    expect(forbiddenRange('192.168.0.10')).toBe('private');
    expect(forbiddenRange('100.64.1.1')).toBe('carrierGradeNat');
    expect(forbiddenRange('fd12::1')).toBe('uniqueLocal');
    expect(forbiddenRange('::ffff:10.0.0.1')).toBe('private');
    expect(forbiddenRange('0.0.0.0')).toBe('unspecified');
  });

  it('refuses a host that resolves to a private address when connecting, not only at registration (DNS rebinding)', async () => {
    const strict = new WebhookSender({ allowPrivate: false, allowHttp: true }, 2000, 4);
    try {
      // "localhost" stands in for a name whose DNS answer turned private after registration.
      const byName = await strict.send(`http://localhost:${receiver.port}/hook`, {}, '{}');
      expect(byName).toMatchObject({ statusCode: null, error: expect.stringMatching(/^target refused: .*loopback/) });
      const byLiteral = await strict.send(`http://127.0.0.1:${receiver.port}/hook`, {}, '{}');
      expect(byLiteral.error).toMatch(/^target refused: .*loopback/);
      expect(receiver.received).toHaveLength(0);
      await expect(checkTarget(`https://localhost:${receiver.port}/hook`, { allowPrivate: false, allowHttp: false })).rejects.toThrow(/loopback/);
    } finally {
      strict.close();
    }
  });

  it('sends to local receivers when the operator allows it, and does not follow redirects', async () => {
    const local = new WebhookSender({ allowPrivate: true, allowHttp: true }, 2000, 4);
    try {
      expect(await local.send(receiver.url, { 'webhook-id': 'msg_1' }, '{"a":1}')).toMatchObject({ statusCode: 204, error: null });
      expect(receiver.received[0]).toMatchObject({ body: '{"a":1}', headers: expect.objectContaining({ 'webhook-id': 'msg_1', 'content-type': 'application/json' }) });
      const redirecting = await startReceiver(() => 302);
      try {
        expect(await local.send(redirecting.url, {}, '{}')).toMatchObject({ statusCode: 302, error: 'HTTP 302' });
      } finally {
        await redirecting.close();
      }
    } finally {
      local.close();
    }
  });
});
