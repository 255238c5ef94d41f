import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { loadUnits } from '../../src/config/units';
import { ConversationEngine } from '../../src/conversation/engine';
import { createLookupFlow } from '../../src/conversation/flows/lookup-flow';
import { createTipFlow } from '../../src/conversation/flows/tip-flow';
import { ConversationStateStore } from '../../src/conversation/state-store';
import { DeskService } from '../../src/domain/desks/desk-service';
import { EvidenceStore } from '../../src/domain/evidence/evidence-store';
import type { ReceiptGenerator } from '../../src/domain/reports/receipt-code';
import { ReportService } from '../../src/domain/reports/report-service';
import { ResidentService } from '../../src/domain/residents/resident-service';
import { createI18n } from '../../src/i18n';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { openDatabase, type Database } from '../../src/storage/database';
import { TEST_INVITE_CODE, testDatabaseUri } from './test-env';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The domain services and engine on a fresh real database, without any channel. */
export async function openServices(label: string, options: { receiptCodes?: ReceiptGenerator; clock?: () => Date } = {}) {
  const database: Database = await openDatabase(testDatabaseUri(label));
  const { models } = database;
  const cipher = createPiiCipher(Buffer.alloc(32, 9));
  const catalog = loadCatalog(path.join(ROOT, 'config'));
  const units = loadUnits(path.join(ROOT, 'config'), catalog);
  const i18n = createI18n(path.join(ROOT, 'locales'));
  const evidence = new EvidenceStore(mkdtempSync(path.join(os.tmpdir(), 'tinbao-evidence-')), cipher);
  const residents = new ResidentService(models.residents, models.reports, cipher);
  const reports = new ReportService(models.reports, catalog, units, cipher, options.receiptCodes);
  const desks = new DeskService(models.desks, units, TEST_INVITE_CODE);
  const store = new ConversationStateStore(models.conversationStates, cipher);
  const engine = new ConversationEngine({
    store,
    cipher,
    translate: (lang) => i18n.forLanguage(lang),
    catalog,
    limits: { maxTextLength: 2000, maxEvidenceFiles: 3, maxEvidenceBytes: 1024 * 1024 },
    idleTimeoutMs: 24 * 3_600_000,
    retentionMonths: 24,
    residents,
    reports,
    desks,
    triage: { handle: async () => [] },
    evidence,
    flows: [createTipFlow({ reports, evidence, onTipFiled: () => undefined }), createLookupFlow(reports)],
    onDeskRegistered: () => undefined,
    forgetChannelData: async () => undefined,
    clock: options.clock ?? (() => new Date()),
  });
  return { database, models, cipher, catalog, i18n, evidence, residents, reports, desks, store, engine };
}
