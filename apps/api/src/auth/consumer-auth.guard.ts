import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { WebhookStore, type Consumer } from '@platform/webhooks';
import { ApiError } from '../errors/api-error.js';
import { bearerToken } from './bearer-token.js';

export type ConsumerRequest = Request & { consumer: Consumer };

/** Consumer routes (/v1/webhooks): a live key of kind `consumer`, issued by an admin. */
@Injectable()
export class ConsumerAuthGuard implements CanActivate {
  constructor(private readonly store: WebhookStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsumerRequest>();
    const key = bearerToken(request);
    const consumer = key ? await this.store.authenticateConsumer(key) : null;
    if (!consumer) {
      throw new ApiError(
        'unauthenticated',
        {
          nl: 'Geen geldige consumentensleutel. Stuur "Authorization: Bearer <sleutel>" met een sleutel van het type consumer (een beheerder geeft die uit).',
          en: 'No valid consumer key. Send "Authorization: Bearer <key>" with a key of kind consumer (an admin issues it).',
        },
        'header Authorization',
      );
    }
    request.consumer = consumer;
    return true;
  }
}
