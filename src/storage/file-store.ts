import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { AppError } from '../shared/errors';
import { nativeCollection } from './native-collection';
import type { FileChunkDoc, StoredFileDoc } from './models/stored-file.model';

/** Bytes per chunk document: a 20 MB file is 20 reads by `_id`. */
export const FILE_CHUNK_BYTES = 1024 * 1024;
/** A write, removal or re-encryption unfinished this long was left by a crash: the sweep finishes it. */
export const UNFINISHED_FILE_MS = 3_600_000;
/** Chunks written per insert command. */
const CHUNKS_PER_INSERT = 4;

export interface FileModels {
  files: Model<StoredFileDoc>;
  chunks: Model<FileChunkDoc>;
}

/**
 * Files kept in the database, so that any instance can send what another
 * received: a files document and its chunks, the layout of GridFS. The bytes
 * given are stored as they are (the caller seals them).
 *
 * MongoDB would serve this with the driver's GridFSBucket, and FerretDB v1
 * does too, but there its chunk reads (`{files_id, n}`, sorted) scan the whole
 * chunk collection, which holds every file's bytes: gigabytes read per file
 * sent. So the chunks' `_id`s are chosen ("<blob>:<n>") and every read is by
 * `_id`, served by the primary index on both servers.
 *
 * Each change is a few writes in an order a crash cannot make harmful: a file
 * is visible only once all its chunks are written ("ready"); a removal marks
 * the file first; a re-encryption writes the new chunks under a new blob and
 * switches to it in one update. `finishInterruptedFiles` cleans up after a
 * crash.
 */
