import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import fc from 'fast-check';
import { messageIdOf, newSigningSecret, signedHeaders, WebhookSigner } from './signing.js';

describe('webhook signing', () => {
  it('matches the Standard Webhooks test vector', () => {
    const headers = signedHeaders('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}');
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    // A delivery run decodes the secret once and signs with that signer: the same headers.
    expect(signedHeaders(new WebhookSigner('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), 'msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330 * 1000), '{"test": 2432232314}')).toEqual(headers);
  });

  it('signs exactly as the standardwebhooks package does, for any secret, id, time and body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.string(), fc.integer({ min: 0, max: 4_000_000_000 }), fc.string({ unit: 'binary' }), (key, id, seconds, body) => {
        const secret = `whsec_${Buffer.from(key).toString('base64')}`;
        const at = new Date(seconds * 1000);
        expect(new WebhookSigner(secret).sign(id, at, body)).toBe(new Webhook(secret).sign(id, at, body));
      }),
    );
  });

  it('refuses a secret the package cannot read, as before', () => {
    expect(() => new WebhookSigner('whsec_')).toThrow();
    expect(() => new WebhookSigner('whsec_not base64!')).toThrow();
  });

  it('makes secrets the verifier accepts, and signatures that fail for another body or secret', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = '{"type":"activity.upsert"}';
    const headers = signedHeaders(secret, messageIdOf('0b9c7a5e-1111-4222-8333-944445555666', '42'), new Date(), body);
    expect(headers['webhook-id']).toBe('msg_0b9c7a5e111142228333944445555666_42');
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual({ type: 'activity.upsert' });
    expect(() => new Webhook(secret).verify('{"type":"activity.delete"}', { ...headers })).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, { ...headers })).toThrow();
  });
});
