import { Controller, Get, Injectable, Logger, Param, Res, type NestMiddleware } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../../errors/api-error.js';
import { contentTypeOf, sendPage } from '../page-headers.js';
import { buildGraphiqlBundle, readPrebuiltBundle, type GraphiqlBundle } from './graphiql-bundle.js';

const ASSET_PATH = '/graphiql/assets/';

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GraphiQL · Cultuurdata platform</title>
  <link rel="stylesheet" href="${ASSET_PATH}app.css">
  <style>html, body { margin: 0; height: 100%; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql" role="main"><p style="font: 16px system-ui; padding: 2rem">GraphiQL …</p></div>
  <script type="module" src="${ASSET_PATH}app.js"></script>
</body>
</html>
`;

/** The GraphiQL bundle of this process: the prebuilt one from `npm run build`, else built once on first use. */
@Injectable()
export class GraphiqlAssets {
  private readonly logger = new Logger(GraphiqlAssets.name);
  private bundle?: Promise<GraphiqlBundle>;

  get(): Promise<GraphiqlBundle> {
    this.bundle ??= (async () => {
      const prebuilt = readPrebuiltBundle();
      if (prebuilt) return prebuilt;
      const started = Date.now();
      const built = await buildGraphiqlBundle();
      this.logger.log(`GraphiQL bundled from node_modules in ${Date.now() - started} ms`);
      return built;
    })();
    // A failed build is tried again on the next request instead of being remembered.
    this.bundle.catch(() => (this.bundle = undefined));
    return this.bundle;
  }
}

/** Whether a GET of /graphql is a person's browser (an HTML navigation), not a GraphQL-over-HTTP client. */
export function wantsGraphiql(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const accepted = request.accepts(['application/graphql-response+json', 'application/json', 'text/html']);
  return accepted === 'text/html';
}

/** GET /graphql from a browser: GraphiQL, served from this platform (Apollo answers every other request). */
@Injectable()
export class GraphiqlPageMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    if (!wantsGraphiql(request)) return next();
    sendPage(response, PAGE);
  }
}

@ApiExcludeController()
@Controller('graphiql/assets')
export class GraphiqlAssetsController {
  constructor(private readonly assets: GraphiqlAssets) {}

  @Get(':name')
  async asset(@Param('name') name: string, @Res() response: Response): Promise<void> {
    const contents = (await this.assets.get()).get(name);
    if (!contents) throw new ApiError('resource-not-found', { nl: `Geen GraphiQL-bestand ${name}.`, en: `No GraphiQL file ${name}.` }, 'path name');
    response.status(200).set({ 'Content-Type': contentTypeOf(name), 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' }).send(contents);
  }
}
