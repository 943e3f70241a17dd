import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { SourceStore, type Caller } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';
import { checkSourceInPath } from './source-access.guard.js';

export type AuthenticatedRequest = Request & { caller: Caller };

/**
 * Vendor routes: a live key of the source named in the path. Order of answers: 401 (no or bad key),
 * 404 (no such source), 403 (the key belongs to another source).
 */
@Injectable()
export class VendorAuthGuard implements CanActivate {
  constructor(private readonly sources: SourceStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerToken(request);
    const caller = key ? await this.sources.authenticate(key) : null;
    if (!caller) {
      throw new ApiError(
        'unauthenticated',
        {
          nl: 'Geen geldige API-sleutel. Stuur "Authorization: Bearer <sleutel>" met een niet-ingetrokken sleutel van je bron.',
          en: 'No valid API key. Send "Authorization: Bearer <key>" with a non-revoked key of your source.',
        },
        'header Authorization',
      );
    }
    await checkSourceInPath(this.sources, request.params.sourceId, caller.source.id);
    request.caller = caller;
    return true;
  }
}
