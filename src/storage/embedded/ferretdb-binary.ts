import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { moduleLogger } from '../../shared/logger';
import { projectRoot } from '../../shared/project-root';

const log = moduleLogger('ferretdb-binary');

/**
 * Builds `tools/ferretdb` (our Go program embedding FerretDB v1.24.2) once
 * and reuses the binary until its sources change. The first build downloads
 * modules from the Go module proxy and takes a minute or two.
 */
export function ensureFerretdbBinary(override?: string): string {
  if (override) {
    if (!existsSync(override)) throw new AppError('ferretdb_build_failed', `FERRETDB_BIN=${override} does not exist`);
    return override;
  }
  const toolDir = path.join(projectRoot(), 'tools', 'ferretdb');
  const binary = path.join(toolDir, 'bin', 'ferretdb-embedded');
  const stampFile = `${binary}.stamp`;
  const stamp = sourceStamp(toolDir);

  if (existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return binary;
  }

  log.info({ toolDir }, 'building embedded FerretDB (first run only; needs Go and the Go module proxy)');
  mkdirSync(path.dirname(binary), { recursive: true });
  const result = spawnSync('go', ['build', '-trimpath', '-o', binary, '.'], {
    cwd: toolDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.error) {
    throw new AppError('ferretdb_build_failed', `Cannot run "go build" (is Go installed?): ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new AppError('ferretdb_build_failed', `"go build" in ${toolDir} exited with ${result.status}`);
  }
  writeFileSync(stampFile, stamp);
  return binary;
}

function sourceStamp(toolDir: string): string {
  const hash = createHash('sha256');
  const sources = readdirSync(toolDir).filter((file) => file.endsWith('.go') && !file.endsWith('_test.go')).sort();
  for (const file of [...sources, 'go.mod', 'go.sum']) hash.update(file).update(readFileSync(path.join(toolDir, file)));
  return hash.digest('hex');
}
