import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WebhooksService, WebhookStore, type Subscription } from '@platform/webhooks';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiError } from '../errors/api-error.js';
import { nextDeliveriesPage, presentSubscription, readDeliveryQuery, replay, UUID } from './webhook-requests.js';

/**
 * The operator's view of every consumer's webhooks (the console's webhook panel): health, the
 * delivery log and replay. Consumers manage their own under /v1/webhooks; vendors have none.
 */
@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('v1/admin/webhooks')
export class AdminWebhooksController {
  constructor(
    private readonly store: WebhookStore,
    private readonly webhooks: WebhooksService,
  ) {}

  @Get()
  @ApiOperation({ summary: "Every consumer's webhooks with their health (active, paused, failing) and delivery counts." })
  async list() {
    return (await this.store.overview()).map((subscription) => ({
      ...presentSubscription(subscription),
      consumer: { id: subscription.consumerId, name: subscription.consumerName },
      health: subscription.health,
      deliveries: subscription.deliveries,
    }));
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A webhook's delivery log, newest change first (the consumer's own log, see /v1/webhooks/{id}/deliveries)." })
  async deliveries(@Param('id') id: string, @Query('status') status?: string, @Query('before') before?: string, @Query('limit') limit?: string) {
    const subscription = await this.subscription(id);
    const query = readDeliveryQuery({ status, before, limit });
    const items = await this.store.deliveries(subscription.id, query);
    return { items, next: nextDeliveriesPage(`/v1/admin/webhooks/${id}/deliveries`, query, items) };
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the matching changes again from a change number (inclusive) or a time, on behalf of the consumer; the same webhook-id as before.' })
  async replay(@Param('id') id: string, @Body() body: unknown) {
    return replay(this.webhooks, await this.subscription(id), body);
  }

  private async subscription(id: string): Promise<Subscription> {
    const subscription = UUID.test(id) ? await this.store.subscriptionById(id) : null;
    if (!subscription) throw new ApiError('webhook-not-found', { nl: `Geen webhook ${id}.`, en: `No webhook ${id}.` }, 'path id');
    return subscription;
  }
}
