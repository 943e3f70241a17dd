import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { LiveChangesPublisher } from './live-changes.js';

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
