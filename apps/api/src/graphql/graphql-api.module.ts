import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import type { Request } from 'express';
import { Module, type OnModuleInit } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { LiveChangesSubscriber } from '@platform/queue';
import { ActivityQueryStore } from '@platform/storage';
import { PublishedModule } from '../published/published.module.js';
import { SearchModule } from '../search/search.module.js';
import { ActivityResolver } from './activity.resolver.js';
import { createLoaders, type GraphqlContext } from './loaders.js';

/** Calendar read side: queries over the projection and live availability over graphql-ws. */
@Module({
  imports: [
    PublishedModule,
    SearchModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [ActivityQueryStore],
      useFactory: (store: ActivityQueryStore) => ({
        autoSchemaFile: true,
        sortSchema: true,
        path: '/graphql',
        introspection: true,
        // The landing page offers Apollo Sandbox against this endpoint.
        playground: false,
        subscriptions: { 'graphql-ws': true },
        // req: the express request of an HTTP operation, which the rate limit reads. For graphql-ws operations
        // there is none, and Nest fills req with the socket's context instead (the guard tells them apart).
        context: (input?: { req?: Request }): GraphqlContext => ({ req: input?.req, loaders: createLoaders(store) }),
      }),
    }),
  ],
  providers: [ActivityResolver],
})
export class GraphqlApiModule implements OnModuleInit {
  constructor(private readonly live: LiveChangesSubscriber) {}

  async onModuleInit(): Promise<void> {
    await this.live.start();
  }
}
