import mongoose, { type Connection } from 'mongoose';
import { watchDriverMonitor } from '../../src/storage/driver-watchdog';
import { eventually, testDatabaseUri } from '../support/test-env';

/**
 * The driver's server monitor can wait forever on a heartbeat begun as its
 * connection closed (see driver-watchdog.ts). The watchdog notices a
 * heartbeat that neither succeeded nor failed in time and reconnects the
 * client; the same connection then serves operations again.
 */
describe('the driver monitor watchdog', () => {
  let connection: Connection;

  beforeAll(async () => {
    connection = await mongoose.createConnection(testDatabaseUri('watchdog'), { serverSelectionTimeoutMS: 2000 }).asPromise();
  });

  afterAll(() => connection.close());

  it('reconnects the client when a heartbeat hangs, and leaves a healthy one alone', async () => {
    const client = connection.getClient();
    let openings = 0;
    client.on('topologyOpening', () => void (openings += 1));
    const watchdog = watchDriverMonitor(connection, 300);
    try {
      // Healthy: heartbeats come and go; nothing is restarted.
      client.emit('serverHeartbeatStarted', { connectionId: 'db:1' } as never);
      client.emit('serverHeartbeatSucceeded', { connectionId: 'db:1' } as never);
      const looked = watchdog.looks();
      await eventually('the watchdog looked three times more', () => watchdog.looks() >= looked + 3);
      expect(openings).toBe(0);

      // Stuck: a heartbeat starts and never ends.
      client.emit('serverHeartbeatStarted', { connectionId: 'db:1' } as never);
      await eventually('the client reconnected', () => openings === 1);
      expect(await connection.db?.admin().ping()).toMatchObject({ ok: 1 });
      expect(await connection.collection('things').insertOne({ _id: 'after' } as never)).toMatchObject({ acknowledged: true });
    } finally {
      watchdog.stop();
    }
  });
});
