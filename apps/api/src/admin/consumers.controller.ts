import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhookStore } from '@platform/webhooks';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiError } from '../errors/api-error.js';
import { isKeyId } from './key-id.js';

const CONSUMER_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Consumers are the calendar platforms that register webhooks; the admin issues their keys. */
@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('v1/admin/consumers')
export class ConsumersController {
  constructor(private readonly store: WebhookStore) {}

  @Post()
  @ApiOperation({ summary: 'Create a consumer (a calendar platform) and issue its first consumer key (shown once).' })
  @ApiBody({ schema: { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string', example: 'stadsagenda-gent' }, name: { type: 'string', example: 'Stadsagenda Gent' } } } })
  async create(@Body() body: unknown) {
    const input = (body ?? {}) as Record<string, unknown>;
    if (typeof input.id !== 'string' || !CONSUMER_ID.test(input.id)) {
      throw new ApiError(
        'invalid-argument',
        { nl: 'id: 2-63 tekens, kleine letters, cijfers en koppeltekens.', en: 'id: 2-63 characters, lower-case letters, digits and hyphens.' },
        'body /id',
      );
    }
    if (typeof input.name !== 'string' || input.name.trim() === '') {
      throw new ApiError('invalid-argument', { nl: 'name is verplicht.', en: 'name is required.' }, 'body /name');
    }
    const consumer = await this.store.createConsumer({ id: input.id, name: input.name.trim() });
    if (!consumer) throw new ApiError('consumer-exists', { nl: `Consument ${input.id} bestaat al.`, en: `Consumer ${input.id} already exists.` }, 'body /id');
    const issued = await this.store.issueConsumerKey(consumer.id);
    return { consumer, key: issued.key, keyId: issued.keyId };
  }

  @Get()
  @ApiOperation({ summary: 'List consumers.' })
  list() {
    return this.store.listConsumers();
  }

  @Post(':consumerId/keys')
  @ApiOperation({ summary: 'Issue another consumer key (rotation): shown once.' })
  async issueKey(@Param('consumerId') consumerId: string) {
    await this.existing(consumerId);
    return this.store.issueConsumerKey(consumerId);
  }

  @Get(':consumerId/keys')
  @ApiOperation({ summary: 'List the keys of a consumer (prefix and state only).' })
  async listKeys(@Param('consumerId') consumerId: string) {
    await this.existing(consumerId);
    return this.store.listConsumerKeys(consumerId);
  }

  @Delete(':consumerId/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a consumer key: it stops working at once.' })
  async revokeKey(@Param('consumerId') consumerId: string, @Param('keyId') keyId: string) {
    if (!isKeyId(keyId) || !(await this.store.revokeConsumerKey(consumerId, keyId))) {
      throw new ApiError('key-not-found', { nl: `Geen actieve sleutel ${keyId} voor consument ${consumerId}.`, en: `No live key ${keyId} for consumer ${consumerId}.` }, 'path keyId');
    }
  }

  private async existing(consumerId: string): Promise<void> {
    if (!(await this.store.findConsumer(consumerId))) {
      throw new ApiError('consumer-not-found', { nl: `Onbekende consument: ${consumerId}`, en: `Unknown consumer: ${consumerId}` }, 'path consumerId');
    }
  }
}
