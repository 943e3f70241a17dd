import type { DeliveryStatus, ReplayResult, Subscription, WebhooksService } from '@platform/webhooks';
import { ApiError } from '../errors/api-error.js';

/** Request parsing shared by the consumer's webhook API and the operator's (admin) one. */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANGE_NUMBER = /^[0-9]{1,18}$/;
const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed', 'gone', 'skipped'];

export function presentSubscription(subscription: Subscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    description: subscription.description,
    filters: subscription.filters,
    /** Null: one request per change; otherwise `{maxSize, maxWaitMs}` (decision W11). */
    batch: subscription.batch,
    status: subscription.status,
    disabledReason: subscription.disabledReason,
    disabledAt: subscription.disabledAt,
    /** Changes from this number on are delivered; earlier ones by replay. */
    firstChangeNumber: String(BigInt(subscription.createdAfterSeq) + 1n),
    lastSuccessAt: subscription.lastSuccessAt,
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
  };
}

export interface DeliveryQuery {
  status?: DeliveryStatus;
  beforeSeq?: string;
  limit: number;
}

/** `status`, `before` and `limit` of a delivery-log request, checked. */
export function readDeliveryQuery(query: { status?: string; before?: string; limit?: string }): DeliveryQuery {
  if (query.status !== undefined && !DELIVERY_STATUSES.includes(query.status as DeliveryStatus)) {
    throw new ApiError('invalid-argument', { nl: `status: een van ${DELIVERY_STATUSES.join(', ')}.`, en: `status: one of ${DELIVERY_STATUSES.join(', ')}.` }, 'query status');
  }
  if (query.before !== undefined && !CHANGE_NUMBER.test(query.before)) {
    throw new ApiError('invalid-argument', { nl: 'before: een wijzigingsnummer.', en: 'before: a change number.' }, 'query before');
  }
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new ApiError('invalid-argument', { nl: 'limit: een geheel getal van 1 tot 500.', en: 'limit: an integer from 1 to 500.' }, 'query limit');
  }
  return { status: query.status as DeliveryStatus | undefined, beforeSeq: query.before, limit };
}

/** The link to the next (older) page of a delivery log, or null on the last one. */
export function nextDeliveriesPage(basePath: string, query: DeliveryQuery, items: Array<{ changeNumber: string }>): string | null {
  if (items.length < query.limit) return null;
  return `${basePath}?${new URLSearchParams({ ...(query.status ? { status: query.status } : {}), before: items[items.length - 1].changeNumber, limit: String(query.limit) })}`;
}

/** A replay request ({"fromChangeNumber": "1234"} or {"since": "2026-12-01T00:00:00Z"}), checked, then run. */
export async function replay(webhooks: WebhooksService, subscription: Subscription, body: unknown): Promise<ReplayResult> {
  if (subscription.status !== 'active') {
    throw new ApiError(
      'webhook-disabled',
      {
        nl: `Deze webhook is uitgeschakeld (${subscription.disabledReason}); zet eerst status op active (PATCH).`,
        en: `This webhook is disabled (${subscription.disabledReason}); set status to active first (PATCH).`,
      },
      'path id',
    );
  }
  const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const hasFrom = input.fromChangeNumber !== undefined;
  const hasSince = input.since !== undefined;
  if (hasFrom === hasSince) {
    throw new ApiError('invalid-argument', { nl: 'Geef fromChangeNumber of since (niet allebei).', en: 'Give fromChangeNumber or since (not both).' }, 'body');
  }
  if (hasFrom) {
    const from = String(input.fromChangeNumber);
    if (!CHANGE_NUMBER.test(from) || BigInt(from) < 1n) {
      throw new ApiError('invalid-argument', { nl: 'fromChangeNumber: een wijzigingsnummer (>= 1).', en: 'fromChangeNumber: a change number (>= 1).' }, 'body /fromChangeNumber');
    }
    return webhooks.replay(subscription, { changeNumber: from });
  }
  const since = typeof input.since === 'string' ? new Date(input.since) : new Date(Number.NaN);
  if (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(input.since))) {
    throw new ApiError('invalid-argument', { nl: 'since: een ISO 8601-tijdstip, bv. 2026-12-01T00:00:00Z.', en: 'since: an ISO 8601 time, e.g. 2026-12-01T00:00:00Z.' }, 'body /since');
  }
  return webhooks.replay(subscription, { since });
}
