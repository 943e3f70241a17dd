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

/** Changes per Redis message at most (each is ~300 bytes of JSON). */
const MESSAGE_EVENTS = 1000;

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
      // One message per run of up to MESSAGE_EVENTS changes (a batch of 200 activities has 600): one PUBLISH
      // for Redis and one parse per api process instead of one each per change. A single change (the fast
      // lane) stays one object; more travel as an array. The subscriber reads both.
      const pipeline = this.redis.pipeline();
      const runs: LoggedAvailabilityChange[][] = [];
      for (let offset = 0; offset < events.length; offset += MESSAGE_EVENTS) runs.push(events.slice(offset, offset + MESSAGE_EVENTS));
      for (const run of runs) {
        const message = run.length === 1 ? JSON.stringify({ ...run[0], publishedAt }) : JSON.stringify(run.map((event) => ({ ...event, publishedAt })));
        pipeline.publish(availabilityChannel(this.prefix), message);
      }
      // A pipeline resolves with one [error, reply] per command: a refused publish shows up there, not as a throw.
      const results = (await pipeline.exec()) ?? [];
      const errors = results.flatMap(([error], index) => (error ? [{ error, count: runs[index].length }] : []));
      failed = errors.reduce((sum, { count }) => sum + count, 0);
      reason = errors[0]?.error.message ?? '';
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
      const parsed = JSON.parse(message) as AvailabilityEvent | AvailabilityEvent[];
      if (Array.isArray(parsed)) for (const event of parsed) this.emit('availability', event);
      else this.emit('availability', parsed);
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
