import pRetry, { AbortError } from 'p-retry';
import type { FetchedResponse } from './connector.js';

export interface HttpClientOptions {
  /** Secret values that must never appear in an error message or log line. */
  secrets: string[];
  /** Attempts per request (1 = no retry). */
  attempts?: number;
  /** First back-off delay; doubles per attempt (with jitter), capped at maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Called before each retry (progress output, logs): the message is already redacted. */
  onRetry?: (message: string, attempt: number) => void;
  /** Aborts requests in flight and their retries (a page a run read ahead and no longer needs). */
  signal?: AbortSignal;
}

/** A remote request that failed for good: the message names the URL (redacted) and the reason. */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

const RETRIABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * The connectors' only way out: fetch with a time-out, retries with exponential back-off on network
 * errors, 408/429/5xx (honouring Retry-After), and every configured secret redacted from what it reports.
 */
export class HttpClient {
  private readonly secrets: string[];

  constructor(private readonly options: HttpClientOptions) {
    this.secrets = options.secrets.filter((secret) => secret.length >= 4);
  }

  /** The same client, whose requests also stop when `signal` aborts. */
  withSignal(signal: AbortSignal): HttpClient {
    return new HttpClient({ ...this.options, signal });
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      result = result.split(secret).join('***');
      result = result.split(encodeURIComponent(secret)).join('***');
    }
    return result;
  }

  /** GET (or another method) a URL; answers the body as received, or throws RemoteError. */
  async request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<FetchedResponse> {
    const attempts = this.options.attempts ?? 4;
    const shown = this.redact(url);
    return pRetry(
      async () => {
        let response: Response;
        try {
          response = await this.fetchFollowingSameOrigin(url, init);
        } catch (error) {
          if (error instanceof RemoteError) throw new AbortError(error);
          // undici says only "fetch failed"; the cause says why (ENOTFOUND, ECONNREFUSED, a time-out, ...).
          const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
          const why = cause ? `${(error as Error).message} (${[cause.code, cause.message].filter(Boolean).join(': ')})` : (error as Error).message;
          throw new RemoteError(this.redact(`${init.method ?? 'GET'} ${shown}: ${why}`));
        }
        const body = Buffer.from(await response.arrayBuffer());
        if (response.ok) return { url, contentType: response.headers.get('content-type') ?? 'application/octet-stream', body };
        const error = new RemoteError(this.redact(`${init.method ?? 'GET'} ${shown}: HTTP ${response.status} ${body.toString('utf8').slice(0, 200)}`), response.status);
        if (!RETRIABLE_STATUS.has(response.status)) throw new AbortError(error);
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter * 1000, this.options.maxDelayMs ?? 30_000)));
        }
        throw error;
      },
      {
        retries: attempts - 1,
        ...(this.options.signal ? { signal: this.options.signal } : {}),
        minTimeout: this.options.minDelayMs ?? 1000,
        maxTimeout: this.options.maxDelayMs ?? 30_000,
        factor: 2,
        randomize: true,
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0) this.options.onRetry?.(this.redact(error.message), attemptNumber);
        },
      },
    );
  }

  /**
   * Redirects are followed only within the request's origin: the request carries credentials (API keys in
   * headers) that must never reach another host. A redirect elsewhere is an error naming both.
   */
  private async fetchFollowingSameOrigin(url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
      const response = await fetch(current, { ...init, redirect: 'manual', signal: this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      const next = new URL(location, current);
      if (next.origin !== new URL(current).origin) {
        await response.body?.cancel();
        throw new RemoteError(this.redact(`${init.method ?? 'GET'} ${current}: redirected to another host (${next.origin}); not followed, so the credentials stay with ${new URL(current).origin}`), response.status);
      }
      await response.body?.cancel();
      current = next.toString();
    }
    throw new RemoteError(this.redact(`${init.method ?? 'GET'} ${url}: more than 5 redirects`));
  }

  /** GET a JSON document; a body that is not JSON is a RemoteError naming the URL. */
  async json<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<{ response: FetchedResponse; document: T }> {
    const response = await this.request(url, { headers: { accept: 'application/json', ...headers } });
    try {
      return { response, document: JSON.parse(response.body.toString('utf8')) as T };
    } catch (error) {
      throw new RemoteError(this.redact(`GET ${url}: not JSON (${(error as Error).message})`));
    }
  }
}
