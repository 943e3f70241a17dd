import { Module } from '@nestjs/common';
import { PublishedActivities } from './published-activities.js';
import { PublishedDescriptions } from './published-descriptions.js';

/** What calendars read: activities as published (reconciled clusters merged). */
@Module({ providers: [PublishedActivities, PublishedDescriptions], exports: [PublishedActivities, PublishedDescriptions] })
export class PublishedModule {}
