import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { batchBody, batchMessageIdOf, readBatch } from './batching.js';
import { InvalidFiltersError } from './filters.js';
import { newSigningSecret, signedHeaders } from './signing.js';

describe('batched webhook bodies', () => {
  it('carry the single-change bodies byte for byte, in order, in JSON that parses to them', () => {
    const body = fc.record({ type: fc.string(), timestamp: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), data: fc.dictionary(fc.string(), fc.jsonValue()) }).map((value) => JSON.stringify(value));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 15n }), body), { minLength: 1, maxLength: 20 }), fc.date({ noInvalidDate: true }), (entries, at) => {
        const messages = entries.map(([seq, text]) => ({ seq: String(seq), body: text }));
        const text = batchBody(messages, at);
        const parsed = JSON.parse(text);
        expect(parsed).toEqual({
          type: 'batch',
          timestamp: at.toISOString(),
          data: { count: messages.length, firstChangeNumber: messages[0].seq, lastChangeNumber: messages.at(-1)!.seq, messages: messages.map((message) => JSON.parse(message.body)) },
        });
        expect(text).toContain(`"messages":[${messages.map((message) => message.body).join(',')}]`);
      }),
    );
  });

  it('are signed like any message: the standardwebhooks package verifies them', () => {
    const secret = newSigningSecret();
    const body = batchBody([{ seq: '7', body: '{"type":"activity.upsert","timestamp":"2026-12-01T00:00:00.000Z","data":{"changeNumber":"7"}}' }], new Date('2026-12-01T00:00:01Z'));
    const id = batchMessageIdOf('5d0c0e3b-9f3a-4d7e-8a1b-2c3d4e5f6a7b', '7', '7', 0);
    expect(id).toBe('msg_5d0c0e3b9f3a4d7e8a1b2c3d4e5f6a7b_7-7');
    expect(batchMessageIdOf('5d0c0e3b-9f3a-4d7e-8a1b-2c3d4e5f6a7b', '7', '9', 2)).toBe('msg_5d0c0e3b9f3a4d7e8a1b2c3d4e5f6a7b_7-9_r2');
    const headers = signedHeaders(secret, id, new Date(), body);
    expect(new Webhook(secret).verify(body, headers as unknown as Record<string, string>)).toEqual(JSON.parse(body));
  });

  it('settings: maxSize 1..500 required, maxWaitMs 0..5000 defaulting to 0, null = off; anything else names the field', () => {
    expect(readBatch(null, 'body /batch')).toBeNull();
    expect(readBatch({ maxSize: 1 }, 'body /batch')).toEqual({ maxSize: 1, maxWaitMs: 0 });
    expect(readBatch({ maxSize: 500, maxWaitMs: 5000 }, 'body /batch')).toEqual({ maxSize: 500, maxWaitMs: 5000 });
    const where = (input: unknown) => {
      try {
        readBatch(input, 'body /batch');
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidFiltersError);
        return (error as InvalidFiltersError).problem.where;
      }
      return null;
    };
    expect(where({ maxSize: 0 })).toBe('body /batch/maxSize');
    expect(where({ maxSize: 1, maxWaitMs: -1 })).toBe('body /batch/maxWaitMs');
    expect(where({ maxSize: 1, extra: 1 })).toBe('body /batch/extra');
    expect(where('100')).toBe('body /batch');
  });
});
