import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { loadUnits } from '../../src/config/units';
import { ConversationEngine } from '../../src/conversation/engine';
import { chatKey } from '../../src/conversation/chat-key';
import type { ChatAddress, OutboundMessage } from '../../src/conversation/events';
import { createDeskReplyFlow } from '../../src/conversation/flows/desk-reply-flow';
import { createFollowupFlow } from '../../src/conversation/flows/followup-flow';
import { createForwardReasonFlow } from '../../src/conversation/flows/forward-reason-flow';
import { createDuplicateOfFlow } from '../../src/conversation/flows/duplicate-of-flow';
import { createLookupFlow } from '../../src/conversation/flows/lookup-flow';
import { buildDeskCard, type CardOptions } from '../../src/domain/desks/desk-card';
import { FollowupService } from '../../src/domain/followup/followup-service';
import { ReporterNotices } from '../../src/domain/followup/reporter-notices';
import { DeadlineService } from '../../src/domain/deadlines/deadline-service';
import { TriageService } from '../../src/domain/triage/triage-service';
import type { ReportDoc } from '../../src/storage/models/report.model';
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
  /** What the services sent to other chats (desks, reporters), in order. */
  const outbox: { address: ChatAddress; messages: OutboundMessage[] }[] = [];
  const sendToChat = async (address: ChatAddress, messages: OutboundMessage[]) => void outbox.push({ address, messages });
  const deskT = i18n.forLanguage('vi');
  const notices = new ReporterNotices({ notices: models.reporterNotices, claims: models.deliveryClaims }, residents, cipher, sendToChat, { retryBaseMs: 50 });
  const notifyReporter = (residentKey: string, messages: OutboundMessage[]) => notices.enqueue(residentKey, messages);
  const renderCard = (report: ReportDoc, options?: CardOptions) => buildDeskCard(report, reports.contactOf(report), { catalog, units, t: deskT, evidence }, options);
  const triage = new TriageService(
    { reports: models.reports, deliveries: models.deskDeliveries, actions: models.reportActions, audit: models.auditLog },
    desks,
    units,
    residents,
    { renderCard, editCard: (address, _ref, card) => sendToChat(address, [card]), onForwarded: () => undefined, notifyReporter, translate: (lang) => i18n.forLanguage(lang) },
  );
  const followups = new FollowupService(
    { reports: models.reports, deliveries: models.deskDeliveries, messages: models.reportMessages, audit: models.auditLog },
    desks,
    units,
    residents,
    evidence,
    { sendToChat, notifyReporter, translate: (lang) => i18n.forLanguage(lang), deskT },
  );
  const deadlines = new DeadlineService(
    { reports: models.reports, deliveries: models.deskDeliveries, reminders: models.reminders, audit: models.auditLog },
    desks,
    catalog,
    { sendToChat, deskT },
  );
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
    triage,
    followups,
    deadlines,
    evidence,
    flows: [
      createTipFlow({ reports, evidence, onTipFiled: () => undefined }),
      createLookupFlow(reports),
      createDeskReplyFlow(followups),
      createForwardReasonFlow(triage, units),
      createDuplicateOfFlow(triage),
      createFollowupFlow({ followups, evidence, keyOf: (address) => chatKey(cipher, address) }),
    ],
    onDeskRegistered: () => undefined,
    forgetChannelData: async () => undefined,
    clock: options.clock ?? (() => new Date()),
  });
  return { database, models, cipher, catalog, units, i18n, evidence, residents, reports, desks, triage, followups, deadlines, store, engine, outbox };
}
