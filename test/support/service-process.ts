import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAKE_BOT_TOKEN } from './fake-telegram-server';
import { ROOT } from './services';
import { TEST_INVITE_CODE, TEST_KEY } from './test-env';

const BUILD_DIR = path.join(ROOT, '.test-build');

/**
 * Compiles the project (as `npm start` would run it) into .test-build, for
 * specs that need a real process to kill. A build newer than every source
 * file is used as it is: the suites that need one share it.
 */
export function buildServiceForChildProcess(): string {
  const main = path.join(BUILD_DIR, 'src', 'main.js');
  if (modifiedAt(main) > Math.max(newestIn(path.join(ROOT, 'src')), modifiedAt(path.join(ROOT, 'tsconfig.json')))) return main;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--outDir', BUILD_DIR], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}\n${result.stderr}`);
  return path.join(BUILD_DIR, 'src', 'main.js');
}

/**
 * What a child service process sending a campaign needs: the shared database,
 * the fake Bot API, no polling and no web chat, a fast broadcast with short
 * send leases (a killed process's sends are taken over within seconds).
 */
export function broadcastServiceEnv(uri: string, telegramApiRoot: string, concurrency: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGODB_URI: uri,
    TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegramApiRoot,
    TELEGRAM_POLLING: 'false',
    WEBCHAT_ENABLED: 'false',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tinbao-broadcast-')),
    DATA_ENCRYPTION_KEY: TEST_KEY,
    OFFICER_INVITE_CODE: TEST_INVITE_CODE,
    BROADCAST_RATE_PER_SECOND: '100',
    BROADCAST_CHAT_INTERVAL_MS: '0',
    BROADCAST_CONCURRENCY: String(concurrency),
    BROADCAST_SEND_LEASE_MS: '1500',
    ...extra,
  };
}

/** Starts the service as its own process (the real entry point, src/main.ts) with this environment. */
export function spawnService(mainJs: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [mainJs], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
}

/** The service as its own process, with everything it writes to stdout and stderr (its log) kept in `output`. */
export function spawnServiceWithLog(mainJs: string, env: Record<string, string>): { child: ChildProcess; output: string[] } {
  const child = spawn(process.execPath, [mainJs], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  return { child, output };
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** The latest change to any file below `dir`. */
function newestIn(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestIn(full) : modifiedAt(full));
  }, modifiedAt(dir));
}
