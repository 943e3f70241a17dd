import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { LdesStream } from './ldes-stream.js';
import { RpdeFeed } from './rpde-feed.js';

/** The change feeds (RPDE, LDES), both read from the one change log. */
@Module({
  providers: [
    {
      provide: RpdeFeed,
      inject: [DataSource, ConfigService],
      useFactory: (dataSource: DataSource, config: ConfigService<AppConfig, true>) =>
        new RpdeFeed(dataSource, {
          publicBaseUrl: config.get('PUBLIC_BASE_URL', { infer: true }),
          pageSize: config.get('FEED_PAGE_SIZE', { infer: true }),
          tombstoneDays: config.get('FEED_TOMBSTONE_DAYS', { infer: true }),
          license: config.get('FEED_LICENSE', { infer: true }),
        }),
    },
    {
      provide: LdesStream,
      inject: [DataSource, ConfigService],
      useFactory: (dataSource: DataSource, config: ConfigService<AppConfig, true>) =>
        new LdesStream(dataSource, {
          publicBaseUrl: config.get('PUBLIC_BASE_URL', { infer: true }),
          pageSpan: config.get('FEED_LDES_PAGE_SPAN', { infer: true }),
          retentionDays: config.get('FEED_TOMBSTONE_DAYS', { infer: true }),
          license: config.get('FEED_LICENSE', { infer: true }),
        }),
    },
  ],
  exports: [RpdeFeed, LdesStream],
})
export class FeedsModule {}
