import type { mongo } from 'mongoose';
import { AppError } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import type { PiiCipher } from '../shared/pii-cipher';
import type { Models } from './database';

const log = moduleLogger('key-rotation');

/** A ciphertext as PiiCipher.encrypt writes it, with or without a key id. */
const CIPHERTEXT = /^v(1:|2:[0-9a-f]{8}:)[A-Za-z0-9+/]+=*$/;

type Doc = { _id: string } & Record<string, unknown>;

/**
 * Re-encrypts, with the current data key, every ciphertext made with a
 * previous one, in batches, so DATA_ENCRYPTION_PREVIOUS_KEYS can be dropped
 * afterwards. It walks every collection, so a field encrypted tomorrow is
 * covered without being listed here.
 *
 * Each document is written only where it holds an old ciphertext, with
 * `$set` of those paths guarded by their old values: a document changed
 * meanwhile keeps its change and is re-encrypted by the next pass. (On
 * FerretDB v1 a filter beyond `_id` is a scan of the collection per written
 * document; a rotation is a rare, one-off background job, and the embedded
 * database holds one ward's data. MongoDB uses the `_id` index.)
 *
 * Files are re-encrypted by their store (EvidenceStore.reencrypt).
 */
export async function reencryptAll(models: Models, cipher: Pick<PiiCipher, 'decrypt' | 'encrypt' | 'isCurrent'>, options: { batchSize?: number } = {}): Promise<{ rewritten: number; unreadable: number }> {
  const batchSize = options.batchSize ?? 200;
  let rewritten = 0;
  let unreadable = 0;
  for (const model of Object.values(models)) {
    const db = model.db.db;
    if (!db) throw new AppError('database_unavailable', 'The database connection is not open');
    const collection = db.collection<Doc>(model.collection.collectionName);
    let after: string | null = null;
    for (;;) {
      const batch: Doc[] = await collection
        .find(after === null ? {} : { _id: { $gt: after } })
        .sort({ _id: 1 })
        .limit(batchSize)
        .toArray();
      if (batch.length === 0) break;
      after = batch[batch.length - 1]?._id ?? null;
      for (const doc of batch) {
        const changes = new Map<string, { from: string; to: string }>();
        unreadable += collectOld(doc, '', cipher, changes);
        if (changes.size === 0) continue;
        const guard = Object.fromEntries([...changes].map(([path, { from }]) => [path, from]));
        const set = Object.fromEntries([...changes].map(([path, { to }]) => [path, to]));
        const result = await collection.updateOne({ _id: doc._id, ...guard } as mongo.Filter<Doc>, { $set: set });
        rewritten += result.modifiedCount;
      }
    }
  }
  if (rewritten > 0 || unreadable > 0) log.info({ rewritten, unreadable }, 're-encryption pass done');
  return { rewritten, unreadable };
}

/** The old ciphertexts in a document, by path, each with its re-encryption; how many could not be read. */
function collectOld(value: unknown, path: string, cipher: Pick<PiiCipher, 'decrypt' | 'encrypt' | 'isCurrent'>, into: Map<string, { from: string; to: string }>): number {
  if (typeof value === 'string') {
    if (!CIPHERTEXT.test(value) || cipher.isCurrent(value)) return 0;
    try {
      into.set(path, { from: value, to: cipher.encrypt(cipher.decrypt(value)) });
      return 0;
    } catch {
      // Text that only looks like a ciphertext, or one made with a key no longer configured.
      log.warn({ path }, 'a ciphertext made with an unknown key was left as it is');
      return 1;
    }
  }
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value) || '_bsontype' in value) return 0;
  let unreadable = 0;
  for (const [key, inner] of Object.entries(value)) {
    // A key that is not a plain path step cannot be written by path.
    if (path === '' && key === '_id') continue;
    if (key.includes('.') || key.startsWith('$')) continue;
    unreadable += collectOld(inner, path === '' ? key : `${path}.${key}`, cipher, into);
  }
  return unreadable;
}
