import { Global, Injectable, Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { pino } from 'pino';
import type { AppConfig } from '@platform/config';
import { ConsumerPositions } from './consumer-positions.js';
import { PlatformCollectors } from './platform-collectors.js';
import { PlatformHealth } from './platform-health.js';
import { PlatformMetrics } from './platform-metrics.js';
import { QuietPinoLogger } from './quiet-pino-logger.js';
import { assignRequestId } from './request-id.js';
import { ShutdownState } from './shutdown-state.js';

const PINO_LEVEL = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' } as const;

/** First of the shutdown hooks: readiness turns 503 and long jobs stop at their next boundary. */
@Injectable()
class ShutdownHook implements BeforeApplicationShutdown {
  constructor(private readonly state: ShutdownState) {}

  beforeApplicationShutdown(): void {
    this.state.begin();
  }
}

/**
 * Health (terminus), metrics (prom-client), JSON logs with request ids (pino), and the shutdown state
 * of a process. Depends on config, storage and queue only; the api and worker apps expose it.
 */
@Global()
@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        pinoHttp: [
          {
            level: PINO_LEVEL[config.get('LOG_LEVEL', { infer: true })],
            genReqId: assignRequestId,
            customAttributeKeys: { reqId: 'requestId' },
            // Vendor keys and the admin token travel as bearer tokens: never into the log.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            // A 4xx is the caller's mistake, answered with its reason: info, not a warning about the platform.
            customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
            // Probes and scrapes every few seconds would drown the requests that matter.
            autoLogging: { ignore: (request) => request.url === '/metrics' || (request.url ?? '').startsWith('/health/') },
          },
          // Synchronous writes to stdout (as Node's own are to a pipe on Linux): pino's default buffers
          // and flushes on 'exit', which a signalled Nest process never reaches (it raises the signal
          // again after its shutdown hooks), so the last lines before a SIGTERM exit were lost.
          pino.destination({ dest: 1, sync: true }),
        ],
      }),
    }),
  ],
  providers: [
    { provide: PlatformMetrics, useFactory: () => new PlatformMetrics() },
    { provide: ConsumerPositions, useFactory: () => new ConsumerPositions() },
    { provide: ShutdownState, useFactory: () => new ShutdownState() },
    ShutdownHook,
    PlatformHealth,
    PlatformCollectors,
    QuietPinoLogger,
  ],
  exports: [PlatformMetrics, ConsumerPositions, ShutdownState, PlatformHealth, QuietPinoLogger, LoggerModule],
})
export class ObservabilityModule {}
