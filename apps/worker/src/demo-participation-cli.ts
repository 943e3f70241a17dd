import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { validateConfig } from '@platform/config';
import { PipelineModule } from '@platform/pipeline';
import { CoreModule, DEMO_PARTICIPATION_SEED, DEMO_PARTICIPATION_TICKETS, processLogger, seedDemo, seedDemoParticipation } from '@platform/runtime';

@Module({})
class DemoParticipationCliModule {
  static create(overrides: Record<string, string>): DynamicModule {
    return { module: DemoParticipationCliModule, imports: [CoreModule.forRoot(overrides), PipelineModule] };
  }
}

const USAGE = `usage: npm run demo:participation -- [--tickets N] [--seed S] [--force]
  loads the demo activities (source "demo") and N synthetic tickets for them (default ${DEMO_PARTICIPATION_TICKETS}, seed ${DEMO_PARTICIPATION_SEED})
  --force  load again even when the source already holds N tickets (re-sent tickets are "unchanged")
needs DATABASE_URL, REDIS_URL and PSEUDONYM_KEY (the embedded start loads them itself: DEMO_PARTICIPATION_TICKETS)`;

/** The demo participation command line; `write` receives each output line. Answers the process exit code. */
export async function runDemoParticipationCli(argv: string[], write: (line: string) => void, overrides: Record<string, string> = {}): Promise<number> {
  const options: { tickets?: number; seed?: number; force?: boolean } = {};
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    if (flag === '--force') options.force = true;
    else if ((flag === '--tickets' || flag === '--seed') && /^\d+$/.test(argv[index + 1] ?? '')) options[flag === '--tickets' ? 'tickets' : 'seed'] = Number(argv[++index]);
    else {
      write(USAGE);
      return 2;
    }
  }
  const config = validateConfig({ ...process.env, ...overrides });
  if (!config.DATABASE_URL || !config.REDIS_URL || !config.PSEUDONYM_KEY) {
    write(USAGE);
    return 2;
  }
  const app = await NestFactory.createApplicationContext(DemoParticipationCliModule.create(overrides), { logger: processLogger('warn') });
  try {
    const activities = await seedDemo(app, undefined);
    write(`demo activities: ${activities.result.accepted} accepted, ${activities.result.unchanged} unchanged, ${activities.result.rejected} rejected`);
    const loaded = await seedDemoParticipation(app, options);
    write(
      loaded.skipped
        ? `demo participation: ${loaded.unchanged} tickets already stored (--force loads them again)`
        : `demo participation: ${loaded.generated} tickets generated: ${loaded.accepted} accepted, ${loaded.unchanged} unchanged, ${loaded.rejected} rejected in ${(loaded.milliseconds / 1000).toFixed(1)} s`,
    );
    return loaded.rejected > 0 ? 1 : 0;
  } finally {
    await app.close();
  }
}

if (process.argv[1]?.endsWith('demo-participation-cli.js')) {
  runDemoParticipationCli(process.argv.slice(2), (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
