import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '@platform/config';
import { PUBLISHER_REDIS } from '@platform/queue';
import { SourceStore } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

// Whether a key is live, remembered briefly so the limiter does not cost a query per request.
const KEY_CACHE_MS = 10_000;
const KEY_CACHE_SIZE = 10_000;

function isHttpRequest(value: unknown): value is Request {
  return typeof value === 'object' && value !== null && typeof (value as Partial<Request>).headers === 'object' && typeof (value as Partial<Request>).method === 'string';
}

/**
 * RATE_LIMIT_PER_MINUTE per vendor key (vendors behind one NAT do not share a budget), else per IP;
 * a bearer token counts as a key only when it authenticates, so random tokens cannot mint fresh
 * budgets. Applies to REST and to GraphQL over HTTP (one point per HTTP request, however many root
 * fields). Counted in Redis: the limit holds across replicas. Fails open while Redis is away.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);
  private readonly limiter: RateLimiterRedis;
  private readonly liveKeys = new Map<string, { live: boolean; until: number }>();
  // Guards run once per GraphQL root field: every field of one request shares the request's one check.
  private readonly checked = new WeakMap<Request, Promise<void>>();

  constructor(
    @Inject(PUBLISHER_REDIS) redis: Redis,
    config: ConfigService<AppConfig, true>,
    private readonly sources: SourceStore,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.get('REDIS_PREFIX', { infer: true })}:rate-limit`,
      points: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }),
      duration: 60,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() === 'http') {
      await this.check(context.switchToHttp().getRequest<Request>(), context.switchToHttp().getResponse<Response>());
      return true;
    }
    if (context.getType<string>() === 'graphql') {
      const request = GqlExecutionContext.create(context).getContext<{ req?: unknown } | undefined>()?.req;
      // graphql-ws operations are not limited: for them Nest puts the socket's context under req, not a request.
      if (!isHttpRequest(request)) return true;
      let pending = this.checked.get(request);
      if (!pending) {
        pending = this.check(request, request.res);
        this.checked.set(request, pending);
      }
      try {
        await pending;
      } catch (error) {
        // Apollo answers a plain Error as INTERNAL_SERVER_ERROR: give clients a code they can act on.
        if (error instanceof ApiError) {
          throw new GraphQLError(`${error.messages.nl} / ${error.messages.en}`, {
            originalError: error,
            extensions: { code: 'RATE_LIMITED', message: error.messages },
          });
        }
        throw error;
      }
      return true;
    }
    return true;
  }

  /** Resolves when the request may go on; rejects with ApiError('rate-limited') past the limit. */
  private async check(request: Request, response: Response | undefined): Promise<void> {
    const tracker = await this.trackerOf(request);
    try {
      const state = await this.limiter.consume(tracker);
      response?.setHeader('RateLimit-Remaining', String(state.remainingPoints));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        // Redis trouble must not take the API down with it: let the request through and say so.
        this.logger.warn(`rate limit not checked: ${rejection instanceof Error ? rejection.message : String(rejection)}`);
        return;
      }
      const seconds = Math.ceil(rejection.msBeforeNext / 1000);
      response?.setHeader('Retry-After', String(seconds));
      throw new ApiError('rate-limited', {
        nl: `Te veel verzoeken; probeer opnieuw over ${seconds} s.`,
        en: `Too many requests; try again in ${seconds} s.`,
      });
    }
  }

  private async trackerOf(request: Request): Promise<string> {
    const key = bearerToken(request);
    if (key) {
      const hash = createHash('sha256').update(key).digest('hex');
      if (await this.isLiveKey(key, hash)) return `key:${hash.slice(0, 32)}`;
    }
    return `ip:${request.ip ?? 'unknown'}`;
  }

  private async isLiveKey(key: string, hash: string): Promise<boolean> {
    const now = Date.now();
    const cached = this.liveKeys.get(hash);
    if (cached && cached.until > now) return cached.live;
    let live: boolean;
    try {
      live = (await this.sources.authenticate(key)) !== null;
    } catch (error) {
      // Database trouble: count by IP for now (not cached); the route's own auth will answer properly.
      this.logger.warn(`vendor key not checked for the rate limit: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    // Re-inserted entries move to the end, so the first one is the oldest: drop it when full.
    this.liveKeys.delete(hash);
    const oldest = this.liveKeys.keys().next();
    if (this.liveKeys.size >= KEY_CACHE_SIZE && !oldest.done) this.liveKeys.delete(oldest.value);
    this.liveKeys.set(hash, { live, until: now + KEY_CACHE_MS });
    return live;
  }
}
