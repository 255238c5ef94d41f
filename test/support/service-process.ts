import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './services';

const BUILD_DIR = path.join(ROOT, '.test-build');

/** Compiles the project (as `npm start` would run it) into .test-build, for specs that need a real process to kill. */
export function buildServiceForChildProcess(): string {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--outDir', BUILD_DIR], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}\n${result.stderr}`);
  return path.join(BUILD_DIR, 'src', 'main.js');
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
