import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv, type Env } from '../../src/config/env';

export const TEST_INVITE_CODE = 'desk-invite-123';
export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');

/** A fresh database name on the run's test server. */
export function testDatabaseUri(label: string): string {
  const server = process.env.TEST_DATABASE_SERVER;
  if (!server) throw new Error('TEST_DATABASE_SERVER is not set: run the tests through jest (global setup starts the database)');
  const url = new URL(server);
  url.pathname = `/t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

/** The service's configuration for a test: real database, free port, temporary data directory, quiet logs. */
export function testEnv(label: string, overrides: Record<string, string> = {}): Env {
  return parseEnv({
    MONGODB_URI: testDatabaseUri(label),
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tinbao-data-')),
    DATA_ENCRYPTION_KEY: TEST_KEY,
    OFFICER_INVITE_CODE: TEST_INVITE_CODE,
    DESK_DELIVERY_INTERVAL_MS: '100',
    DESK_RETRY_BASE_MS: '50',
    TELEGRAM_POLLING: 'true',
    BROADCAST_IDLE_POLL_MS: '200',
    // Specs drive whole flows in a second; the flood spec sets its own limit.
    CHAT_MESSAGES_PER_MINUTE: '100000',
    ZALO_HTTP_TIMEOUT_MS: '2000',
    // Specs drive the web chat faster than a person; the rate limit spec sets its own.
    WEBCHAT_REQUESTS_PER_MINUTE: '100000',
    WEBCHAT_REQUESTS_PER_MINUTE_PER_ADDRESS: '100000',
    ...overrides,
  });
}

/** Polls until `check` returns a value (not undefined/false), or fails with `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
