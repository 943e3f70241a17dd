import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { SourceStore, type Caller } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

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
    const sourceId = request.params.sourceId;
    if (typeof sourceId === 'string' && sourceId !== caller.source.id) {
      if (!(await this.sources.find(sourceId))) {
        throw new ApiError('source-not-found', { nl: `Onbekende bron: ${sourceId}`, en: `Unknown source: ${sourceId}` }, 'path sourceId');
      }
      throw new ApiError(
        'forbidden',
        { nl: `Deze sleutel hoort bij bron ${caller.source.id}, niet bij ${sourceId}.`, en: `This key belongs to source ${caller.source.id}, not ${sourceId}.` },
        'path sourceId',
      );
    }
    request.caller = caller;
    return true;
  }
}
