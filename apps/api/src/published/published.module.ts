import { Module } from '@nestjs/common';
import { ResourceDescriptions } from '../resources/resource-descriptions.js';
import { PublishedActivities } from './published-activities.js';

/** What calendars read: activities as published (reconciled clusters merged), and the description of each resource. */
@Module({ providers: [PublishedActivities, ResourceDescriptions], exports: [PublishedActivities, ResourceDescriptions] })
export class PublishedModule {}
