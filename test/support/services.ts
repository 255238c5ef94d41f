import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { loadUnits } from '../../src/config/units';
import type { ReceiptGenerator } from '../../src/domain/reports/receipt-code';
import { createI18n } from '../../src/i18n';
import { buildServices } from '../../src/services';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { openDatabase, type Database } from '../../src/storage/database';
import { TEST_INVITE_CODE, testDatabaseUri } from './test-env';
import type { ChatAddress, OutboundMessage } from '../../src/core/chat';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The product below the channels (services, flows, engine) on a fresh real
 * database, as the service builds it. What it sends to chats is recorded in
 * `outbox` instead of going through a channel.
 */
export async function openServices(label: string, options: { receiptCodes?: ReceiptGenerator; clock?: () => Date; lateReplyAfterMs?: number; configDir?: string; refuse?: (address: ChatAddress) => boolean; systemAdmins?: string[] } = {}) {
  const database: Database = await openDatabase(testDatabaseUri(label));
  const { models } = database;
  const cipher = createPiiCipher(Buffer.alloc(32, 9));
  const configDir = options.configDir ?? path.join(ROOT, 'config');
  const catalog = loadCatalog(configDir);
  const units = loadUnits(configDir, catalog);
  const i18n = createI18n(path.join(ROOT, 'locales'));

  const outbox: { address: ChatAddress; messages: OutboundMessage[] }[] = [];
  const services = buildServices({
    models,
    catalog,
    units,
    translate: (lang) => i18n.forLanguage(lang),
    cipher,
    chats: {
      send: async (address, messages) => {
        // A chat that refuses messages (the bot removed from it), as the platform answers.
        if (options.refuse?.(address)) throw new Error('Forbidden: bot was kicked from the chat');
        outbox.push({ address, messages });
        return messages.map(() => null);
      },
      edit: async (address, _ref, message) => void outbox.push({ address, messages: [message] }),
      forgetChat: async () => undefined,
    },
    officerInviteCode: TEST_INVITE_CODE,
    systemAdmins: options.systemAdmins ?? [],
    limits: { maxTextLength: 2000, maxEvidenceFiles: 3, maxEvidenceBytes: 1024 * 1024 },
    idleTimeoutMs: 24 * 3_600_000,
    retentionMonths: 24,
    deliveryIntervalMs: 1000,
    retryBaseMs: 50,
    clock: options.clock ?? (() => new Date()),
    receiptCodes: options.receiptCodes,
    lateReplyAfterMs: options.lateReplyAfterMs,
  });
  return { database, models, cipher, catalog, units, i18n, outbox, ...services };
}
