import { timingSafeEqual } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { AppConfig } from '@platform/config';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

/** Admin routes: `Authorization: Bearer $ADMIN_TOKEN`, compared in constant time; no token configured = closed. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(private readonly config: ConfigService<AppConfig, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const configured = this.config.get('ADMIN_TOKEN', { infer: true });
    const token = bearerToken(context.switchToHttp().getRequest<Request>());
    const expected = Buffer.from(configured ?? '');
    const given = Buffer.from(token ?? '');
    if (!configured || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiError(
        'unauthenticated',
        { nl: 'Admin-routes vragen "Authorization: Bearer $ADMIN_TOKEN".', en: 'Admin routes need "Authorization: Bearer $ADMIN_TOKEN".' },
        'header Authorization',
      );
    }
    return true;
  }
}
