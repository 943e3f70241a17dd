import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ResearcherKeyStore } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

/** Participation statistics: a live researcher key (issued by an admin). */
export async function authenticateResearcher(store: ResearcherKeyStore, request: Request | undefined): Promise<void> {
  const key = request ? bearerToken(request) : null;
  if (!key || !(await store.authenticate(key))) {
    throw new ApiError(
      'unauthenticated',
      {
        nl: 'Deelnamestatistieken vragen een onderzoekerssleutel: "Authorization: Bearer <sleutel>" (een beheerder reikt ze uit).',
        en: 'Participation statistics need a researcher key: "Authorization: Bearer <key>" (an admin issues them).',
      },
      'header Authorization',
    );
  }
}

@Injectable()
export class ResearcherAuthGuard implements CanActivate {
  constructor(private readonly keys: ResearcherKeyStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await authenticateResearcher(this.keys, context.switchToHttp().getRequest<Request>());
    return true;
  }
}
