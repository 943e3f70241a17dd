import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConsoleController } from './console/console.controller.js';
import { ResearchPageController } from './research/research-page.controller.js';
import { GraphiqlAssets, GraphiqlAssetsController, GraphiqlPageMiddleware } from './graphiql/graphiql.controller.js';

/** Pages for people: the console at /console, the research page at /research and GraphiQL on GET /graphql; every asset from node_modules. */
@Module({
  controllers: [ConsoleController, ResearchPageController, GraphiqlAssetsController],
  providers: [GraphiqlAssets],
})
export class PagesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(GraphiqlPageMiddleware).forRoutes({ path: 'graphql', method: RequestMethod.GET });
  }
}
