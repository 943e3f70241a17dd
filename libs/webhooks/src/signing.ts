import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret in the Standard Webhooks form: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for one attempt. The signature (`v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>`) is made by the `standardwebhooks` package, the reference implementation. A
 * run passes its `Webhook` (the secret decoded once) instead of the secret.
 */
export function signedHeaders(secret: string | Webhook, messageId: string, attemptAt: Date, body: string): SignedHeaders {
  const signer = typeof secret === 'string' ? new Webhook(secret) : secret;
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(attemptAt.getTime() / 1000)),
    'webhook-signature': signer.sign(messageId, attemptAt, body),
  };
}

/** The same change to the same subscription is always the same message, on every retry and replay. */
export function messageIdOf(subscriptionId: string, seq: string): string {
  return `msg_${subscriptionId.replaceAll('-', '')}_${seq}`;
}
