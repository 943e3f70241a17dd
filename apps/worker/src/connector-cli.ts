import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { validateConfig } from '@platform/config';
import { ConnectorSyncService, PipelineModule, SyncError } from '@platform/pipeline';
import { CoreModule, processLogger } from '@platform/runtime';
import { ConnectorStore } from '@platform/storage';

@Module({})
class ConnectorCliModule {
  static create(overrides: Record<string, string>): DynamicModule {
    return { module: ConnectorCliModule, imports: [CoreModule.forRoot(overrides), PipelineModule] };
  }
}

const USAGE = `usage: npm run connector -- <command> <sourceId>
  sync <sourceId>          run the source's connector now, in this process, with progress output
  runs <sourceId>          the latest run reports
  reset-cursor <sourceId>  the next run starts from the beginning of the remote feed
needs DATABASE_URL and REDIS_URL (the embedded start: POST /v1/admin/sources/{id}/runs instead)`;

/** The connector command line; `write` receives each output line. Answers the process exit code. */
export async function runConnectorCli(argv: string[], write: (line: string) => void, overrides: Record<string, string> = {}): Promise<number> {
  const [command, sourceId] = argv;
  if (!command || !sourceId || !['sync', 'runs', 'reset-cursor'].includes(command)) {
    write(USAGE);
    return 2;
  }
  const config = validateConfig({ ...process.env, ...overrides });
  if (!config.DATABASE_URL || !config.REDIS_URL) {
    write(USAGE);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(ConnectorCliModule.create(overrides), { logger: processLogger('warn') });
  try {
    const connectors = app.get(ConnectorStore);
    if (command === 'reset-cursor') {
      if (!(await connectors.resetCursor(sourceId))) {
        write(`${sourceId}: a run is in progress; reset the cursor when it has finished`);
        return 1;
      }
      write(`${sourceId}: cursor reset`);
      return 0;
    }
    if (command === 'runs') {
      for (const run of await connectors.listRuns(sourceId, 20)) {
        write(
          `${run.startedAt.toISOString()} ${run.id} ${run.trigger} ${run.status}: ${run.pages} pages, ${run.fetched} fetched, ${run.accepted} accepted, ${run.rejected} rejected, ${run.unchanged} unchanged, ${run.deleted} deleted${run.error ? ` (${run.error})` : ''}`,
        );
      }
      return 0;
    }
    const started = Date.now();
    try {
      const runId = await app.get(ConnectorSyncService).run(sourceId, {
        trigger: 'cli',
        onProgress: ({ page, counts, done }) =>
          write(
            `page ${page}: ${counts.fetched} fetched, ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.unchanged} unchanged, ${counts.deleted} deleted, ${counts.availabilityUpdates} seat counts${done ? ' (caught up)' : ''}`,
          ),
        onRetry: (message, attempt) => write(`attempt ${attempt} failed, retrying: ${message}`),
      });
      const run = (await connectors.findRun(runId))!;
      write(`run ${runId} ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      for (const rejection of run.rejections.slice(0, 10)) {
        const reasons = (rejection.problems as Array<{ message?: { en?: string } }>).map((problem) => problem.message?.en).join('; ');
        write(`  rejected ${rejection.externalId ?? '(no id)'}: ${reasons}`);
      }
      return 0;
    } catch (error) {
      write(error instanceof SyncError ? error.messages.en : `run failed: ${(error as Error).message}`);
      return 1;
    }
  } finally {
    await app.close();
  }
}

if (process.argv[1]?.endsWith('connector-cli.js')) {
  runConnectorCli(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
