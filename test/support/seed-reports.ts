import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { HistoryStatus, Outcome, ReportDoc } from '../../src/core/report';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let counter = 0;

export interface SeededReport {
  kind?: 'tip' | 'dispute';
  category?: string;
  group?: string;
  channel?: 'telegram' | 'zalo' | 'webchat';
  unitIds?: string[];
  createdAt: Date | string;
  /** Hours after creation at which the tip was accepted / assessed / closed. */
  acceptedAfterHours?: number;
  assessment?: { as: 'valuable' | 'not_valuable'; afterHours: number };
  closed?: { outcome: Outcome; afterHours: number };
  /** A dispute's sessions in order, each hours after creation. */
  sessions?: { status: 'scheduled' | 'settled' | 'not_settled'; afterHours: number }[];
  referral?: string;
  forwards?: { from: string; to: string; afterHours: number }[];
  extensions?: { days: number; afterHours: number }[];
  ackHours?: number;
  /** The self-management model whose link brought the reporter. */
  model?: { id: string; name: string };
  /** Subjects dealt with, for a tip closed as handled or prosecuted. */
  subjects?: number;
  outcomeDays?: number;
}

/**
 * Files a report straight into the database with a known history, so period
 * figures can be checked against answers worked out by hand. The shape is the
 * one ReportService and DisputeIntake write (the same schema validates it).
 */
export async function seedReport(reports: Model<ReportDoc>, seed: SeededReport): Promise<ReportDoc> {
  counter += 1;
  const createdAt = new Date(seed.createdAt);
  const after = (hours: number) => new Date(createdAt.getTime() + hours * HOUR);
  const history: { status: HistoryStatus; at: Date }[] = [{ status: 'received', at: createdAt }];
  if (seed.acceptedAfterHours !== undefined) history.push({ status: seed.kind === 'dispute' ? 'assigned' : 'accepted', at: after(seed.acceptedAfterHours) });
  for (const session of seed.sessions ?? []) history.push({ status: session.status, at: after(session.afterHours) });
  for (const forward of seed.forwards ?? []) history.push({ status: 'forwarded', at: after(forward.afterHours) });
  if (seed.closed) history.push({ status: 'closed', at: after(seed.closed.afterHours) });
  history.sort((a, b) => a.at.getTime() - b.at.getTime());
  const last = history[history.length - 1].status;
  const kind = seed.kind ?? 'tip';
  const doc: ReportDoc = {
    _id: randomUUID(),
    code: `${kind === 'tip' ? 'TB' : 'HG'}-S${String(counter).padStart(5, '0')}`,
    kind,
    category: seed.category ?? (kind === 'tip' ? 'theft_robbery' : 'noise'),
    group: seed.group ?? (kind === 'tip' ? 'criminal' : 'other'),
    description: 'Seeded for period statistics',
    location: { kind: 'ward', wardId: 'q3-p4', address: null, lat: null, lon: null },
    occurred: { kind: 'today', text: null },
    evidence: [],
    suspects: { text: null, identifiers: [] },
    anonymous: true,
    reporter: null,
    channel: seed.channel ?? 'telegram',
    lang: 'vi',
    unitIds: seed.unitIds ?? ['cap-p4'],
    status: last === 'forwarded' ? 'received' : (last as ReportDoc['status']),
    statusHistory: history,
    forwards: (seed.forwards ?? []).map((f) => ({ fromUnitId: f.from, toUnitId: f.to, reason: 'seeded', by: 'seed', at: after(f.afterHours) })),
    relatedCodes: [],
    assessment: seed.assessment?.as ?? null,
    assessedAt: seed.assessment ? after(seed.assessment.afterHours) : null,
    assignee: null,
    outcome: seed.closed?.outcome ?? null,
    closedAt: seed.closed ? after(seed.closed.afterHours) : null,
    duplicateOf: null,
    deadlines: {
      ackDueAt: after(seed.ackHours ?? 24),
      outcomeDueAt: new Date(createdAt.getTime() + (seed.outcomeDays ?? 20) * DAY + (seed.extensions ?? []).reduce((d, e) => d + e.days, 0) * DAY),
      extensions: (seed.extensions ?? []).map((e) => ({ days: e.days, reason: 'seeded', by: 'seed', at: after(e.afterHours) })),
    },
    submissionKey: randomUUID(),
    version: 0,
    dispute:
      kind === 'dispute'
        ? {
            since: 'seeded',
            tried: null,
            desiredOutcome: 'seeded',
            otherPartyAgrees: 'unknown',
            partiesEnc: '',
            assignedAt: null,
            mediators: [],
            conflicts: [],
            session: null,
            result: null,
            agreement: null,
            referral: seed.referral ?? null,
          }
        : null,
    model: seed.model ?? null,
    subjects: seed.subjects ?? null,
    createdAt,
  };
  await reports.create(doc);
  return doc;
}
