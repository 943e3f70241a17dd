import { Module } from '@nestjs/common';
import { ResourceDescriptions } from '../resources/resource-descriptions.js';
import { PublishedActivities } from './published-activities.js';
import { PublishedDescriptions } from './published-descriptions.js';

/** What calendars read: activities as published (reconciled clusters merged), the description of each resource, and their schema.org form. */
@Module({ providers: [PublishedActivities, PublishedDescriptions, ResourceDescriptions], exports: [PublishedActivities, PublishedDescriptions, ResourceDescriptions] })
export class PublishedModule {}
