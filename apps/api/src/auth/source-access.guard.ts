import { timingSafeEqual } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import type { AppConfig } from '@platform/config';
import { SourceStore, type SourceEntity } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

/** Who called: the operator (ADMIN_TOKEN) or a vendor (a live key of one source). */
export type Principal = { role: 'admin' } | { role: 'vendor'; keyId: string; source: SourceEntity };

export type PrincipalRequest = Request & { principal: Principal };

export function isAdminToken(configured: string | undefined, token: string | null): boolean {
  if (!configured || !token) return false;
  const expected = Buffer.from(configured);
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** True when the principal may read or act on this source's operations. */
export function mayAccess(principal: Principal, sourceId: string): boolean {
  return principal.role === 'admin' || principal.source.id === sourceId;
}

/**
 * The `sourceId` of a path against the caller's own source (`ownSourceId`; null: the operator, who may
 * reach every source): 404 for an unknown source, then 403 for another vendor's source.
 */
export async function checkSourceInPath(sources: SourceStore, sourceId: unknown, ownSourceId: string | null): Promise<void> {
  if (typeof sourceId !== 'string' || sourceId === ownSourceId) return;
  if (!(await sources.find(sourceId))) {
    throw new ApiError('source-not-found', { nl: `Onbekende bron: ${sourceId}`, en: `Unknown source: ${sourceId}` }, 'path sourceId');
  }
  if (ownSourceId !== null) {
    throw new ApiError(
      'forbidden',
      { nl: `Deze sleutel hoort bij bron ${ownSourceId}, niet bij ${sourceId}.`, en: `This key belongs to source ${ownSourceId}, not ${sourceId}.` },
      'path sourceId',
    );
  }
}

/**
 * Routes both the operator and a vendor use (the console, batch reports, payloads): the admin token
 * reaches every source, a vendor key only its own. A `sourceId` in the path is checked here: 401, then
 * 404 for an unknown source, then 403 for another vendor's source.
 */
@Injectable()
export class SourceAccessGuard implements CanActivate {
  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly sources: SourceStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<PrincipalRequest>();
    const token = bearerToken(request);
    let principal: Principal | null = null;
    if (isAdminToken(this.config.get('ADMIN_TOKEN', { infer: true }), token)) principal = { role: 'admin' };
    else if (token) {
      const caller = await this.sources.authenticate(token);
      if (caller) principal = { role: 'vendor', keyId: caller.keyId, source: caller.source };
    }
    if (!principal) {
      throw new ApiError(
        'unauthenticated',
        {
          nl: 'Stuur "Authorization: Bearer <sleutel>" met het admin-token of een niet-ingetrokken API-sleutel van je bron.',
          en: 'Send "Authorization: Bearer <key>" with the admin token or a non-revoked API key of your source.',
        },
        'header Authorization',
      );
    }
    await checkSourceInPath(this.sources, request.params.sourceId, principal.role === 'admin' ? null : principal.source.id);
    request.principal = principal;
    return true;
  }
}
