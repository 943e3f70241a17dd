import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { AvailabilityChange } from '@platform/domain';

/** What every api replica receives when a performance's seats or level change. */
export interface AvailabilityEvent extends AvailabilityChange {
  /**
   * Change-log sequence number (the change number of the feeds, SSE event ids and webhook
   * deliveries), so a consumer can move between the live lanes and the feeds without a gap.
   */
  seq: string;
  /** When the platform published it (ms since epoch), for latency measurement. */
  publishedAt: number;
}

/** A committed availability change together with its change-log entry. */
export type LoggedAvailabilityChange = AvailabilityChange & { seq: string };

export function availabilityChannel(prefix: string): string {
  return `${prefix}:live:availability`;
}

/** Publishes committed changes on Redis so every api process can push them to its subscribers. */
export class LiveChangesPublisher {
  private readonly logger = new Logger(LiveChangesPublisher.name);

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /**
   * Never throws: the changes are committed (and in the change log) already, so a Redis hiccup must not
   * turn them into an error answer or a failed job; live subscribers miss them, feeds do not.
   */
  async publishAvailability(events: LoggedAvailabilityChange[]): Promise<void> {
    if (events.length === 0) return;
    const publishedAt = Date.now();
    let failed = 0;
    let reason = '';
    try {
      const pipeline = this.redis.pipeline();
      for (const event of events) pipeline.publish(availabilityChannel(this.prefix), JSON.stringify({ ...event, publishedAt }));
      // A pipeline resolves with one [error, reply] per command: a refused publish shows up there, not as a throw.
      const errors = (await pipeline.exec())?.flatMap(([error]) => (error ? [error] : [])) ?? [];
      failed = errors.length;
      reason = errors[0]?.message ?? '';
    } catch (error) {
      failed = events.length;
      reason = error instanceof Error ? error.message : String(error);
    }
    if (failed > 0) this.logger.warn(`${failed} of ${events.length} availability change(s) not published live: ${reason}`);
  }
}

/**
 * One Redis subscription per process, fanned out in memory: subscribers of this process register
 * listeners here instead of opening a Redis connection each.
 */
export class LiveChangesSubscriber extends EventEmitter {
  private started = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    super();
    this.setMaxListeners(0);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.redis.on('message', (channel: string, message: string) => {
      if (channel !== availabilityChannel(this.prefix)) return;
      this.emit('availability', JSON.parse(message) as AvailabilityEvent);
    });
    await this.redis.subscribe(availabilityChannel(this.prefix));
  }

  onAvailability(listener: (event: AvailabilityEvent) => void): () => void {
    this.on('availability', listener);
    return () => this.off('availability', listener);
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.redis.unsubscribe(availabilityChannel(this.prefix));
  }
}
