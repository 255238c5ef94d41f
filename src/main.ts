import path from 'node:path';
import { startApp } from './app';
import { parseEnv } from './config/env';
import { createI18n } from './i18n';
import { AppError } from './shared/errors';
import { moduleLogger } from './shared/logger';
import { projectRoot } from './shared/project-root';
import { DEFAULT_LANGUAGE } from './core/language';

const log = moduleLogger('main');
const SHUTDOWN_LIMIT_MS = 15_000;

async function main(): Promise<void> {
  const env = parseEnv(process.env);
  const app = await startApp(env);
  const t = createI18n(path.join(projectRoot(), 'locales')).forLanguage(env.APP_MODE === 'local' ? DEFAULT_LANGUAGE : 'en');

  const host = env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST;
  const chatUrl = new URL(app.url);
  chatUrl.hostname = host;
  process.stdout.write(
    `\n${t('cli.ready', {
      url: chatUrl.toString(),
      codes: app.unitInviteCodes.map((u) => t('cli.unit_code', { unit: u.unitName, code: u.code })).join('\n'),
      database: app.embeddedDatabase ? t('cli.embedded_database', { dir: path.resolve(env.DATA_DIR, 'ferretdb') }) : 'MongoDB',
      withoutDesk: app.unitsWithoutDesk.length > 0 ? `\n  ${t('cli.without_desk', { units: app.unitsWithoutDesk.join(', ') })}` : '',
    })}\n\n`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Bounded: whatever hangs (a database that went away, a platform that does not answer), the process is gone within this.
    setTimeout(() => {
      log.error({ afterMs: SHUTDOWN_LIMIT_MS }, 'stop took too long: exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  // A safety net: a promise rejected without a handler is logged, not allowed to stop the service.
  process.on('unhandledRejection', (reason: unknown) => log.error({ err: reason }, 'unhandled rejection'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof AppError) {
    process.stderr.write(`\n${error.message}\n\n`);
  } else {
    log.fatal({ err: error }, 'start-up failed');
  }
  process.exit(1);
});
