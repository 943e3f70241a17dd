import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const withoutTrailingSlash = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/\/+$/, '') : value;

/**
 * Every setting the api and the worker read, validated once at start-up (documented in .env.example
 * and docs/configuration.md). A missing or wrong value stops the process with a message naming the variable.
 */
export class AppConfig {
  @Transform(toNumber) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  /** Unset: embedded PGlite under DATA_DIR. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * How long a new Postgres connection may take before the attempt fails (and the job, sweep or request that
   * needed it tries again). Without it a connect whose SYN went unanswered while Postgres restarted waited for
   * the kernel's ~127 s and held webhook runs and the recovery sweep that long.
   */
  @Transform(toNumber) @IsInt() @Min(100) @Max(600_000)
  DATABASE_CONNECT_TIMEOUT_MS = 10_000;

  /** Unset: a local redis-server is started for the process on a free port. */
  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Base of every published IRI ({PUBLIC_BASE_URL}/id/activiteit/{uuid}); no trailing slash. Unset: http://localhost:{PORT}. */
  @Transform(withoutTrailingSlash)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'PUBLIC_BASE_URL must be an absolute http(s) URL' })
  PUBLIC_BASE_URL!: string;

  /** Bearer token for /v1/admin; unset: a random one is generated and printed at start. */
  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  /** Seals connector credentials at rest (AES-256-GCM); every api and worker process needs the same one. Unset on the embedded start: generated once into DATA_DIR. */
  @IsOptional() @IsString() @MinLength(16, { message: 'CREDENTIALS_KEY must be at least 16 characters' })
  CREDENTIALS_KEY?: string;

  /** Vendor key of the demo source; unset: a random one is printed at start. */
  @IsOptional() @IsString() @MinLength(16, { message: 'DEMO_API_KEY must be at least 16 characters' })
  DEMO_API_KEY?: string;

  /** Load the demo source and activities at start (default: only on the embedded database). */
  @IsOptional() @Transform(toBool) @IsBoolean()
  DEMO_DATA?: boolean;

  /**
   * Synthetic tickets loaded for the demo activities with the demo data (libs/research/src/demo); 0 loads
   * none. Needs PSEUDONYM_KEY (set on the embedded start).
   */
  @Transform(toNumber) @IsInt() @Min(0) @Max(10_000_000)
  DEMO_PARTICIPATION_TICKETS = 100_000;

  /** Where the embedded database and redis keep their files. */
  @IsString()
  DATA_DIR = './data';

  /** What the api entrypoint runs: api (HTTP only) or all (HTTP and the queue processors). The worker has its own entrypoint. */
  @IsIn(['api', 'all'], { message: 'ROLE must be api or all (the worker process is node dist/apps/worker/src/main.js)' })
  ROLE: 'api' | 'all' = 'all';

  /** Prefix of every Redis key and channel, so several deployments can share one Redis. */
  @IsString() @Matches(/^[a-z0-9:_-]+$/i)
  REDIS_PREFIX = 'cdp';

  /** Batches one worker process handles at once. Ingest is CPU-bound (SHACL): scale with processes, not this (measured: 2 is slower than 1). */
  @Transform(toNumber) @IsInt() @Min(1) @Max(64)
  WORKER_CONCURRENCY = 1;

  /** Largest accepted request body, in bytes; larger gets 413. */
  @Transform(toNumber) @IsInt() @Min(1024)
  MAX_BODY_BYTES = 10 * 1024 * 1024;

  /** Largest number of items in one pushed batch. */
  @Transform(toNumber) @IsInt() @Min(1)
  MAX_BATCH_ITEMS = 1000;

  /**
   * HTTP requests the api handles at once; more wait in a queue (first come, first served). Health, metrics and
   * event streams are not counted. Bounds the memory a burst of reads can take.
   */
  @Transform(toNumber) @IsInt() @Min(1) @Max(10_000)
  MAX_CONCURRENT_REQUESTS = 32;

  /** Requests that may wait for a slot; beyond them the api answers 503 `overloaded` with Retry-After. */
  @Transform(toNumber) @IsInt() @Min(0) @Max(100_000)
  MAX_QUEUED_REQUESTS = 512;

  /** Requests per minute per vendor key (or per IP for anonymous reads); over it: 429. */
  @Transform(toNumber) @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE = 6000;

  @Transform(toNumber) @IsNumber() @Min(0) @Max(1)
  AVAILABILITY_LIMITED_RATIO = 0.1;

  @Transform(toNumber) @IsInt() @Min(0)
  AVAILABILITY_LIMITED_COUNT = 10;

  /** Performances of two sources starting this close (minutes) may be the same performance. */
  @Transform(toNumber) @IsInt() @Min(0) @Max(24 * 60)
  RECONCILE_WINDOW_MINUTES = 30;

  /** Match score (0..1: title 60%, place 30%, start time 10%) from which two activities are linked without asking. */
  @Transform(toNumber) @IsNumber() @Min(0) @Max(1)
  RECONCILE_AUTO_SCORE = 0.85;

  /** Match score from which a match goes to the review list (below the automatic score). */
  @Transform(toNumber) @IsNumber() @Min(0) @Max(1)
  RECONCILE_REVIEW_SCORE = 0.55;

  /** Which source kinds a published activity takes each group of fields from: `availability:ticketmatic,push;schedule:yesplan`. Unset groups keep the defaults. */
  @IsOptional() @Matches(/^(\s*(description|media|schedule|availability|place|organizer|prices|booking)\s*:\s*[a-z0-9-]+(\s*,\s*[a-z0-9-]+)*\s*(;|$))*$/, {
    message: 'RECONCILE_PRECEDENCE must be group:kind,kind;group:kind (groups: description, media, schedule, availability, place, organizer, prices, booking)',
  })
  RECONCILE_PRECEDENCE?: string;

  /** Attempts per remote request of a connector (network errors, 408/429/5xx); then the run fails and resumes later. */
  @Transform(toNumber) @IsInt() @Min(1) @Max(20)
  CONNECTOR_RETRY_ATTEMPTS = 4;

  /** First back-off delay between those attempts, doubling each time (ms). */
  @Transform(toNumber) @IsInt() @Min(0)
  CONNECTOR_RETRY_DELAY_MS = 1000;

  /** Time-out of one remote request (ms). */
  @Transform(toNumber) @IsInt() @Min(100)
  CONNECTOR_TIMEOUT_MS = 30_000;

  /** A run holds its source's lease this long past its last page; a run that died frees it after this (ms). */
  @Transform(toNumber) @IsInt() @Min(1000)
  CONNECTOR_LEASE_MS = 5 * 60_000;

  /** Most pages one run fetches (a later run continues from the cursor). */
  @Transform(toNumber) @IsInt() @Min(1)
  CONNECTOR_MAX_PAGES = 10_000;

  /** RPDE feeds keep `deleted` tombstones at least this many days (older ones leave the feed); also the LDES retention policy. */
  @Transform(toNumber) @IsInt() @Min(7, { message: 'FEED_TOMBSTONE_DAYS must be at least 7 (RPDE: tombstones are kept at least 7 days)' }) @Max(36500)
  FEED_TOMBSTONE_DAYS = 7;

  /** Items per RPDE page (the `next` page continues after the last one). */
  @Transform(toNumber) @IsInt() @Min(1) @Max(5000)
  FEED_PAGE_SIZE = 500;

  /** Change numbers per LDES page (/ldes/{stream}/pages/{first}-{last}); another value starts new page URLs, old ones keep answering the same. */
  @Transform(toNumber) @IsInt() @Min(10) @Max(10_000)
  FEED_LDES_PAGE_SPAN = 500;

  /** Licence of the published data, named by the feeds (RPDE `license`, LDES/DCAT dcterms:license). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'FEED_LICENSE must be an absolute http(s) URL' })
  FEED_LICENSE = 'https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0';
  /** Allow webhook targets that resolve to loopback, private, link-local or other non-public addresses (local development and tests only). */
  @IsOptional() @Transform(toBool) @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /** Allow http:// webhook targets (local development and tests only); otherwise https is required. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  WEBHOOK_ALLOW_HTTP = false;

  /** Attempts per webhook message (the first included); the default schedule spans about three days. */
  @Transform(toNumber) @IsInt() @Min(1) @Max(20)
  WEBHOOK_ATTEMPTS = 10;

  /** First retry delay (ms); each further delay is 4x the previous one, capped at 5760x this (24 h at the default), +-20 % jitter. */
  @Transform(toNumber) @IsInt() @Min(1)
  WEBHOOK_RETRY_BASE_MS = 15_000;

  /** Time-out of one webhook request (ms): connect, send and the receiver's answer. */
  @Transform(toNumber) @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** Webhook requests one worker process has in flight at once. */
  @Transform(toNumber) @IsInt() @Min(1) @Max(1000)
  WEBHOOK_CONCURRENCY = 50;

  /** How often the webhook dispatcher and the SSE streams look for new change-log entries when idle (ms). */
  @Transform(toNumber) @IsInt() @Min(10)
  CHANGE_POLL_INTERVAL_MS = 200;

  /** Most changes one replay request queues (the answer says where to continue). */
  @Transform(toNumber) @IsInt() @Min(1)
  WEBHOOK_REPLAY_MAX = 10_000;

  /** GraphQL: deepest selection an operation may have (introspection excepted). */
  @Transform(toNumber) @IsInt() @Min(2) @Max(50)
  GRAPHQL_MAX_DEPTH = 10;

  /** GraphQL: most aliases in one operation (each alias of `activities` is one more search). */
  @Transform(toNumber) @IsInt() @Min(0) @Max(1000)
  GRAPHQL_MAX_ALIASES = 15;

  /**
   * GraphQL: highest static cost of one operation (graphql-armor: objects 2, scalars 1, x1.5 per level, a list
   * field times its `first`). One `activities(first: 100)` page with performances, place and sources costs ~20,000.
   */
  @Transform(toNumber) @IsInt() @Min(100)
  GRAPHQL_MAX_COST = 50_000;

  /** GraphQL: most tokens in one document (refused before it is even validated). */
  @Transform(toNumber) @IsInt() @Min(100)
  GRAPHQL_MAX_TOKENS = 2000;

  /**
   * Keys the participant pseudonyms (HMAC-SHA256 of a customer id or e-mail) and the records' cell keys.
   * Without it participation is not accepted. Keep it secret and stable: a new key makes every
   * participant new. Unset on the embedded start: generated once into DATA_DIR.
   */
  @IsOptional() @IsString() @MinLength(16, { message: 'PSEUDONYM_KEY must be at least 16 characters' })
  PSEUDONYM_KEY?: string;

  /** Most tickets in one pushed participation batch (400 beyond). */
  @Transform(toNumber) @IsInt() @Min(1)
  MAX_PARTICIPATION_ITEMS = 10_000;

  /** Every published person count is at least this (smaller cells are suppressed). */
  @Transform(toNumber) @IsInt() @Min(2) @Max(1000)
  DISCLOSURE_K = 10;

  /** (n, k) dominance rule for revenue: suppressed when the n largest organisations hold more than k percent. */
  @Transform(toNumber) @IsInt() @Min(1) @Max(10)
  DISCLOSURE_DOMINANCE_N = 1;

  @Transform(toNumber) @IsNumber() @Min(1) @Max(100)
  DISCLOSURE_DOMINANCE_PERCENT = 85;

  /**
   * Linear-programming work the suppression audit of one table may do (variables x constraints per
   * program, summed; about 50 ns each on a 2-core machine, so the default is about 2 s). A table that
   * needs more gets the closed pattern instead: safe without an audit, more cells withheld.
   */
  @Transform(toNumber) @IsInt() @Min(0)
  DISCLOSURE_AUDIT_WORK = 40_000_000;

  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** Worker process: port of its own /metrics, /health/live and /health/ready (0 = none). The api serves them on PORT. */
  @Transform(toNumber) @IsInt() @Min(0) @Max(65535)
  METRICS_PORT = 9464;

  /** After SIGTERM, how long running jobs may take to finish before the process exits anyway (ms); jobs still running are then handed back by BullMQ's stalled-job check. */
  @Transform(toNumber) @IsInt() @Min(0)
  SHUTDOWN_TIMEOUT_MS = 25_000;

  /** A running job's lock lives this long without renewal (ms): the job of a worker that died goes back to the queue after one to two times this. Read when the worker process starts. */
  @Transform(toNumber) @IsInt() @Min(1000)
  JOB_LOCK_MS = 30_000;

  /** How often a worker queues again accepted batches whose job Redis lost (a Redis restart without persistence), in ms. */
  @Transform(toNumber) @IsInt() @Min(100)
  RECOVERY_SWEEP_MS = 30_000;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const SECRETS = new Set(['ADMIN_TOKEN', 'DEMO_API_KEY', 'CREDENTIALS_KEY', 'PSEUDONYM_KEY']);

