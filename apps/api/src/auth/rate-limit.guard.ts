import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { AppConfig } from '@platform/config';
import { PUBLISHER_REDIS } from '@platform/queue';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

/**
 * RATE_LIMIT_PER_MINUTE per vendor key (vendors behind one NAT do not share a budget), else per IP.
 * Counted in Redis, so the limit holds across all api replicas.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RateLimitGuard.name);
  private readonly limiter: RateLimiterRedis;

  constructor(@Inject(PUBLISHER_REDIS) redis: Redis, config: ConfigService<AppConfig, true>) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.get('REDIS_PREFIX', { infer: true })}:rate-limit`,
      points: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }),
      duration: 60,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // GraphQL over websockets has no HTTP request per operation.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const key = bearerToken(request);
    const tracker = key ? `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}` : `ip:${request.ip ?? 'unknown'}`;
    try {
      const state = await this.limiter.consume(tracker);
      response.setHeader('RateLimit-Remaining', String(state.remainingPoints));
      return true;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        // Redis trouble must not take the API down with it: let the request through and say so.
        this.logger.warn(`rate limit not checked: ${(rejection as Error).message}`);
        return true;
      }
      const seconds = Math.ceil(rejection.msBeforeNext / 1000);
      response.setHeader('Retry-After', String(seconds));
      throw new ApiError('rate-limited', {
        nl: `Te veel verzoeken; probeer opnieuw over ${seconds} s.`,
        en: `Too many requests; try again in ${seconds} s.`,
      });
    }
  }
}
