import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { LiveChangesSubscriber } from '@platform/queue';
import { headSeq, readChangeEvents, type ChangeEvent } from './change-events.js';

type Listener = (events: ChangeEvent[]) => void;

/**
 * One change-log reader per api process for every live stream (SSE): it polls the change log (and
 * looks at once when a live availability notice arrives on Redis), and hands each new run of changes,
 * in sequence order and without gaps, to every listener. Runs only while someone listens.
 */
export class ChangeFollower {
  private readonly logger = new Logger(ChangeFollower.name);
  private readonly listeners = new Set<Listener>();
  private cursor: string | null = null;
  private starting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private again = false;
  private stopLive: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveChangesSubscriber,
    private readonly pollIntervalMs: number,
  ) {}

  /**
   * Resolves once the follower has its position: every change after what a reader of the change log
   * sees from now on reaches `listener`, so a stream can replay up to the head and then go live.
   */
  async listen(listener: Listener): Promise<() => void> {
    this.listeners.add(listener);
    this.starting ??= this.start().catch((error: unknown) => {
      // The next listener tries again.
      this.starting = null;
      this.listeners.delete(listener);
      throw error;
    });
    await this.starting;
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  private async start(): Promise<void> {
    this.cursor = await headSeq(this.dataSource);
    this.timer = setInterval(() => void this.poll(), this.pollIntervalMs);
    this.timer.unref();
    try {
      await this.live.start();
      this.stopLive = this.live.onAvailability(() => void this.poll());
    } catch (error) {
      this.logger.warn(`no live notices from Redis (polling only): ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopLive?.();
    this.stopLive = null;
    this.starting = null;
    this.cursor = null;
  }

  private async poll(): Promise<void> {
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = true;
    try {
      do {
        this.again = false;
        if (this.cursor === null) break;
        const events = await readChangeEvents(this.dataSource, this.cursor, 1000);
        if (events.length === 0 || this.cursor === null) break;
        this.cursor = events[events.length - 1].seq;
        for (const listener of this.listeners) listener(events);
        if (events.length === 1000) this.again = true;
      } while (this.again);
    } catch (error) {
      this.logger.warn(`change log not read: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.polling = false;
    }
  }
}
