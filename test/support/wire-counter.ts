import net from 'node:net';
import mongoose from 'mongoose';

/** One command the service sent to the database, as seen on the wire. */
export interface WireRequest {
  command: string;
  collection: string;
  /** The filter's field names (`_id`, `key`…), or [] when the command has none. */
  filterFields: string[];
  /** The write concern the command carries, as sent (null when none). */
  writeConcern: Record<string, unknown> | null;
}

/** Commands the driver sends on its own (handshakes, heartbeats, sessions): not the service's requests. */
const DRIVER_CHATTER = new Set(['hello', 'ismaster', 'ping', 'endsessions', 'buildinfo', 'saslstart', 'saslcontinue', 'getparameter', 'listindexes', 'createindexes', 'killcursors']);

const OP_MSG = 2013;

/**
 * A TCP proxy between the service and the database that decodes each OP_MSG
 * the service sends and records which command it is, on which collection and
 * with which filter fields. It never changes a byte. Used by the request
 * count specs and by bench/tip-latency.
 */
export class WireCounter {
  readonly requests: WireRequest[] = [];
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private paused = false;

  constructor(private readonly upstream: { host: string; port: number }) {}

  /** Starts listening on 127.0.0.1 and returns `mongodb://127.0.0.1:<port>/`. */
  async start(): Promise<string> {
    this.server = net.createServer((client) => this.pipe(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as net.AddressInfo;
    return `mongodb://127.0.0.1:${address.port}/`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The database "goes away": open connections are cut and new ones refused until `resume`. */
  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.destroy();
  }

  resume(): void {
    this.paused = false;
  }

  /** Forgets what was counted so far. */
  reset(): void {
    this.requests.length = 0;
  }

  /** Requests counted since the last reset, as "command collection {fields}" lines. */
  lines(): string[] {
    return this.requests.map((r) => `${r.command} ${r.collection} {${r.filterFields.join(',')}}`);
  }

  private pipe(client: net.Socket): void {
    if (this.paused) {
      client.destroy();
      return;
    }
    const server = net.connect(this.upstream.port, this.upstream.host);
    this.sockets.add(client).add(server);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      server.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const length = pending.readInt32LE(0);
        if (pending.length < length) break;
        this.record(pending.subarray(0, length));
        pending = pending.subarray(length);
      }
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
    const close = (): void => {
      client.destroy();
      server.destroy();
      this.sockets.delete(client);
      this.sockets.delete(server);
    };
    client.on('close', close).on('error', close);
    server.on('close', close).on('error', close);
  }

  private record(message: Buffer): void {
    if (message.readInt32LE(12) !== OP_MSG) return;
    // header (16) + flagBits (4), then sections: kind 0 is the command body, kind 1 a document sequence.
    let offset = 20;
    let body: Record<string, unknown> | null = null;
    const sequences: Record<string, Record<string, unknown>[]> = {};
    while (offset < message.length) {
      const kind = message.readUInt8(offset);
      offset += 1;
      if (kind === 0) {
        const size = message.readInt32LE(offset);
        body = mongoose.mongo.BSON.deserialize(message.subarray(offset, offset + size));
        offset += size;
      } else if (kind === 1) {
        const size = message.readInt32LE(offset);
        const end = offset + size;
        let cursor = offset + 4;
        const nul = message.indexOf(0, cursor);
        const name = message.toString('utf8', cursor, nul);
        cursor = nul + 1;
        const documents: Record<string, unknown>[] = [];
        while (cursor < end) {
          const docSize = message.readInt32LE(cursor);
          documents.push(mongoose.mongo.BSON.deserialize(message.subarray(cursor, cursor + docSize)));
          cursor += docSize;
        }
        sequences[name] = documents;
        offset = end;
      } else {
        return;
      }
    }
    if (!body) return;
    const command = Object.keys(body)[0];
    if (!command || DRIVER_CHATTER.has(command.toLowerCase())) return;
    const collection = typeof body[command] === 'string' ? (body[command] as string) : '';
    const writeConcern = (body.writeConcern as Record<string, unknown> | undefined) ?? null;
    this.requests.push({ command, collection, filterFields: filterFieldsOf(command, body, sequences), writeConcern });
  }
}

function filterFieldsOf(command: string, body: Record<string, unknown>, sequences: Record<string, Record<string, unknown>[]>): string[] {
  const first = (name: string): Record<string, unknown> | undefined => {
    const list = (body[name] as Record<string, unknown>[] | undefined) ?? sequences[name];
    return list?.[0];
  };
  const filter =
    command === 'update' ? first('updates')?.q
    : command === 'delete' ? first('deletes')?.q
    : command === 'findAndModify' || command === 'find' || command === 'count' ? (body.query ?? body.filter)
    : command === 'aggregate' ? ((body.pipeline as Record<string, unknown>[] | undefined)?.[0]?.$match ?? {})
    : undefined;
  return filter && typeof filter === 'object' ? Object.keys(filter as object) : [];
}