/**
 * A rejected value as it may appear in a log: secrets hidden, credentials in URLs (DATABASE_URL,
 * REDIS_URL) masked. Masks up to the last @, so a password with an unencoded @ or / does not leak its
 * tail; at worst more is masked than needed.
 */
function shown(property: string, value: unknown): string {
  if (SECRETS.has(property)) return '(value hidden)';
  if (typeof value !== 'string' || !value.includes('@')) return JSON.stringify(value);
  if (/:\/\/[^:@/]*:.*@/s.test(value)) return JSON.stringify(value.replace(/(:\/\/[^:@/]*:).*@/s, '$1***@'));
  // No scheme://user: to go by (user:password@host, or a lone token@host): hide all before the last @.
  return JSON.stringify(value.replace(/^.*@/s, '***@'));
}

/** Used by ConfigModule.forRoot({ validate }) and by scripts: throws ConfigError naming each bad variable. */
export function validateConfig(environment: Record<string, unknown>): AppConfig {
  const relevant = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  const config = plainToInstance(AppConfig, relevant, { exposeDefaultValues: true });
  config.PUBLIC_BASE_URL ??= `http://localhost:${Number.isInteger(config.PORT) ? config.PORT : 3000}`;
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join('; ')} (got ${shown(error.property, error.value)})`),
    );
  }
  return config;
}
