import { Module } from '@nestjs/common';
import { PublishedActivities } from './published-activities.js';

/** What calendars read: activities as published (reconciled clusters merged). */
@Module({ providers: [PublishedActivities], exports: [PublishedActivities] })
export class PublishedModule {}
