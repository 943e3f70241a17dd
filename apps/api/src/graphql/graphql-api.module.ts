import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { ConfigService } from '@nestjs/config';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { AppConfig } from '@platform/config';
import type { Request } from 'express';
import { Module, type OnModuleInit } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { LiveChangesSubscriber } from '@platform/queue';
import { ActivityQueryStore } from '@platform/storage';
import { PublishedModule } from '../published/published.module.js';
import { SearchModule } from '../search/search.module.js';
import { ActivityResolver } from './activity.resolver.js';
import { createLoaders, type GraphqlContext } from './loaders.js';

/**
 * The read side is anonymous: one request must not be able to tie up an api process (2,000 aliased
 * `activities` fields kept it busy ~25 s). graphql-armor refuses too deep, too wide or too costly operations
 * during validation, before anything runs, with a message saying which limit; no answer carries a stack trace
 * (errors are logged by the server), and batched HTTP requests are refused so a limit cannot be multiplied.
 */
function queryLimits(config: ConfigService<AppConfig, true>) {
  const armor = new ApolloArmor({
    maxDepth: { n: config.get('GRAPHQL_MAX_DEPTH', { infer: true }), ignoreIntrospection: true, exposeLimits: true },
    maxAliases: { n: config.get('GRAPHQL_MAX_ALIASES', { infer: true }), exposeLimits: true },
    costLimit: { maxCost: config.get('GRAPHQL_MAX_COST', { infer: true }), ignoreIntrospection: true, exposeLimits: true },
    // The token limit is graphql-js's own (parseOptions below): armor's Apollo plugin throws from a hook, which
    // Apollo answers with 500, where a document refused at parsing is the client's mistake (400).
    maxTokens: { enabled: false },
    maxDirectives: { n: 50, exposeLimits: true },
    // The schema is public (introspection is on): suggestions reveal nothing and help developers.
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules, allowBatchedHttpRequests, includeStacktraceInErrorResponses } = armor.protect();
  // graphql-armor's types name @apollo/server's CommonJS build; the plugins are the same objects at run time.
  return {
    plugins: plugins as unknown as ApolloDriverConfig['plugins'],
    validationRules,
    allowBatchedHttpRequests,
    includeStacktraceInErrorResponses,
    parseOptions: { maxTokens: config.get('GRAPHQL_MAX_TOKENS', { infer: true }) },
  };
}

/** Calendar read side: queries over the projection and live availability over graphql-ws. */
@Module({
  imports: [
    PublishedModule,
    SearchModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [ActivityQueryStore, ConfigService],
      useFactory: (store: ActivityQueryStore, config: ConfigService<AppConfig, true>) => {
        const limits = queryLimits(config);
        return {
          ...limits,
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          introspection: true,
          // Browsers get GraphiQL from this platform (apps/api/src/pages/graphiql), never Apollo's CDN-hosted landing page.
          playground: false,
          // graphql-armor's plugins and no landing page.
          plugins: [...(limits.plugins ?? []), ApolloServerPluginLandingPageDisabled()],
          subscriptions: { 'graphql-ws': true },
          // req: the express request of an HTTP operation, which the rate limit reads. For graphql-ws operations
          // there is none, and Nest fills req with the socket's context instead (the guard tells them apart).
          context: (input?: { req?: Request }): GraphqlContext => ({ req: input?.req, loaders: createLoaders(store) }),
        };
      },
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
