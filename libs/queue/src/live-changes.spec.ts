import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL, testRedisPrefix } from '../../../test/support/test-database.js';
import { LiveChangesPublisher, LiveChangesSubscriber, type AvailabilityEvent } from './live-changes.js';

describe('LiveChangesPublisher when Redis is away', () => {
  it('settles at once without throwing: the change is committed already', async () => {
    // Nothing listens on port 1; the fail-fast options are the ones createFailFastRedis uses.
    const redis = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const publisher = new LiveChangesPublisher(redis, 'test-away');
    const started = Date.now();
    await expect(
      publisher.publishAvailability([
        { seq: '1', performanceId: 'p', performanceExternalId: 'p', activityId: 'a', placeId: 'l', sourceId: 's', capacity: 1, remaining: 0, level: 'OutOfStock', changedAt: new Date().toISOString() },
      ]),
    ).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    redis.disconnect();
  });
});

describe('LiveChangesPublisher -> LiveChangesSubscriber', () => {
  it('delivers every change of a batch, in order, and a single change as before', async () => {
    const url = new URL(TEST_REDIS_URL);
    const options = { host: url.hostname, port: Number(url.port || 6379) };
    const publishing = new Redis(options);
    const subscribing = new Redis(options);
    const prefix = testRedisPrefix();
    const subscriber = new LiveChangesSubscriber(subscribing, prefix);
    const publisher = new LiveChangesPublisher(publishing, prefix);
    const received: AvailabilityEvent[] = [];
    try {
      await subscriber.start();
      subscriber.onAvailability((event) => received.push(event));
      const change = (index: number) => ({
        seq: String(index),
        performanceId: `p${index}`,
        performanceExternalId: `perf-${index}`,
        activityId: 'a',
        placeId: null,
        sourceId: 's',
        capacity: 100,
        remaining: index,
        level: 'InStock' as const,
        changedAt: new Date(0).toISOString(),
      });
      // 2,500 changes: more than one message's worth, so the runs are split and must arrive in order.
      await publisher.publishAvailability(Array.from({ length: 2500 }, (_, index) => change(index)));
      await publisher.publishAvailability([change(2500)]);
      for (let waited = 0; received.length < 2501 && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received.map((event) => event.seq)).toEqual(Array.from({ length: 2501 }, (_, index) => String(index)));
      expect(received[2500]).toMatchObject({ performanceExternalId: 'perf-2500', remaining: 2500, placeId: null });
      expect(typeof received[0].publishedAt).toBe('number');
    } finally {
      await subscriber.stop();
      publishing.disconnect();
      subscribing.disconnect();
    }
  });
});
