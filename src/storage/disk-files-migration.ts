import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { moduleLogger } from '../shared/logger';
import type { FileStore } from './file-store';

const log = moduleLogger('migrations');

/**
 * Moves the evidence files earlier versions kept on the instance's disk
 * (DATA_DIR/evidence/<id>.bin, encrypted) into the database, unchanged, and
 * removes each from the disk once it is stored; the directory goes when it is
 * empty. Run at every start, so a crash midway is finished by the next one; a
 * file already moved (a crash before its removal) is only removed. How many
 * files it moved.
 */
export async function moveDiskFilesToDatabase(dir: string, files: Pick<FileStore, 'has' | 'put' | 'remove'>): Promise<number> {
  const names = await readdir(dir).catch(() => null);
  if (names === null) return 0;
  let moved = 0;
  for (const name of names) {
    const match = /^([0-9a-f-]{36})\.bin$/.exec(name);
    if (!match) continue;
    const id = match[1];
    const file = path.join(dir, name);
    const stored = await files.has(id);
    if (stored === 'unfinished') await files.remove([id]);
    if (stored !== 'ready') {
      // The key is not known without reading the header: "" lets the re-encryption pass look at it.
      await files.put(id, await readFile(file), '');
      moved += 1;
    }
    await rm(file, { force: true });
  }
  await rmdir(dir).catch(() => undefined);
  if (moved > 0) log.info({ moved, from: dir }, 'evidence files moved from the disk into the database');
  return moved;
}
