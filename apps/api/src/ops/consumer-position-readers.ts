import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@platform/config';
import { ConsumerPositions } from '@platform/observability';
import { PUBLISHER_REDIS } from '@platform/queue';
import { WebhookStore } from '@platform/webhooks';
import { bearerToken } from '../auth/bearer-token.js';
import { ApiError } from '../errors/api-error.js';

type FeedKind = 'rpde' | 'ldes';

/**
 * Where /metrics reads each consumer's position in the change log (cdp_feed_consumer_position_seq and
 * cdp_feed_consumer_lag): webhook subscriptions from the database; RPDE and LDES readers that send
 * their consumer key with feed requests from Redis (a hash per kind, the same on every replica).
 * Feeds stay anonymous: a reader without a key is served as before, just not tracked (and a cache in
 * front of the api serves pages the api never sees, so only keyed readers can be followed).
 */
@Injectable()
export class ConsumerPositionReaders implements OnModuleInit {
  private readonly prefix: string;

  constructor(
    private readonly positions: ConsumerPositions,
    private readonly webhooks: WebhookStore,
    @Inject(PUBLISHER_REDIS) private readonly redis: Redis,
    config: ConfigService<AppConfig, true>,
  ) {
    this.prefix = config.get('REDIS_PREFIX', { infer: true });
  }

  onModuleInit(): void {
    this.positions.register('webhook', () => this.webhooks.positions());
    for (const kind of ['rpde', 'ldes'] as const) {
      this.positions.register(kind, async () =>
        Object.entries(await this.redis.hgetall(this.key(kind))).map(([consumer, seq]) => ({ consumer, seq: Number(seq) })),
      );
    }
  }

  /**
   * A feed request with a consumer key: remember that this consumer has the stream up to `seq`.
   * A key that is not a live consumer key is a 401 (a reader who sends one expects to be followed).
   */
  async record(request: Request, kind: FeedKind, stream: string, seq: number): Promise<void> {
    const key = bearerToken(request);
    if (!key) return;
    const consumer = await this.webhooks.authenticateConsumer(key);
    if (!consumer) {
      throw new ApiError(
        'unauthenticated',
        {
          nl: 'Feeds zijn openbaar; een meegestuurde sleutel moet wel een geldige consumentensleutel zijn (of laat Authorization weg).',
          en: 'Feeds are public; a key that is sent must be a live consumer key, though (or leave Authorization out).',
        },
        'header Authorization',
      );
    }
    await this.redis.hset(this.key(kind), `${consumer.id}/${stream}`, String(seq));
  }

  private key(kind: FeedKind): string {
    return `${this.prefix}:feed-positions:${kind}`;
  }
}
