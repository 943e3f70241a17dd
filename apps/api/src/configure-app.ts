import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import type { AppConfig } from '@platform/config';
import { httpMetricsMiddleware, PlatformMetrics } from '@platform/observability';
import { ACTIVITY_SCHEMA, AVAILABILITY_UPDATE_SCHEMA } from '@platform/pipeline';
import { admissionMiddleware } from './ops/admission.middleware.js';

/** JSON Schema $defs become OpenAPI components, so /docs shows the very schema the platform validates with. */
function openApiSchemas(name: string, schema: Record<string, unknown>): Record<string, unknown> {
  const { $defs = {}, $id: _id, ...root } = schema as { $defs?: Record<string, unknown>; $id?: string };
  const rewrite = (value: unknown): unknown =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
  return {
    [name]: rewrite(root),
    ...Object.fromEntries(Object.entries($defs).map(([key, value]) => [key, rewrite(value)])),
  };
}

/**
 * HTTP set-up shared by main.ts and the e2e tests. Vendor bodies are read as raw bytes so exactly what
 * was sent is archived before parsing; everything else is JSON. Both obey MAX_BODY_BYTES (413 beyond).
 */
export function configureApp(app: INestApplication, config: AppConfig): void {
  const express_ = app as NestExpressApplication;
  express_.set('trust proxy', 'loopback');
  express_.disable('x-powered-by');
  // Requests Node's HTTP parser refuses before any middleware (a URL or headers over 16 KB, broken
  // framing) get a reason in the same shape as every other error, not an empty answer.
  const server = app.getHttpServer() as import('node:http').Server;
  // Idle keep-alive sockets are kept longer than clients and proxies keep theirs (undici 4 s, load
  // balancers 60 s): a server closing first races the client's next request into an ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: import('node:stream').Duplex) => {
    if (!socket.writable) return;
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: tooLarge
        ? { code: 'request-too-large', message: { nl: 'De URL of de headers zijn te groot (max. 16 KB); stuur een GraphQL-query met POST.', en: 'The URL or headers are too large (max. 16 KB); send a GraphQL query with POST.' }, where: 'url' }
        : { code: 'malformed-request', message: { nl: `Geen geldig HTTP-verzoek: ${error.code ?? error.message}`, en: `Not a valid HTTP request: ${error.code ?? error.message}` }, where: 'request' },
    });
    socket.end(`HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  const limit = config.MAX_BODY_BYTES;
  // First: every answer is counted, also the 413s and 400s of the body parsers.
  app.use(httpMetricsMiddleware(app.get(PlatformMetrics)));
  // Then the gate: a burst waits in a bounded queue (or gets 503) before a body is read or a query runs.
  app.use(admissionMiddleware(app.get(PlatformMetrics), { concurrent: config.MAX_CONCURRENT_REQUESTS, queued: config.MAX_QUEUED_REQUESTS }));
  app.use(['/v1/sources', '/v1/validate'], express.raw({ type: () => true, limit }));
  app.use(express.json({ limit }));
  app.enableCors({ origin: '*', methods: ['GET', 'HEAD', 'POST', 'OPTIONS'], allowedHeaders: ['Content-Type', 'Accept', 'If-None-Match', 'Last-Event-ID', 'Authorization'] });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Cultuurdata platform API')
      .setDescription(
        'Open data exchange for the Flemish culture sector (OSLO Cultuurparticipatie). Vendors push activities and availability; ' +
          'calendars read GraphQL at /graphql and linked data at /id/... . Errors: {error: {code, message: {nl, en}, where}}.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Vendor API key of the source' }, 'vendor')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, 'admin')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Consumer key (webhooks), issued by an admin' }, 'consumer')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Researcher key (issued by an admin)' }, 'researcher')
      .build(),
  );
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      ...openApiSchemas('Activity', ACTIVITY_SCHEMA),
      ...openApiSchemas('AvailabilityUpdate', AVAILABILITY_UPDATE_SCHEMA),
    } as NonNullable<typeof document.components>['schemas'],
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
