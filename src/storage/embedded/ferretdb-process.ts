import { spawn } from 'node:child_process';
import { AppError } from '../../shared/errors';
import { moduleLogger } from '../../shared/logger';

const log = moduleLogger('ferretdb');

export interface EmbeddedFerretdb {
  /** mongodb://127.0.0.1:<port>/ */
  uri: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded FerretDB on 127.0.0.1 and resolves once it accepts
 * connections. The child watches its stdin, so it exits with this process
 * even when this process is killed with SIGKILL.
 */
export function startEmbeddedFerretdb(options: { binary: string; dataDir: string; port?: number }): Promise<EmbeddedFerretdb> {
  const child = spawn(options.binary, ['-listen', `127.0.0.1:${options.port ?? 0}`, '-dir', options.dataDir, '-log-level', 'error'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    for (const line of chunk.split('\n').filter(Boolean)) log.error({ line }, 'ferretdb');
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

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
      resolve({ uri: match[1], stop });
    });
  });
}
