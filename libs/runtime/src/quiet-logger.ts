import { ConsoleLogger } from '@nestjs/common';

// Nest's start-up chatter (one line per module and route) drowns the lines an operator needs.
const CHATTY_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'GraphQLModule', 'NestApplication']);

export class QuietLogger extends ConsoleLogger {
  override log(message: unknown, context?: string): void {
    if (context && CHATTY_CONTEXTS.has(context)) return;
    super.log(message, context);
  }
}

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** The logger of a process at LOG_LEVEL: that level and the ones above it. */
export function processLogger(level: (typeof LEVELS)[number]): QuietLogger {
  return new QuietLogger({ logLevels: LEVELS.slice(0, LEVELS.indexOf(level) + 1) });
}
