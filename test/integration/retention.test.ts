import { detachExpiredReporters } from '../../src/domain/residents/retention';
import { openDatabase, type Database } from '../../src/storage/database';
import { sweepRetention } from '../../src/storage/retention';
import { testDatabaseUri } from '../support/test-env';
import { ReportRepository } from '../../src/storage/report-repository';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const NOW = new Date('2026-12-03T00:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * 24 * 3_600_000);
const monthsAgo = (months: number) => {
  const at = new Date(NOW);
  at.setUTCMonth(at.getUTCMonth() - months);
  return at;
};

type Seed = { _id: string } & Record<string, unknown>;

/**
 * The README's table "What is kept and for how long", one row per collection:
 * documents seeded at ages on both sides of each rule, and the ids the
 * sweep must leave. Every collection of the service has a row, so a new
 * collection without a rule fails this spec.
 */
const TABLE: Record<string, { seed: Seed[]; left: string[] }> = {
  inbox: { seed: [{ _id: 'old', receivedAt: ago(8) }, { _id: 'recent', receivedAt: ago(6) }], left: ['recent'] },
  delivery_claims: { seed: [{ _id: 'old', claimedAt: ago(8) }, { _id: 'recent', claimedAt: ago(6) }], left: ['recent'] },
  leases: { seed: [{ _id: 'expired-long-ago', expiresAt: ago(8) }, { _id: 'expired-lately', expiresAt: ago(1) }, { _id: 'held', expiresAt: ago(-1) }], left: ['expired-lately', 'held'] },
  job_runs: { seed: [{ _id: 'sweep:old', job: 'sweep', instance: 'a', at: ago(2) }, { _id: 'sweep:recent', job: 'sweep', instance: 'a', at: ago(0.5) }], left: ['sweep:recent'] },
  broadcast_senders: { seed: [{ _id: 'gone', lastSeenAt: ago(8) }, { _id: 'alive', lastSeenAt: ago(0) }], left: ['alive'] },
  broadcast_promotion_days: { seed: [{ _id: 'u|2026-11-20', deliveryId: 'd', at: ago(13) }, { _id: 'u|2026-12-02', deliveryId: 'd', at: ago(1) }], left: ['u|2026-12-02'] },
  reporter_notices: {
    seed: [
      { _id: 'sent-old', status: 'sent', createdAt: ago(2) },
      { _id: 'sent-recent', status: 'sent', createdAt: ago(0.5) },
      { _id: 'pending-for-a-month', status: 'pending', createdAt: ago(31) },
      { _id: 'pending', status: 'pending', createdAt: ago(2) },
    ],
    left: ['pending', 'sent-recent'],
  },
  zalo_events: {
    seed: [
      { _id: 'done-old', status: 'done', receivedAt: ago(3) },
      { _id: 'failed-old', status: 'failed', receivedAt: ago(3) },
      { _id: 'pending-old', status: 'pending', receivedAt: ago(3) },
      { _id: 'done-recent', status: 'done', receivedAt: ago(1 / 24) },
    ],
    left: ['done-recent', 'pending-old'],
  },
  zalo_contacts: { seed: [{ _id: 'silent', lastInboundAt: ago(31) }, { _id: 'talking', lastInboundAt: ago(2) }], left: ['talking'] },
  zalo_held_messages: { seed: [{ _id: 'stale', contactKey: 'silent', createdAt: ago(31) }, { _id: 'fresh', contactKey: 'talking', createdAt: ago(2) }], left: ['fresh'] },
  webchat_files: { seed: [{ _id: 'export-old', chatKey: 'k', createdAt: ago(8) }, { _id: 'export-new', chatKey: 'k', createdAt: ago(1) }], left: ['export-new'] },
  webchat_messages: { seed: [{ _id: 'old', chatKey: 'k', seq: 1, createdAt: ago(31) }, { _id: 'new', chatKey: 'k', seq: 2, createdAt: ago(1) }], left: ['new'] },
  audit_log: { seed: [{ _id: 'past-period', reportId: 'r', at: monthsAgo(61) }, { _id: 'in-period', reportId: 'r', at: monthsAgo(59) }], left: ['in-period'] },
  stats_snapshots: { seed: [{ _id: '*|2021', computedAt: monthsAgo(61) }, { _id: '*|2022', computedAt: monthsAgo(59) }], left: ['*|2022'] },
  model_activities: { seed: [{ _id: 'past-period', modelId: 'm', at: monthsAgo(61) }, { _id: 'in-period', modelId: 'm', at: monthsAgo(59) }], left: ['in-period'] },
  community_models: {
    seed: [
      { _id: 'dissolved-long-ago', code: 'MH-AAAAAA', status: 'dissolved', dissolved: { reason: 'r', at: monthsAgo(61) }, createdAt: monthsAgo(70) },
      { _id: 'dissolved-lately', code: 'MH-BBBBBB', status: 'dissolved', dissolved: { reason: 'r', at: monthsAgo(2) }, createdAt: monthsAgo(70) },
      { _id: 'active-for-years', code: 'MH-CCCCCC', status: 'active', dissolved: null, createdAt: monthsAgo(70) },
    ],
    left: ['active-for-years', 'dissolved-lately'],
  },
  model_members: { seed: [{ _id: 'joined-long-ago', modelId: 'm', joinedAt: monthsAgo(25) }, { _id: 'joined-lately', modelId: 'm', joinedAt: monthsAgo(1) }], left: ['joined-lately'] },
  suspect_sightings: {
    seed: [
      { _id: 'named-long-ago', sightings: [{ code: 'TB-A', unitIds: ['u'], at: monthsAgo(25) }, { code: 'TB-B', unitIds: ['u'], at: monthsAgo(30) }] },
      { _id: 'named-lately', sightings: [{ code: 'TB-C', unitIds: ['u'], at: monthsAgo(1) }, { code: 'TB-D', unitIds: ['u'], at: monthsAgo(30) }] },
    ],
    left: ['named-lately'],
  },
  deadline_reminders: {
    seed: [
      { _id: 'closed-tip:ack:1', reportId: 'closed-tip', sentAt: ago(31) },
      { _id: 'closed-tip:outcome:2', reportId: 'closed-tip', sentAt: ago(1) },
      { _id: 'open-tip:ack:1', reportId: 'open-tip', sentAt: ago(31) },
    ],
    left: ['closed-tip:outcome:2', 'open-tip:ack:1'],
  },
  campaign_runs: {
    seed: [
      { _id: 'c:five-years', campaignId: 'c', status: 'done', fireAt: monthsAgo(61), recipients: 1 },
      { _id: 'c:last-summer', campaignId: 'c', status: 'done', fireAt: ago(100), recipients: 3 },
      { _id: 'c:last-week', campaignId: 'c', status: 'done', fireAt: ago(7), recipients: 1 },
      { _id: 'c:stuck', campaignId: 'c', status: 'sending', fireAt: ago(100), recipients: 1 },
    ],
    left: ['c:last-summer', 'c:last-week', 'c:stuck'],
  },
  broadcast_deliveries: {
    seed: [
      { _id: 'c:last-summer|a', runId: 'c:last-summer' },
      { _id: 'c:last-summer|b', runId: 'c:last-summer' },
      { _id: 'c:last-summer|c', runId: 'c:last-summer' },
      { _id: 'c:last-week|a', runId: 'c:last-week' },
      { _id: 'c:stuck|a', runId: 'c:stuck' },
      // A run gone past the audit period that no sweep settled yet: its recipients go with it, none left behind.
      { _id: 'c:five-years|a', runId: 'c:five-years' },
    ],
    left: ['c:last-week|a', 'c:stuck|a'],
  },
  broadcast_outcomes: {
    seed: [
      { _id: 'c:last-summer|a', runId: 'c:last-summer', campaignId: 'c', status: 'sent', at: ago(100) },
      { _id: 'c:last-summer|b', runId: 'c:last-summer', campaignId: 'c', status: 'sent', at: ago(100) },
      { _id: 'c:last-summer|c', runId: 'c:last-summer', campaignId: 'c', status: 'blocked', at: ago(100) },
      { _id: 'c:last-week|a', runId: 'c:last-week', campaignId: 'c', status: 'sent', at: ago(7) },
    ],
    left: ['c:last-week|a'],
  },
  broadcast_retries: { seed: [{ _id: 'c:last-summer|b#1', runId: 'c:last-summer', dueAt: ago(100) }, { _id: 'c:stuck|a#1', runId: 'c:stuck', dueAt: ago(1) }], left: ['c:stuck|a#1'] },
  files: {
    seed: [
      { _id: 'written', blob: 'b1', length: 3, chunkSize: 1048576, keyId: 'k', status: 'ready', at: ago(400) },
      { _id: 'crashed-while-writing', blob: 'b2', length: 3, chunkSize: 1048576, keyId: 'k', status: 'writing', at: ago(1) },
      { _id: 'crashed-while-removing', blob: 'b3', length: 3, chunkSize: 1048576, keyId: 'k', status: 'removing', at: ago(1) },
      { _id: 'being-written', blob: 'b4', length: 3, chunkSize: 1048576, keyId: 'k', status: 'writing', at: ago(0) },
    ],
    left: ['being-written', 'written'],
  },
  file_chunks: {
    seed: [
      { _id: 'b1:0', fileId: 'written', n: 0, data: Buffer.from('abc') },
      { _id: 'b2:0', fileId: 'crashed-while-writing', n: 0, data: Buffer.from('abc') },
      { _id: 'b3:0', fileId: 'crashed-while-removing', n: 0, data: Buffer.from('abc') },
      { _id: 'b4:0', fileId: 'being-written', n: 0, data: Buffer.from('abc') },
    ],
    left: ['b1:0', 'b4:0'],
  },
  // Kept: the police record and what runs the service. Each is bounded by what it counts (tips, chats, units, campaigns) or removed by its own flow.
  reports: { seed: [{ _id: 'closed-tip', code: 'TB-OLD01', submissionKey: 's1', status: 'closed', createdAt: monthsAgo(70) }, { _id: 'open-tip', code: 'TB-OPEN1', submissionKey: 's2', status: 'accepted', createdAt: ago(40) }], left: ['closed-tip', 'open-tip'] },
  report_messages: { seed: [{ _id: 'm', reportId: 'closed-tip', at: monthsAgo(70) }], left: ['m'] },
  report_actions: { seed: [{ _id: 'closed-tip:close', at: monthsAgo(70) }], left: ['closed-tip:close'] },
  report_changes: { seed: [{ _id: 'open-tip:v3', at: ago(0) }], left: ['open-tip:v3'] },
  desk_deliveries: { seed: [{ _id: 'closed-tip|desk', reportId: 'closed-tip', createdAt: monthsAgo(70) }], left: ['closed-tip|desk'] },
  conversation_states: { seed: [{ _id: 'chat', createdAt: monthsAgo(70) }], left: ['chat'] },
  residents: { seed: [{ _id: 'chat', createdAt: monthsAgo(70) }], left: ['chat'] },
  desks: { seed: [{ _id: 'desk', registeredAt: monthsAgo(70) }], left: ['desk'] },
  unit_coverage: { seed: [{ _id: 'u#wards', updatedAt: monthsAgo(70) }], left: ['u#wards'] },
  campaigns: { seed: [{ _id: 'c', createdAt: monthsAgo(70) }], left: ['c'] },
  campaign_marks: { seed: [{ _id: 'c' }], left: ['c'] },
  subscriptions: { seed: [{ _id: 's', createdAt: monthsAgo(70) }], left: ['s'] },
  broadcast_groups: { seed: [{ _id: 'g', registeredAt: monthsAgo(70) }], left: ['g'] },
  keyring: { seed: [{ _id: 'pseudonym', createdAt: monthsAgo(70) }], left: ['pseudonym'] },
  zalo_tokens: { seed: [{ _id: 'oa', updatedAt: monthsAgo(70) }], left: ['oa'] },
  cache_versions: { seed: [{ _id: 'desks', changedAt: monthsAgo(70) }], left: ['desks'] },
  migrations: { seed: [{ _id: 'reports-sealed', appliedAt: monthsAgo(70) }], left: ['reports-sealed'] },
};

describe('what is kept and for how long', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('retention_table'));
  });

  afterAll(() => db.close());

  it('has a rule for every collection of the service, and the README table names each of them', () => {
    const collections = Object.values(db.models).map((model) => model.collection.collectionName).sort();
    expect(Object.keys(TABLE).sort()).toEqual(collections);
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const start = readme.indexOf('### What is kept and for how long');
    const section = readme.slice(start, readme.indexOf('\n#', start + 1));
    const named = section.split('\n').filter((line) => line.startsWith('| `')).flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
    expect([...new Set(named)].sort()).toEqual(collections);
  });

  it('declares on MongoDB a TTL index for each collection the README table says has one', () => {
    const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const withTtl = readme
      .split('\n')
      .filter((line) => line.startsWith('| `') && line.includes('TTL on MongoDB'))
      .map((line) => /`([a-z_]+)`/.exec(line)?.[1] ?? '')
      .sort();
    const declared = Object.values(db.models)
      .filter((model) => model.schema.indexes().some(([, options]) => typeof options?.expireAfterSeconds === 'number'))
      .map((model) => model.collection.collectionName)
      .sort();
    expect(declared).toEqual(withTtl);
  });

  it('leaves in each collection only what the table keeps, aged documents of every kind seeded', async () => {
    for (const [collection, { seed }] of Object.entries(TABLE)) await db.connection.collection(collection).insertMany(seed as never[]);

    await sweepRetention(db.models, { privacyMonths: 24, auditMonths: 60 }, NOW);

    for (const [collection, { seed, left }] of Object.entries(TABLE)) {
      // Only the seeded documents: opening the database wrote some of its own (migration marks).
      const seeded = seed.map((doc) => doc._id);
      const ids = (await db.connection.collection(collection).find({ _id: { $in: seeded } } as never, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id)).sort();
      expect({ collection, ids }).toEqual({ collection, ids: [...left].sort() });
    }
  });

  it('keeps the figures of a run whose recipients were removed, and settles each run once', async () => {
    const summer = await db.models.campaignRuns.findOne({ _id: 'c:last-summer' }).lean();
    expect(summer?.settled).toEqual({ sent: 2, failed: 0, blocked: 1, skipped: 0, in_doubt: 0 });
    expect(summer?.ledgerRemovedAt).toBeInstanceOf(Date);
    expect((await db.models.campaignRuns.findOne({ _id: 'c:last-week' }).lean())?.settled).toBeUndefined();

    // A second night removes nothing more and leaves the figures as they were.
    expect(await sweepRetention(db.models, { privacyMonths: 24, auditMonths: 60 }, NOW)).toEqual({});
    expect((await db.models.campaignRuns.findOne({ _id: 'c:last-summer' }).lean())?.settled).toEqual(summer?.settled);
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
