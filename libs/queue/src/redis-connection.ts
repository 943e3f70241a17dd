import { Redis, type RedisOptions } from 'ioredis';

/**
 * BullMQ needs maxRetriesPerRequest: null on the connections its workers block on; the same options
 * serve pub/sub. Keys are prefixed per deployment (REDIS_PREFIX); wrap the prefix in {braces} to
 * keep a queue in one Redis Cluster hash slot.
 */
export function redisOptions(url: string): RedisOptions {
  return { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...parseRedisUrl(url) };
}

function parseRedisUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

export function createRedis(url: string): Redis {
  return new Redis(redisOptions(url));
}

/**
 * For request-path commands (publish, rate-limit counters): fail fast while Redis is away instead of
 * queueing forever (BullMQ's maxRetriesPerRequest: null), so callers can degrade (skip a live publish,
 * let a request through) rather than hang.
 */
export function failFastRedisOptions(url: string): RedisOptions {
  return { ...redisOptions(url), maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true };
}

/** A fail-fast client, resolved once ready: without an offline queue, a command sent earlier would fail. */
export async function createFailFastRedis(url: string): Promise<Redis> {
  const options = failFastRedisOptions(url);
  const redis = new Redis(options);
  try {
    await redis.connect();
  } catch (error) {
    // Stop the background reconnects, so a failed start-up does not keep the process alive.
    redis.disconnect();
    // ioredis often only says "Connection is closed."; name the server (never the password).
    throw new Error(`Redis at ${options.host}:${options.port} is not reachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  return redis;
}

/** Removes every key under `prefix:` (queues, rate-limit counters): a test or bench run leaves Redis as it found it. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = createRedis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
