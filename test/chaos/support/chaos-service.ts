import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../../src/config/catalog';
import { loadUnits } from '../../../src/config/units';
import { DeskService } from '../../../src/domain/desks/desk-service';
import type { Database } from '../../../src/storage/database';
import { FAKE_BOT_TOKEN, type FakeTelegramServer } from '../../support/fake-telegram-server';
import { ROOT } from '../../support/services';
import { TEST_INVITE_CODE, TEST_KEY, eventually } from '../../support/test-env';
import { WEBHOOK_SECRET, type WebhookDelivery, textUpdate } from './webhook-residents';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The environment of a service process in Telegram webhook mode on `port`, against `uri` and the fake Bot API. */
export function webhookServiceEnv(uri: string, port: number, telegram: FakeTelegramServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGODB_URI: uri,
    TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/webhooks/telegram',
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    WEBCHAT_ENABLED: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'tinbao-chaos-')),
    DATA_ENCRYPTION_KEY: TEST_KEY,
    OFFICER_INVITE_CODE: TEST_INVITE_CODE,
    DESK_DELIVERY_INTERVAL_MS: '500',
    DESK_RETRY_BASE_MS: '200',
    ...extra,
  };
}

/** Registers a desk of Công an Phường 4 in group chat `desk`, through the webhook. */
export async function registerP4Desk(database: Database, telegram: FakeTelegramServer, delivery: WebhookDelivery, desk: number): Promise<void> {
  const catalog = loadCatalog(path.join(ROOT, 'config'));
  const desks = new DeskService(database.models.desks, database.models.cacheVersions, loadUnits(path.join(ROOT, 'config'), catalog), TEST_INVITE_CODE);
  await delivery.deliver(textUpdate(desk, `/trucban ${desks.inviteCodeFor('cap-p4')}`));
  await eventually('desk registered', () => telegram.textsTo(desk).some((t) => t.includes('bàn trực ban')), 30_000);
}

/** Resident set size of a process, now and at its peak, in MB (Linux /proc). */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}
