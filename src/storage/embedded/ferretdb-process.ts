import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { AppError } from '../../shared/errors';
import { moduleLogger } from '../../shared/logger';

const log = moduleLogger('ferretdb');

export interface EmbeddedFerretdb {
  /** mongodb://127.0.0.1:<port>/ */
  uri: string;
  /** The running server's process id (it changes when the server is restarted). */
  pid(): number | undefined;
  /** How many times the server died and was started again. */
  restarts(): number;
  stop(): Promise<void>;
}

interface Launched {
  uri: string;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<void>;
}

const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Starts the embedded FerretDB on 127.0.0.1 and resolves once it accepts
 * connections, then watches it: if it dies (crash, OOM kill), it is started
 * again on the same port and directory, with a growing delay between tries
 * (logged each time), and the service's connection finds it there. The
 * child watches its stdin, so it exits with this process even when this
 * process is killed with SIGKILL.
 */
export async function startEmbeddedFerretdb(options: { binary: string; dataDir: string; port?: number }): Promise<EmbeddedFerretdb> {
  let current = await launch(options.binary, options.dataDir, options.port ?? 0);
  const port = Number(new URL(current.uri).port);
  let stopping = false;
  let restarts = 0;
  let retryTimer: NodeJS.Timeout | null = null;

  const watch = (launched: Launched): void => {
    void launched.exited.then(() => {
      if (stopping) return;
      log.error({ code: launched.child.exitCode, signal: launched.child.signalCode }, 'embedded FerretDB died: starting it again');
      restart(FIRST_RESTART_DELAY_MS);
    });
  };
  const restart = (delayMs: number): void => {
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (stopping) return;
      launch(options.binary, options.dataDir, port).then(
        (launched) => {
          if (stopping) {
            void stopChild(launched);
            return;
          }
          restarts += 1;
          current = launched;
          log.warn({ restarts }, 'embedded FerretDB started again');
          watch(launched);
        },
        (error: unknown) => {
          log.error({ err: error, retryInMs: Math.min(delayMs * 2, MAX_RESTART_DELAY_MS) }, 'embedded FerretDB did not start again');
          restart(Math.min(delayMs * 2, MAX_RESTART_DELAY_MS));
        },
      );
    }, delayMs);
    retryTimer.unref();
  };
  watch(current);

  return {
    uri: current.uri,
    pid: () => current.child.pid,
    restarts: () => restarts,
    stop: async () => {
      stopping = true;
      if (retryTimer) clearTimeout(retryTimer);
      await stopChild(current);
    },
  };
}

async function stopChild(launched: Launched): Promise<void> {
  const { child } = launched;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await launched.exited;
  clearTimeout(timer);
}

function launch(binary: string, dataDir: string, port: number): Promise<Launched> {
  const child = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-dir', dataDir, '-log-level', 'error'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    for (const line of chunk.split('\n').filter(Boolean)) log.error({ line }, 'ferretdb');
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string): void => {
      child.kill('SIGKILL');
      reject(new AppError('ferretdb_start_failed', `Embedded FerretDB did not start: ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail('no READY line within 30 s'), 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    const exitedEarly = (code: number | null): void => {
      clearTimeout(timer);
      fail(`exited with code ${code}`);
    };
    child.once('exit', exitedEarly);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^READY (\S+)$/m.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      resolve({ uri: match[1], child, exited });
    });
  });
}
