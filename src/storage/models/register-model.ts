import type { Connection, Model, Schema } from 'mongoose';

/**
 * Registers a model on a connection once: tests and restarts that build the
 * app again on the same connection get the existing model instead of
 * mongoose's OverwriteModelError.
 */
export function registerModel<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
}
