import type { Connection } from 'mongoose';
import { moduleLogger } from '../shared/logger';

const log = moduleLogger('database');

/** How often the watchdog looks. */
const LOOK_EVERY_MS = 5_000;

/**
 * Restarts the driver's connection to the server when its server monitor is
 * stuck, which otherwise lasts until the process restarts.
 *
 * The MongoDB Node.js driver (7.8, and 7.9.1 alike) can wedge its monitor: a
 * heartbeat begun as its connection closes writes to the closed socket, which
 * returns false and never emits "drain" or "error", so the heartbeat waits
 * forever. The server then stays "Unknown", every operation fails server
 * selection, and /readyz says 503 after the database is back. Reproduced by
 * test/e2e/database-outage.test.ts about once in ten runs.
 *
 * The watchdog follows the driver's public heartbeat events. A heartbeat
 * started more than `stuckAfterMs` ago and neither succeeded nor failed is
 * stuck: a heartbeat ends within connectTimeoutMS (a polled one) or
 * heartbeatFrequencyMS (an awaited one on a replica set). The watchdog then
 * closes the client, which fails what was in flight (callers retry it, as for
 * any outage), and connects it again.
 */
export function watchDriverMonitor(connection: Connection, stuckAfterMs: number, clock: () => number = Date.now): { stop(): void; looks(): number } {
  const started = new Map<string, number>();
  let restarting = false;
  let looks = 0;
  const client = connection.getClient();
  client.on('serverHeartbeatStarted', (event) => void started.set(event.connectionId, clock()));
  client.on('serverHeartbeatSucceeded', (event) => void started.delete(event.connectionId));
  client.on('serverHeartbeatFailed', (event) => void started.delete(event.connectionId));
  client.on('topologyClosed', () => started.clear());

  const look = async (): Promise<void> => {
    looks += 1;
    const oldest = Math.min(...started.values());
    if (restarting || !(clock() - oldest > stuckAfterMs)) return;
    restarting = true;
    log.error({ stuckForMs: clock() - oldest }, 'the database driver’s server monitor is stuck; reconnecting the client');
    try {
      await client.close(true);
      started.clear();
      await client.connect();
      log.info('database client reconnected');
    } catch (error) {
      log.error({ err: error }, 'reconnecting the database client failed; trying again at the next look');
    } finally {
      restarting = false;
    }
  };
  const timer = setInterval(() => void look(), Math.min(LOOK_EVERY_MS, stuckAfterMs)).unref();
  return { stop: () => clearInterval(timer), looks: () => looks };
}
