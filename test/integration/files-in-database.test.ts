import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvidenceStore } from '../../src/domain/evidence/evidence-store';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { openDatabase, type Database } from '../../src/storage/database';
import { moveDiskFilesToDatabase } from '../../src/storage/disk-files-migration';
import { FILE_CHUNK_BYTES, FileStore, UNFINISHED_FILE_MS, finishInterruptedFiles } from '../../src/storage/file-store';
import { testDatabaseUri } from '../support/test-env';

/** FileStore's private chunk writer, wrapped by the specs to kill the writer right after it. */
type WithChunkWriter = { writeChunks: (...args: unknown[]) => Promise<void> };
const realWriteChunks = (FileStore.prototype as unknown as WithChunkWriter).writeChunks;

const OLD_KEY = Buffer.alloc(32, 1);
const KEY = Buffer.alloc(32, 2);

/**
 * Evidence and campaign pictures live in the database, so an instance sends
 * what another received; every write is ordered so that a crash leaves
 * either the whole file or nothing readable, and the sweep cleans up.
 */
describe('files kept in the database', () => {
  let db: Database;
  const stores = () => ({ files: db.models.files, chunks: db.models.fileChunks });
  const cipher = createPiiCipher(KEY);
  const chunksOf = async (fileId: string) => db.models.fileChunks.countDocuments({ fileId });
  const later = () => new Date(Date.now() + UNFINISHED_FILE_MS + 60_000);

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('files_db'));
  });

  afterAll(() => db.close());

  it('reads on one instance a file another instance stored, across several chunks, sealed at rest', async () => {
    const bytes = Buffer.alloc(Math.floor(3.5 * FILE_CHUNK_BYTES));
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31) % 251;
    const received = await new EvidenceStore(new FileStore(stores()), cipher).save(bytes, { kind: 'photo', mime: 'image/jpeg', fileName: 'a.jpg', platform: null });

    const sending = new EvidenceStore(new FileStore(stores()), cipher);
    expect((await sending.load(received.id)).equals(bytes)).toBe(true);
    expect(await chunksOf(received.id)).toBe(4);
    const first = await db.connection.collection<{ _id: string; data: { buffer: Uint8Array } }>('file_chunks').findOne({ fileId: received.id, n: 0 });
    expect(Buffer.from(first?.data.buffer ?? []).subarray(0, 4).toString()).toBe('TBK2');
  });

  it('never shows a file whose writer died before its last chunk, and the sweep removes what it wrote', async () => {
    const store = new FileStore(stores());
    const id = randomUUID();
    const writeChunks = jest.spyOn(store as unknown as WithChunkWriter, 'writeChunks');
    writeChunks.mockImplementationOnce(async (...args: unknown[]) => {
      await realWriteChunks.apply(store, args);
      throw new Error('killed before the file was marked ready');
    });
    await expect(store.put(id, Buffer.alloc(2 * FILE_CHUNK_BYTES + 5, 9), 'k')).rejects.toThrow('killed');
    expect(await chunksOf(id)).toBe(3);
    await expect(store.get(id)).rejects.toMatchObject({ code: 'file_missing' });
    expect(await store.has(id)).toBe('unfinished');

    // Within the hour it may still be written: left alone. After it: removed, chunks and all.
    await finishInterruptedFiles(stores(), new Date());
    expect(await store.has(id)).toBe('unfinished');
    await finishInterruptedFiles(stores(), later());
    expect(await store.has(id)).toBe('absent');
    expect(await chunksOf(id)).toBe(0);
  });

  it('finishes a removal that stopped after marking the file, and a removed file reads as missing at once', async () => {
    const store = new FileStore(stores());
    const id = randomUUID();
    await store.put(id, Buffer.from('to be removed'), 'k');
    await db.models.files.updateOne({ _id: id }, { $set: { status: 'removing' } });
    await expect(store.get(id)).rejects.toMatchObject({ code: 'file_missing' });
    await finishInterruptedFiles(stores(), later());
    expect(await store.has(id)).toBe('absent');
    expect(await chunksOf(id)).toBe(0);

    const other = randomUUID();
    await store.put(other, Buffer.alloc(FILE_CHUNK_BYTES + 1), 'k');
    await store.remove([other]);
    expect(await store.has(other)).toBe('absent');
    expect(await chunksOf(other)).toBe(0);
  });

  it('re-encrypts with the current key; a re-encryption cut before its switch leaves the old bytes readable and is redone', async () => {
    const before = new EvidenceStore(new FileStore(stores()), createPiiCipher(OLD_KEY));
    const photo = Buffer.from('a photo sealed with the old key');
    const saved = await before.save(photo, { kind: 'photo', mime: 'image/jpeg', fileName: null, platform: null });
    const rotating = createPiiCipher(KEY, { previous: [OLD_KEY] });
    const files = new FileStore(stores());

    // Cut: the new chunks are written, the process dies before the switch.
    const cut = new FileStore(stores());
    jest.spyOn(cut as unknown as WithChunkWriter, 'writeChunks').mockImplementationOnce(async (...args: unknown[]) => {
      await realWriteChunks.apply(cut, args);
      throw new Error('killed before the switch');
    });
    await expect(new EvidenceStore(cut, rotating).reencrypt()).rejects.toThrow('killed before the switch');
    expect((await new EvidenceStore(files, rotating).load(saved.id)).equals(photo)).toBe(true);
    expect(await chunksOf(saved.id)).toBe(2);

    await finishInterruptedFiles(stores(), later());
    expect(await chunksOf(saved.id)).toBe(1);
    expect(await new EvidenceStore(files, rotating).reencrypt()).toBeGreaterThanOrEqual(1);
    expect((await new EvidenceStore(files, createPiiCipher(KEY)).load(saved.id)).equals(photo)).toBe(true);
    expect(await chunksOf(saved.id)).toBe(1);
  });

  it('moves the files an earlier version kept on the disk into the database, once', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tinbao-disk-')), 'evidence');
    mkdirSync(dir);
    const id = randomUUID();
    const photo = Buffer.from('a photo from the disk');
    writeFileSync(path.join(dir, `${id}.bin`), cipher.encryptBytes(photo));

    const files = new FileStore(stores());
    expect(await moveDiskFilesToDatabase(dir, files)).toBe(1);
    expect(existsSync(dir)).toBe(false);
    expect((await new EvidenceStore(files, cipher).load(id)).equals(photo)).toBe(true);
    expect(await moveDiskFilesToDatabase(dir, files)).toBe(0);
  });
});
