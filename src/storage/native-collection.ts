import type { Model, mongo } from 'mongoose';
import { AppError } from '../shared/errors';

/**
 * The driver's own collection behind a model, typed by its documents: for
 * the few hot-path writes where mongoose's casting and hooks add a cost and
 * nothing else (the documents are built whole by the caller).
 */
export function nativeCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  const db = model.db.db;
  if (!db) throw new AppError('database_unavailable', 'The database connection is not open');
  return db.collection<T>(model.collection.collectionName);
}
