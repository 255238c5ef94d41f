import { detachExpiredReporters } from '../../src/domain/residents/retention';
import { LEDGER_RETENTION_MS, pruneLedgers } from '../../src/storage/housekeeping';
import { openDatabase, type Database } from '../../src/storage/database';
import { testDatabaseUri } from '../support/test-env';
import { ReportRepository } from '../../src/storage/report-repository';
import { createPiiCipher } from '../../src/shared/pii-cipher';

describe('ledger housekeeping', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('housekeeping'));
  });

  afterAll(() => db.close());

  it('prunes event keys, version markers and delivery claims older than the retention, keeping recent ones', async () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const old = new Date(now.getTime() - LEDGER_RETENTION_MS - 1000);
    const recent = new Date(now.getTime() - 1000);
    await db.models.inbox.create([
      { _id: 'telegram:1', receivedAt: old, chat: 'k1', version: 3 },
      { _id: 'v:k1#3', receivedAt: old },
      { _id: 'telegram:2', receivedAt: recent, chat: 'k1', version: 4 },
      { _id: 'v:k1#4', receivedAt: recent },
    ]);
    await db.models.deliveryClaims.create([
      { _id: 'a#1', claimedAt: old },
      { _id: 'b#1', claimedAt: recent },
    ]);

    expect(await pruneLedgers(db.models, now)).toEqual({ inbox: 2, claims: 1 });
    expect((await db.models.inbox.find({}).lean()).map((d) => d._id).sort()).toEqual(['telegram:2', 'v:k1#4']);
    expect((await db.models.deliveryClaims.find({}).lean()).map((d) => d._id)).toEqual(['b#1']);
  });

  it('prunes Zalo events, with their encrypted bodies, two days after they were handled or given up; keeps those still pending', async () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const threeDaysAgo = new Date(now.getTime() - 3 * 24 * 3_600_000);
    const anHourAgo = new Date(now.getTime() - 3_600_000);
    await db.models.zaloEvents.create([
      { _id: 'zalo:done-old', bodyEnc: 'x', status: 'done', receivedAt: threeDaysAgo },
      { _id: 'zalo:failed-old', bodyEnc: 'x', status: 'failed', receivedAt: threeDaysAgo },
      { _id: 'zalo:pending-old', bodyEnc: 'x', status: 'pending', receivedAt: threeDaysAgo },
      { _id: 'zalo:done-recent', bodyEnc: 'x', status: 'done', receivedAt: anHourAgo },
    ]);
    await pruneLedgers(db.models, now);
    expect((await db.models.zaloEvents.find({}).lean()).map((d) => d._id).sort()).toEqual(['zalo:done-recent', 'zalo:pending-old']);
  });
});

describe('retention of reporters personal data', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('retention'));
  });

  afterAll(() => db.close());

  it('detaches the reporter from tips closed longer ago than the retention period, and from nothing else', async () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const base = {
      kind: 'tip' as const,
      category: 'fraud',
      group: 'criminal',
      description: 'Lừa đảo.',
      location: { kind: 'unknown' as const, wardId: null, address: null, lat: null, lon: null },
      occurred: { kind: 'unknown' as const, text: null },
      evidence: [],
      suspects: { text: null, identifiers: [] },
      anonymous: false,
      reporter: { residentKey: 'k', contactEnc: 'v1:secret' },
      channel: 'telegram',
      lang: 'vi',
      unitIds: ['cap-p4'],
      statusHistory: [],
      forwards: [],
      relatedCodes: [],
      assessment: null,
      assignee: null,
      outcome: null,
      duplicateOf: null,
      deadlines: { ackDueAt: now, outcomeDueAt: now, extensions: [] },
      version: 0,
      createdAt: now,
    };
    await db.models.reports.create([
      { ...base, _id: 'old-closed', code: 'TB-AAAAA2', submissionKey: 'a', status: 'closed', closedAt: new Date('2024-10-01T00:00:00Z') },
      { ...base, _id: 'recent-closed', code: 'TB-AAAAA3', submissionKey: 'b', status: 'closed', closedAt: new Date('2025-12-01T00:00:00Z') },
      { ...base, _id: 'old-open', code: 'TB-AAAAA4', submissionKey: 'c', status: 'accepted', closedAt: null, createdAt: new Date('2023-01-01T00:00:00Z') },
    ]);

    expect(await detachExpiredReporters(new ReportRepository(db.models.reports, db.models.reportActions, createPiiCipher(Buffer.alloc(32, 4))), 24, now)).toBe(1);
    const reporters = Object.fromEntries((await db.models.reports.find({}).lean()).map((r) => [r._id, r.reporter]));
    expect(reporters['old-closed']).toBeNull();
    expect(reporters['recent-closed']).not.toBeNull();
    expect(reporters['old-open']).not.toBeNull();
  });
});
