import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CHANGE_KINDS,
  ENTITY_TYPES,

  newSigningSecret,
  readFilters,
  WebhooksService,
  WebhookStore,

  type DeliveryStatus,
  type Subscription,
} from '@platform/webhooks';
import { ConsumerAuthGuard, type ConsumerRequest } from '../auth/consumer-auth.guard.js';
import { ApiError } from '../errors/api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANGE_NUMBER = /^[0-9]{1,18}$/;
const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed', 'gone', 'skipped'];
const ALLOWED_FIELDS = new Set(['url', 'description', 'filters', 'status', 'rotateSecret']);

function present(subscription: Subscription) {
  return {
    id: subscription.id,
    url: subscription.url,
    description: subscription.description,
    filters: subscription.filters,
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

function readBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('malformed-body', { nl: 'De body moet een JSON-object zijn.', en: 'The body must be a JSON object.' }, 'body');
  }
  const unknownField = Object.keys(body).find((field) => !ALLOWED_FIELDS.has(field));
  if (unknownField) {
    throw new ApiError(
      'invalid-argument',
      { nl: `Onbekend veld ${unknownField}; mogelijk: ${[...ALLOWED_FIELDS].join(', ')}.`, en: `Unknown field ${unknownField}; known: ${[...ALLOWED_FIELDS].join(', ')}.` },
      `body /${unknownField}`,
    );
  }
  return body as Record<string, unknown>;
}

function readDescription(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > 500) {
    throw new ApiError('invalid-argument', { nl: 'description: tekst van hoogstens 500 tekens.', en: 'description: text of at most 500 characters.' }, 'body /description');
  }
  return value;
}

