import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CHANGE_KINDS,
  ENTITY_TYPES,
  BATCH_MAX_SIZE,
  BATCH_MAX_WAIT_MS,
  newSigningSecret,
  readBatch,
  readFilters,
  WebhooksService,
  WebhookStore,
  type Subscription,
} from '@platform/webhooks';
import { ConsumerAuthGuard, type ConsumerRequest } from '../auth/consumer-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { nextDeliveriesPage, presentSubscription as present, readDeliveryQuery, replay, UUID } from './webhook-requests.js';

const ALLOWED_FIELDS = new Set(['url', 'description', 'filters', 'batch', 'status', 'rotateSecret']);

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
        batch: {
          description: 'Optional: several changes per request (one Standard Webhooks message of type "batch"). Absent or null: one request per change.',
          type: 'object',
          nullable: true,
          required: ['maxSize'],
          properties: {
            maxSize: { type: 'integer', minimum: 1, maximum: BATCH_MAX_SIZE, example: 100 },
            maxWaitMs: { type: 'integer', minimum: 0, maximum: BATCH_MAX_WAIT_MS, default: 0, example: 1000 },
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
      batch: input.batch === undefined ? null : readBatch(input.batch, 'body /batch'),
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
  @ApiOperation({ summary: 'Change url, description, filters or batch (null: one request per change); status active (re-enable) or disabled; rotateSecret: true issues a new secret (shown once).' })
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
      batch: input.batch === undefined ? undefined : readBatch(input.batch, 'body /batch'),
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
    const query = readDeliveryQuery({ status, before, limit });
    const items = await this.store.deliveries(subscription.id, query);
    return { items, next: nextDeliveriesPage(`/v1/webhooks/${id}/deliveries`, query, items) };
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the matching changes again from a change number (inclusive) or a time: {"fromChangeNumber": "1234"} or {"since": "2026-12-01T00:00:00Z"}.' })
  async replay(@Req() request: ConsumerRequest, @Param('id') id: string, @Body() body: unknown) {
    return replay(this.webhooks, await this.subscription(request, id), body);
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

