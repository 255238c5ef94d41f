import { Schema, type Connection, type Model } from 'mongoose';
import { registerModel } from './register-model';

/**
 * A file kept in the database (evidence, campaign pictures), encrypted: the
 * GridFS layout of a files document and its chunks, with chunk ids we choose.
 * `_id` is the file's id; its bytes are in `file_chunks` under
 * "<blob>:<n>". A file is readable once `status` is "ready"; "writing" and
 * "removing" are the states a crash can leave, which the retention sweep
 * finishes (FileStore).
 */
export interface StoredFileDoc {
  _id: string;
  /** The chunks' prefix: changes when the file is re-encrypted, so old and new chunks never mix. */
  blob: string;
  /** Sealed bytes in all. */
  length: number;
  chunkSize: number;
  /** The key the bytes were sealed with ("" when not known, as for files moved from a disk). */
  keyId: string;
  status: 'writing' | 'ready' | 'removing';
  /** A re-encryption in progress: the blob being written. */
  nextBlob?: string;
  at: Date;
}

export interface FileChunkDoc {
  _id: string;
  fileId: string;
  n: number;
  data: Buffer;
}

const fileSchema = new Schema<StoredFileDoc>(
  {
    _id: { type: String, required: true },
    blob: { type: String, required: true },
    length: { type: Number, required: true },
    chunkSize: { type: Number, required: true },
    keyId: { type: String, default: '' },
    status: { type: String, required: true },
    nextBlob: { type: String },
    at: { type: Date, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'files' },
);
// Serves the sweep of unfinished writes and removals, and the re-encryption pass (files not made with the current key).
fileSchema.index({ status: 1, at: 1 });
fileSchema.index({ keyId: 1 });

const chunkSchema = new Schema<FileChunkDoc>(
  {
    _id: { type: String, required: true },
    fileId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { versionKey: false, autoIndex: false, collection: 'file_chunks' },
);

export function storedFileModel(connection: Connection): Model<StoredFileDoc> {
  return registerModel<StoredFileDoc>(connection, 'StoredFile', fileSchema);
}

export function fileChunkModel(connection: Connection): Model<FileChunkDoc> {
  return registerModel<FileChunkDoc>(connection, 'FileChunk', chunkSchema);
}