@ApiTags('webhooks')
@ApiBearerAuth('consumer')
@UseGuards(ConsumerAuthGuard)
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly store: WebhookStore,
    private readonly webhooks: WebhooksService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook. The answer carries the signing secret (whsec_..., shown once); deliveries follow the Standard Webhooks specification.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string', example: 'https://agenda.example.org/hooks/cultuurdata' },
        description: { type: 'string' },
        filters: {
          type: 'object',
          properties: {
            kinds: { type: 'array', items: { enum: [...CHANGE_KINDS] } },
            entityTypes: { type: 'array', items: { enum: [...ENTITY_TYPES] } },
            activityIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
            placeIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
            organizerIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
            municipalities: { type: 'array', items: { type: 'string' }, example: ['Gent'] },
            postalCodes: { type: 'array', items: { type: 'string' }, example: ['9000'] },
          },
        },
      },
    },
  })
  async create(@Req() request: ConsumerRequest, @Body() body: unknown) {
    const input = readBody(body);
    if (input.status !== undefined || input.rotateSecret !== undefined) {
      throw new ApiError('invalid-argument', { nl: 'status en rotateSecret horen bij PATCH.', en: 'status and rotateSecret belong to PATCH.' }, 'body');
    }
    if (typeof input.url !== 'string') throw new ApiError('invalid-argument', { nl: 'url is verplicht.', en: 'url is required.' }, 'body /url');
    const { subscription, secret } = await this.webhooks.create(request.consumer.id, {
      url: input.url,
      description: readDescription(input.description),
      filters: readFilters(input.filters, 'body /filters'),
    });
    return { ...present(subscription), secret };
  }

  @Get()
  @ApiOperation({ summary: "The consumer's webhooks." })
  async list(@Req() request: ConsumerRequest) {
    return (await this.store.listSubscriptions(request.consumer.id)).map(present);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook.' })
  async get(@Req() request: ConsumerRequest, @Param('id') id: string) {
    return present(await this.subscription(request, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change url, description or filters; status active (re-enable) or disabled; rotateSecret: true issues a new secret (shown once).' })
  async update(@Req() request: ConsumerRequest, @Param('id') id: string, @Body() body: unknown) {
    await this.subscription(request, id);
    const input = readBody(body);
    if (input.url !== undefined) {
      if (typeof input.url !== 'string') throw new ApiError('invalid-argument', { nl: 'url moet tekst zijn.', en: 'url must be a string.' }, 'body /url');
      await this.webhooks.checkTarget(input.url);
    }
    if (input.status !== undefined && input.status !== 'active' && input.status !== 'disabled') {
      throw new ApiError('invalid-argument', { nl: 'status: active of disabled.', en: 'status: active or disabled.' }, 'body /status');
    }
    if (input.rotateSecret !== undefined && typeof input.rotateSecret !== 'boolean') {
      throw new ApiError('invalid-argument', { nl: 'rotateSecret: true of false.', en: 'rotateSecret: true or false.' }, 'body /rotateSecret');
    }
    const secret = input.rotateSecret ? newSigningSecret() : undefined;
    const updated = await this.store.updateSubscription(request.consumer.id, id, {
      url: input.url as string | undefined,
      description: input.description === undefined ? undefined : readDescription(input.description),
      filters: input.filters === undefined ? undefined : readFilters(input.filters, 'body /filters'),
      status: input.status as 'active' | 'disabled' | undefined,
      secret,
    });
    if (!updated) throw this.notFound(id);
    return { ...present(updated), ...(secret ? { secret } : {}) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a webhook and its delivery log.' })
  async remove(@Req() request: ConsumerRequest, @Param('id') id: string) {
    if (!UUID.test(id) || !(await this.store.deleteSubscription(request.consumer.id, id))) throw this.notFound(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log, newest change first: status, attempts, last answer, next attempt. Page back with before={changeNumber}.' })
  async deliveries(
    @Req() request: ConsumerRequest,
    @Param('id') id: string,
    @Query('status') status?: string,
    @Query('before') before?: string,
    @Query('limit') limit?: string,
  ) {
    const subscription = await this.subscription(request, id);
    if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
      throw new ApiError('invalid-argument', { nl: `status: een van ${DELIVERY_STATUSES.join(', ')}.`, en: `status: one of ${DELIVERY_STATUSES.join(', ')}.` }, 'query status');
    }
    if (before !== undefined && !CHANGE_NUMBER.test(before)) {
      throw new ApiError('invalid-argument', { nl: 'before: een wijzigingsnummer.', en: 'before: a change number.' }, 'query before');
    }
    const size = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 500) {
      throw new ApiError('invalid-argument', { nl: 'limit: een geheel getal van 1 tot 500.', en: 'limit: an integer from 1 to 500.' }, 'query limit');
    }
    const items = await this.store.deliveries(subscription.id, { limit: size, beforeSeq: before, status: status as DeliveryStatus | undefined });
    const next = items.length === size ? `/v1/webhooks/${id}/deliveries?${new URLSearchParams({ ...(status ? { status } : {}), before: items[items.length - 1].changeNumber, limit: String(size) })}` : null;
    return { items, next };
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the matching changes again from a change number (inclusive) or a time: {"fromChangeNumber": "1234"} or {"since": "2026-12-01T00:00:00Z"}.' })
  async replay(@Req() request: ConsumerRequest, @Param('id') id: string, @Body() body: unknown) {
    const subscription = await this.subscription(request, id);
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
      return this.webhooks.replay(subscription, { changeNumber: from });
    }
    const since = typeof input.since === 'string' ? new Date(input.since) : new Date(Number.NaN);
    if (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(String(input.since))) {
      throw new ApiError('invalid-argument', { nl: 'since: een ISO 8601-tijdstip, bv. 2026-12-01T00:00:00Z.', en: 'since: an ISO 8601 time, e.g. 2026-12-01T00:00:00Z.' }, 'body /since');
    }
    return this.webhooks.replay(subscription, { since });
  }

  private async subscription(request: ConsumerRequest, id: string): Promise<Subscription> {
    const subscription = UUID.test(id) ? await this.store.findSubscription(request.consumer.id, id) : null;
    if (!subscription) throw this.notFound(id);
    return subscription;
  }

  private notFound(id: string): ApiError {
    return new ApiError('webhook-not-found', { nl: `Geen webhook ${id} van deze consument.`, en: `No webhook ${id} of this consumer.` }, 'path id');
  }
}