export class FileStore {
  constructor(
    private readonly models: FileModels,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async put(id: string, bytes: Buffer, keyId: string): Promise<void> {
    const blob = randomUUID();
    await this.models.files.create({ _id: id, blob, length: bytes.length, chunkSize: FILE_CHUNK_BYTES, keyId, status: 'writing', at: this.clock() });
    await this.writeChunks(id, blob, bytes);
    await this.models.files.updateOne({ _id: id }, { $set: { status: 'ready' } });
  }

  /** Whether a file is stored: "ready", "unfinished" (a write or removal a crash left), or "absent". */
  async has(id: string): Promise<'ready' | 'unfinished' | 'absent'> {
    const file = await this.models.files.findOne({ _id: id }, { status: 1 }).lean();
    return !file ? 'absent' : file.status === 'ready' ? 'ready' : 'unfinished';
  }

  async get(id: string): Promise<Buffer> {
    const file = await this.models.files.findOne({ _id: id }).lean();
    if (!file || file.status !== 'ready') throw new AppError('file_missing', `No stored file ${id}`);
    const chunks = nativeCollection(this.models.chunks);
    const parts: Buffer[] = [];
    for (let n = 0; n < chunkCount(file); n += 1) {
      const chunk = await chunks.findOne({ _id: `${file.blob}:${n}` });
      if (!chunk) throw new AppError('file_missing', `Stored file ${id} lacks chunk ${n}`);
      parts.push(asBuffer(chunk.data));
    }
    const bytes = Buffer.concat(parts);
    if (bytes.length !== file.length) throw new AppError('file_missing', `Stored file ${id} has ${bytes.length} of ${file.length} bytes`);
    return bytes;
  }

  async remove(ids: string[]): Promise<void> {
    for (const id of ids) {
      const file = await this.models.files.findOneAndUpdate({ _id: id }, { $set: { status: 'removing', at: this.clock() } }, { new: true }).lean();
      if (file) await dropFile(this.models, file);
    }
  }

  /**
   * Re-seals, with `reseal`, the files not made with the key `keyId`, up to
   * `limit` per call; `reseal` returns null for a file already sealed with
   * it. How many files it changed (0: nothing is left that it can do), how
   * many of those it rewrote, and how many it could not read (skipped).
   */
  async reseal(keyId: string, reseal: (bytes: Buffer) => Buffer | null, limit = 200): Promise<{ changed: number; rewritten: number; unreadable: number }> {
    const counts = { changed: 0, rewritten: 0, unreadable: 0 };
    const stale = await this.models.files.find({ keyId: { $ne: keyId }, status: 'ready', nextBlob: { $exists: false } }).limit(limit).lean();
    for (const file of stale) {
      let next: Buffer | null;
      try {
        next = reseal(await this.get(file._id));
      } catch {
        counts.unreadable += 1;
        continue;
      }
      if (!next) {
        counts.changed += (await this.models.files.updateOne({ _id: file._id, blob: file.blob }, { $set: { keyId } })).modifiedCount;
        continue;
      }
      const nextBlob = randomUUID();
      const marked = await this.models.files.updateOne({ _id: file._id, blob: file.blob, nextBlob: { $exists: false } }, { $set: { nextBlob, at: this.clock() } });
      if (marked.matchedCount === 0) continue;
      await this.writeChunks(file._id, nextBlob, next);
      const switched = await this.models.files.updateOne({ _id: file._id, blob: file.blob, nextBlob }, { $set: { blob: nextBlob, length: next.length, keyId }, $unset: { nextBlob: 1 } });
      // Switched: the old chunks go. Not switched (removed or swept meanwhile): the new ones go.
      await deleteChunks(this.models, chunkIds(switched.matchedCount > 0 ? file : { blob: nextBlob, length: next.length, chunkSize: file.chunkSize }));
      if (switched.matchedCount > 0) {
        counts.changed += 1;
        counts.rewritten += 1;
      }
    }
    return counts;
  }

  private async writeChunks(fileId: string, blob: string, bytes: Buffer): Promise<void> {
    const chunks = nativeCollection(this.models.chunks);
    const docs: FileChunkDoc[] = [];
    for (let n = 0; n * FILE_CHUNK_BYTES < bytes.length; n += 1) docs.push({ _id: `${blob}:${n}`, fileId, n, data: bytes.subarray(n * FILE_CHUNK_BYTES, (n + 1) * FILE_CHUNK_BYTES) });
    for (let i = 0; i < docs.length; i += CHUNKS_PER_INSERT) await chunks.insertMany(docs.slice(i, i + CHUNKS_PER_INSERT));
  }
}

/**
 * Finishes what a crash left, for files whose change began more than
 * UNFINISHED_FILE_MS ago: a write never made ready, a removal, a
 * re-encryption never switched. Run by the retention sweep. How many files it
 * finished.
 */
export async function finishInterruptedFiles(models: FileModels, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - UNFINISHED_FILE_MS);
  let finished = 0;
  for (const file of await models.files.find({ status: { $in: ['writing', 'removing'] }, at: { $lt: cutoff } }).lean()) {
    await dropFile(models, file);
    finished += 1;
  }
  for (const file of await models.files.find({ status: 'ready', nextBlob: { $exists: true }, at: { $lt: cutoff } }).lean()) {
    const unmarked = await models.files.updateOne({ _id: file._id, nextBlob: file.nextBlob }, { $unset: { nextBlob: 1 } });
    if (unmarked.matchedCount > 0 && file.nextBlob) await deleteChunks(models, chunkIds({ ...file, blob: file.nextBlob }, 1));
    finished += 1;
  }
  return finished;
}

async function dropFile(models: FileModels, file: StoredFileDoc): Promise<void> {
  // By `_id` (a scan of every file's chunks on FerretDB otherwise). A re-encryption's new bytes may be a header longer than the old: one chunk more.
  await deleteChunks(models, [...chunkIds(file), ...(file.nextBlob ? chunkIds({ ...file, blob: file.nextBlob }, 1) : [])]);
  await models.files.deleteOne({ _id: file._id, status: file.status });
}

/** One command of single-`_id` deletes: each served by the primary index on FerretDB v1 too, which scans for `$in`. */
async function deleteChunks(models: FileModels, ids: string[]): Promise<void> {
  if (ids.length > 0) await models.chunks.bulkWrite(ids.map((_id) => ({ deleteOne: { filter: { _id } } })));
}

function chunkCount(file: Pick<StoredFileDoc, 'length' | 'chunkSize'>): number {
  return Math.ceil(file.length / file.chunkSize);
}

function chunkIds(file: Pick<StoredFileDoc, 'blob' | 'length' | 'chunkSize'>, extra = 0): string[] {
  return Array.from({ length: chunkCount(file) + extra }, (_, n) => `${file.blob}:${n}`);
}

/** The driver returns stored bytes as its Binary type. */
function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const binary = data as { buffer: Uint8Array };
  return Buffer.from(binary.buffer);
}
