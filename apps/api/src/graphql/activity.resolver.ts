import { on } from 'node:events';
import { Args, Context, ID, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { LiveChangesSubscriber, type AvailabilityEvent } from '@platform/queue';
import { SearchParameterError, SearchParameterReader } from '@platform/search';
import { InvalidCursorError, encodeSearchCursor } from '@platform/storage';
import { ActivitySearchService } from '../search/activity-search.service.js';
import { PublishedActivities, type PublishedView } from '../published/published-activities.js';
import { GraphQLError } from 'graphql';
import { ActivitiesArgs, MAX_PAGE_SIZE } from './activity.args.js';
import { Activity, ActivityConnection, AvailabilityChange, Organizer, Performance, Place } from './activity.model.js';
import type { GraphqlContext } from './loaders.js';
import { pick, presentActivity, presentMerged, presentOrganizer, presentPerformance, presentPlace } from './presenters.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Resolver(() => Activity)
export class ActivityResolver {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly search: ActivitySearchService,
    private readonly live: LiveChangesSubscriber,
    private readonly published: PublishedActivities,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  @Query(() => Activity, { nullable: true, description: 'One activity by its platform id (the uuid of its IRI).' })
  async activity(
    @Args('id', { type: () => ID }) id: string,
    @Args('language', { defaultValue: 'nl' }) language: string,
  ): Promise<Activity | null> {
    if (!UUID.test(id)) return null;
    // A source record that is part of a reconciled activity answers with the published (merged) one.
    const view = await this.published.find(id);
    return view ? this.present(view, language) : null;
  }

  private present(view: PublishedView, language: string): Activity {
    return view.merged && view.members
      ? presentMerged({ row: view.row, merged: view.merged, members: view.members }, language, this.publicBaseUrl)
      : presentActivity(view.row, language, this.publicBaseUrl);
  }

  @Query(() => ActivityConnection, { description: 'Search published activities (the filters of GET /v1/activities), as a cursor connection.' })
  async activities(@Args() args: ActivitiesArgs): Promise<ActivityConnection> {
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
      throw new GraphQLError(`first moet tussen 1 en ${MAX_PAGE_SIZE} liggen / first must be between 1 and ${MAX_PAGE_SIZE}`, {
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      });
    }
    const { from, to, type, theme, placeId, availabilityLevel, source, ...filter } = args.filter ?? {};
    for (const [argument, value] of [['filter.placeId', placeId]] as const) {
      if (value !== undefined && value !== null && !UUID.test(value)) {
        throw new GraphQLError(`${argument}: geen platform-id / not a platform id: ${value}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
      }
    }
    const page = await this.searchOrBadInput(() => {
      const parsed = SearchParameterReader.read(
        {
          ...filter,
          dateFrom: filter.dateFrom ?? from,
          dateTo: filter.dateTo ?? to,
          locationId: filter.locationId ?? placeId,
          availability: filter.availability ?? (availabilityLevel ? [availabilityLevel] : undefined),
          ...(args.sort ? { sort: { [args.sort.by]: args.sort.order } } : {}),
          facets: args.facets,
          limit: args.first,
          after: args.after,
        },
        { prefix: 'filter.' },
      );
      // The legacy exact-IRI and source filters have no REST name.
      parsed.query = { ...parsed.query, ...(type ? { typeIri: type } : {}), ...(theme ? { themeIri: theme } : {}), ...(source ? { sourceId: source } : {}) };
      return this.search.search(parsed).then((result) => ({ parsed, result }));
    });
    const { parsed, result } = page;
    const nodes = result.views.map((view) => this.present(view, args.language));
    return {
      edges: nodes.map((node, index) => ({ node, cursor: encodeSearchCursor(parsed.sort, result.hits[index]), distanceKm: result.hits[index].distanceKm })),
      pageInfo: { hasNextPage: result.hasNextPage, endCursor: result.endCursor },
      totalCount: result.totalCount,
      facets: parsed.facets.map((name) => ({
        name,
        values: (result.facets[name] ?? []).map((entry) => ({ value: entry.value, label: pick(entry.label, args.language), count: entry.count })),
      })),
    };
  }

  private async searchOrBadInput<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
      if (error instanceof SearchParameterError) {
        // Names outside the filter (limit, after, sort) are arguments of the field itself.
        const argument = error.parameter.replace(/^filter\.(limit|after|sort|facets)/, (_all, name: string) => (name === 'limit' ? 'first' : name));
        throw new GraphQLError(`${argument}: ${error.messages.nl} / ${error.messages.en}`, { extensions: { code: 'BAD_USER_INPUT', argument, message: error.messages } });
      }
      throw error;
    }
  }

  @ResolveField(() => [Performance])
  async performances(@Parent() activity: Activity, @Context() context: GraphqlContext): Promise<Performance[]> {
    if (activity.mergedPerformances) return activity.mergedPerformances;
    const rows = await context.loaders.performances.load(activity.id);
    return rows.map((row) => presentPerformance(row, this.publicBaseUrl));
  }

  @ResolveField(() => Place, { nullable: true, description: 'Where it takes place; null only for an online activity that names no place (see onlineUrl).' })
  async place(@Parent() activity: Activity, @Context() context: GraphqlContext): Promise<Place | null> {
    if (!activity.placeId) return null;
    const row = await context.loaders.places.load(activity.placeId);
    return row ? presentPlace(row, activity.language, this.publicBaseUrl) : null;
  }

  @ResolveField(() => Organizer, { nullable: true })
  async organizer(@Parent() activity: Activity, @Context() context: GraphqlContext): Promise<Organizer | null> {
    if (!activity.organizerId) return null;
    const row = await context.loaders.organizers.load(activity.organizerId);
    return row ? presentOrganizer(row, activity.language, this.publicBaseUrl) : null;
  }

  @Subscription(() => AvailabilityChange, {
    description: 'Every availability change, live (across all api processes via Redis). Filter by activity and/or place.',
    resolve: (event: AvailabilityEvent): AvailabilityChange => ({
      ...event,
      source: event.sourceId,
      changedAt: new Date(event.changedAt),
      seq: event.seq ?? null,
    }),
  })
  availabilityChanged(
    @Args('activityId', { type: () => ID, nullable: true }) activityId?: string,
    @Args('placeId', { type: () => ID, nullable: true }) placeId?: string,
  ): AsyncIterableIterator<AvailabilityEvent> {
    // A reconciled activity's seats are those of one member (ticketing first): follow that member's changes,
    // named by the id the subscriber asked for. Membership is read before the first event and every 30 s.
    let members = new Set(activityId ? [activityId] : []);
    const refresh = async () => {
      if (activityId && UUID.test(activityId)) members = new Set(await this.published.availabilityMembers(activityId));
    };
    const ready = refresh().catch(() => undefined);
    const timer = activityId ? setInterval(() => void refresh().catch(() => undefined), 30_000) : undefined;
    timer?.unref();
    return filteredEvents(this.live, (event) => (!activityId || members.has(event.activityId)) && (!placeId || event.placeId === placeId), {
      ready,
      map: (event) => (activityId ? { ...event, activityId } : event),
      onReturn: () => clearInterval(timer),
    });
  }
}

/**
 * The events one subscriber wants. Not an async generator: a generator parked inside `for await` only
 * sees return() at its next yield, so a subscriber whose filter never matches again would keep its
 * listener forever. Here return() (graphql-ws calls it on unsubscribe) removes the listener at once.
 */
export function filteredEvents(
  live: LiveChangesSubscriber,
  accept: (event: AvailabilityEvent) => boolean,
  options: { ready?: Promise<void>; map?: (event: AvailabilityEvent) => AvailabilityEvent; onReturn?: () => void } = {},
): AsyncIterableIterator<AvailabilityEvent> {
  // Listening starts now; events that arrive before `ready` wait in `on`'s buffer.
  const events = on(live, 'availability') as AsyncIterableIterator<[AvailabilityEvent]>;
  const iterator: AsyncIterableIterator<AvailabilityEvent> = {
    async next() {
      await options.ready;
      for (;;) {
        const result = await events.next();
        if (result.done) return { done: true, value: undefined };
        if (accept(result.value[0])) return { done: false, value: options.map ? options.map(result.value[0]) : result.value[0] };
      }
    },
    async return() {
      options.onReturn?.();
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
