import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Outcome of one item of a batch or one seat-count update, as reported to the vendor. */
export type ItemOutcome = 'accepted' | 'rejected' | 'unchanged' | 'deleted' | 'updated' | 'not-found' | 'conflict';

/**
 * The metrics a process exposes on /metrics (Prometheus text format), all named `cdp_*`. One registry
 * per process: each api and worker replica is its own scrape target, Prometheus sums across them.
 */
export class PlatformMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'cdp_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern (not the raw path, so the label set stays bounded) and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'cdp_http_request_duration_seconds',
    help: 'Time from receiving a request to the last byte of its answer, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpInFlight = new Gauge({
    name: 'cdp_http_requests_in_flight',
    help: 'HTTP requests being handled now (admitted by the admission gate, MAX_CONCURRENT_REQUESTS).',
    registers: [this.registry],
  });

  readonly httpQueued = new Gauge({
    name: 'cdp_http_requests_queued',
    help: 'HTTP requests waiting for a slot (at most MAX_QUEUED_REQUESTS; beyond that the api answers 503 overloaded).',
    registers: [this.registry],
  });

  readonly items = new Counter({
    name: 'cdp_ingest_items_total',
    help: 'Items processed per source: kind activity (pushed batches and connector pages) or availability (the fast lane), by outcome.',
    labelNames: ['source', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly connectorRuns = new Counter({
    name: 'cdp_connector_runs_total',
    help: 'Connector runs finished in this process, by source and outcome (succeeded, failed, skipped, interrupted).',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'cdp_queue_jobs_processed_total',
    help: 'Jobs this process finished, by queue and outcome (completed, failed, handed-back).',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: 'cdp_webhook_attempts_total',
    help: 'Webhook delivery attempts made by this process, by outcome (delivered, retry = failed and tried again later, failed = given up, gone = 410, skipped).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // Node's own figures (RSS, heap, event-loop lag, GC) under the same prefix.
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'cdp_' });
  }

  countItems(sourceId: string, kind: 'activity' | 'availability', counts: Partial<Record<ItemOutcome, number>>): void {
    for (const [outcome, count] of Object.entries(counts)) if (count) this.items.inc({ source: sourceId, kind, outcome }, count);
  }

  /** A gauge whose value is read when Prometheus scrapes (queue depth, change-log head). */
  gauge<Label extends string>(name: string, help: string, labelNames: readonly Label[], collect: (gauge: Gauge<Label>) => Promise<void>): Gauge<Label> {
    return new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }

  /** The Prometheus text exposition of everything registered. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
