import { createHash } from 'node:crypto';
import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { bearerToken } from './bearer-token.js';

/** Rate limit per vendor key when one is sent (so vendors behind one NAT do not share a budget), else per IP. */
@Injectable()
export class KeyedThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const key = bearerToken(request as unknown as Request);
    if (key) return `key:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
    return `ip:${(request as unknown as Request).ip ?? 'unknown'}`;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // GraphQL and websocket contexts are not limited here (no express response to set headers on).
    if (context.getType() !== 'http') return true;
    return super.canActivate(context);
  }
}
