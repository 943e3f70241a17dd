import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { LiveChangesSubscriber, WEBHOOK_QUEUE, type WebhookDeliveryJob } from '@platform/queue';
import { SecretBox } from '@platform/storage';
import { ChangeDispatcher } from './change-dispatcher.js';
import { ChangeFollower } from './change-follower.js';
import type { TargetPolicy } from './target-guard.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { WebhookSender } from './webhook-sender.js';
import { WebhookStore } from './webhook.store.js';
import { WebhooksService } from './webhooks.service.js';

type Config = ConfigService<AppConfig, true>;

export function targetPolicyOf(config: Config): TargetPolicy {
  return { allowPrivate: config.get('WEBHOOK_ALLOW_PRIVATE_TARGETS', { infer: true }), allowHttp: config.get('WEBHOOK_ALLOW_HTTP', { infer: true }) };
}

/**
 * Webhook subscriptions, the dispatcher that follows the change log, the deliverer the worker runs,
 * and the change follower behind SSE. Only the worker starts the dispatcher (worker.module.ts).
 */
@Module({
  providers: [
    {
      provide: WebhookStore,
      inject: [DataSource, ConfigService],
      useFactory: (dataSource: DataSource, config: Config) => new WebhookStore(dataSource, new SecretBox(config.get('CREDENTIALS_KEY', { infer: true }))),
    },
    {
      provide: WebhookSender,
      inject: [ConfigService],
      useFactory: (config: Config) =>
        new WebhookSender(targetPolicyOf(config), config.get('WEBHOOK_TIMEOUT_MS', { infer: true }), config.get('WEBHOOK_CONCURRENCY', { infer: true })),
    },
    { provide: WebhookDeliverer, inject: [WebhookStore, WebhookSender], useFactory: (store: WebhookStore, sender: WebhookSender) => new WebhookDeliverer(store, sender) },
    {
      provide: ChangeDispatcher,
      inject: [DataSource, WebhookStore, getQueueToken(WEBHOOK_QUEUE), ConfigService],
      useFactory: (dataSource: DataSource, store: WebhookStore, queue: Queue<WebhookDeliveryJob>, config: Config) =>
        new ChangeDispatcher(dataSource, store, queue, {
          publicBaseUrl: config.get('PUBLIC_BASE_URL', { infer: true }),
          pollIntervalMs: config.get('CHANGE_POLL_INTERVAL_MS', { infer: true }),
          attempts: config.get('WEBHOOK_ATTEMPTS', { infer: true }),
          retryBaseMs: config.get('WEBHOOK_RETRY_BASE_MS', { infer: true }),
        }),
    },
    {
      provide: WebhooksService,
      inject: [DataSource, WebhookStore, ChangeDispatcher, ConfigService],
      useFactory: (dataSource: DataSource, store: WebhookStore, dispatcher: ChangeDispatcher, config: Config) =>
        new WebhooksService(dataSource, store, dispatcher, {
          policy: targetPolicyOf(config),
          publicBaseUrl: config.get('PUBLIC_BASE_URL', { infer: true }),
          replayMax: config.get('WEBHOOK_REPLAY_MAX', { infer: true }),
        }),
    },
    {
      provide: ChangeFollower,
      inject: [DataSource, LiveChangesSubscriber, ConfigService],
      useFactory: (dataSource: DataSource, live: LiveChangesSubscriber, config: Config) =>
        new ChangeFollower(dataSource, live, config.get('CHANGE_POLL_INTERVAL_MS', { infer: true })),
    },
  ],
  exports: [WebhookStore, WebhookSender, WebhookDeliverer, ChangeDispatcher, WebhooksService, ChangeFollower],
})
export class WebhooksModule {}
