import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import type { ReportDoc } from '../core/report';
import { LOST, untilWon } from '../shared/conflict-retry';
import { claimWithLease, insertLeanOnce } from './claims';
import type { ReportActionDoc } from './models/report-action.model';
import { ReportSealing } from './report-sealing';
import type { PiiCipher } from '../shared/pii-cipher';

/** How long a claim on a report change may stay unfinished before another writer takes it over. */
export const CHANGE_LEASE_MS = 60_000;

/** What a status look-up reads of a report: no content, no personal data. */
export type ReportStatusFields = Pick<ReportDoc, '_id' | 'code' | 'kind' | 'category' | 'status' | 'outcome' | 'createdAt' | 'statusHistory'> & {
  dispute: Pick<NonNullable<ReportDoc['dispute']>, 'result'> | null;
  /** Only to tell whether the one asking is the reporter; never shown. */
  reporter: Pick<NonNullable<ReportDoc['reporter']>, 'residentKey'> | null;
};

/** A period of reports by when they were received: `from` included, `to` excluded. */
export interface ReceivedBetween {
  from: Date;
  to: Date;
}

/**
 * The report aggregate (tips and disputes) and its claims: every query the
 * domain makes on `reports`, each named, with the index that serves it on
 * MongoDB (declared in models/report.model.ts). FerretDB v1 pushes only
 * `{_id: …}` filters down to SQLite; every other query here reads the whole
 * collection there, and the hot paths read by `_id` or by a unique key.
 *
 * Changes to a filed report are serialized by its version: each claims
 * "<report>:v<version>" in `report_actions` first, then updates with
 * `$inc: { version: 1 }`, so two changes never interleave (on FerretDB an
 * update is a read-modify-write, and interleaved writes could lose one).
 */
export class ReportRepository {
  private readonly sealing: ReportSealing;

  constructor(
    private readonly reports: Model<ReportDoc>,
    private readonly actions: Model<ReportActionDoc>,
    cipher: Pick<PiiCipher, 'encrypt' | 'decrypt'>,
  ) {
    this.sealing = new ReportSealing(cipher);
  }

  /** By `_id`. */
  async byId(id: string): Promise<ReportDoc | null> {
    return this.opened(await this.reports.findOne({ _id: id }).lean());
  }

  /**
   * By receipt code (unique index `code`). On FerretDB v1 a scan of reports:
   * a named exception on the paths a resident or officer types a code
   * (/tracuu, /bosung, /banggoc), not on the tip flow.
   */
  async byCode(code: string): Promise<ReportDoc | null> {
    return this.opened(await this.reports.findOne({ code }).lean());
  }

  /** The id of the report with this receipt code (unique index `code`). */
  async idByCode(code: string): Promise<string | null> {
    return (await this.reports.findOne({ code }, { _id: 1 }).lean())?._id ?? null;
  }

  /** The code, when a report with it is held by this unit (unique index `code`). */
  async codeHeldBy(code: string, unitId: string): Promise<string | null> {
    return (await this.reports.findOne({ code, unitIds: unitId }, { code: 1 }).lean())?.code ?? null;
  }

  /** What a status look-up reads (unique index `code`). */
  statusOf(code: string): Promise<ReportStatusFields | null> {
    return this.reports.findOne({ code }, { code: 1, kind: 1, category: 1, status: 1, outcome: 1, 'dispute.result': 1, 'reporter.residentKey': 1, createdAt: 1, statusHistory: 1 }).lean<ReportStatusFields>();
  }

  /** The receipt code of a report, by `_id`. */
  async codeOf(id: string): Promise<string | null> {
    return (await this.reports.findOne({ _id: id }, { code: 1 }).lean())?.code ?? null;
  }

  /** Stores a new report; false when its `_id`, code or submission key is taken (unique indexes). Lean: one insert, the document is built whole. */
  insert(doc: ReportDoc): Promise<boolean> {
    return insertLeanOnce(this.reports, this.sealing.seal(doc));
  }

  /** The report holding an evidence file, with its units (index `evidence.id`). */
  holdingEvidence(evidenceId: string): Promise<Pick<ReportDoc, '_id' | 'evidence' | 'unitIds'> | null> {
    return this.reports.findOne({ 'evidence.id': evidenceId }, { evidence: 1, unitIds: 1 }).lean();
  }

  /** A unit's cases not accepted yet, oldest first (index `unitIds, status, createdAt`): what a desk that just registered must see. */
  async *awaitingAcceptanceBy(unitId: string): AsyncGenerator<string> {
    // A cursor, not a page: a unit with thousands of waiting cases gets every one of them.
    for await (const doc of this.reports.find({ unitIds: unitId, status: 'received' }, { _id: 1 }).sort({ createdAt: 1 }).lean().cursor()) yield doc._id;
  }

  /** Cases whose next reminder is due, soonest first (index `deadlines.remindAt`; on FerretDB v1 a scan, once per reminder run). */
  async remindersDue(now: Date, limit: number): Promise<ReportDoc[]> {
    return this.allOpened(await this.reports.find({ 'deadlines.remindAt': { $lte: now } }).sort({ 'deadlines.remindAt': 1 }).limit(limit).lean());
  }

  /**
   * Moves a case's next reminder on. By `_id` alone: FerretDB v1 answers a
   * filter of `_id` plus any other field with a scan of the collection
   * (about 60 ms per case with a few hundred cases). MongoDB would take
   * `{_id, 'deadlines.remindAt': seen}` at the same cost and so keep a
   * deadline change made during the run from being overwritten; without it,
   * a change made in that moment takes effect at the case's next look (a
   * reminder may come late by one stage, never twice: each is claimed once).
   */
  async remindNext(id: string, next: Date | null): Promise<void> {
    await this.reports.updateOne({ _id: id }, { $set: { 'deadlines.remindAt': next } });
  }

  /**
   * A unit's open cases near or past a deadline (/quahan): those near their
   * acceptance deadline and those near their outcome deadline, each the
   * `limit` soonest, by its own index (`unitIds, status, deadlines.ackDueAt`
   * and `… outcomeDueAt`), merged without repeats.
   */
  async nearDeadlinesOf(unitId: string, horizons: { ack: Date; outcome: Date }, limit: number): Promise<ReportDoc[]> {
    const [ack, outcome] = await Promise.all([
      this.reports.find({ unitIds: unitId, status: 'received', 'deadlines.ackDueAt': { $lte: horizons.ack } }).sort({ 'deadlines.ackDueAt': 1 }).limit(limit).lean(),
      this.reports
        .find({ unitIds: unitId, status: { $in: ['received', 'accepted', 'assigned'] }, 'deadlines.outcomeDueAt': { $lte: horizons.outcome } })
        .sort({ 'deadlines.outcomeDueAt': 1 })
        .limit(limit)
        .lean(),
    ]);
    const seen = new Set<string>();
    return this.allOpened([...ack, ...outcome].filter((report) => !seen.has(String(report._id)) && seen.add(String(report._id))));
  }

  /** How many of a unit's cases wait for acceptance (index `unitIds, status, createdAt`; /donvi). */
  countAwaitingAcceptanceBy(unitId: string): Promise<number> {
    return this.reports.countDocuments({ unitIds: unitId, status: 'received' });
  }

  /** Tips that carry a self-management model, and of those judged valuable (index `model.id`; /mohinh). */
  async tipsOfModel(modelId: string): Promise<{ tips: number; valuable: number }> {
    const [tips, valuable] = await Promise.all([
      this.reports.countDocuments({ 'model.id': modelId, kind: 'tip' }),
      this.reports.countDocuments({ 'model.id': modelId, kind: 'tip', assessment: 'valuable' }),
    ]);
    return { tips, valuable };
  }

  /** A unit's tips received in a period and judged valuable: who filed them (by pseudonym) and through which model (index `unitIds, createdAt`; /khenthuong). */
  valuableTipsOf(unitIds: string[], from: Date, to: Date): Promise<Pick<ReportDoc, '_id' | 'code' | 'reporter' | 'model' | 'lang'>[]> {
    return this.reports
      .find({ kind: 'tip', unitIds: { $in: unitIds }, assessment: 'valuable', createdAt: { $gte: from, $lt: to } }, { code: 1, reporter: 1, model: 1, lang: 1, createdAt: 1 })
      .sort({ createdAt: 1 })
      .lean();
  }

  /** A team's disputes received in a period, oldest first (index `kind, unitIds, createdAt`). */
  async disputesReceived(unitId: string, period: ReceivedBetween, limit: number): Promise<ReportDoc[]> {
    return this.allOpened(await this.reports.find({ kind: 'dispute', unitIds: unitId, createdAt: { $gte: period.from, $lt: period.to } }).sort({ createdAt: 1 }).limit(limit).lean());
  }

  /**
   * Reports received in a period, held by the unit or forwarded away by it
   * (or all), with only `projection`'s fields, through one cursor (indexes
   * `createdAt`; for a unit `unitIds, createdAt` and `forwards.fromUnitId, createdAt`).
   */
  streamReceived<T>(period: ReceivedBetween, unitId: string | null, projection: Record<string, 1>): AsyncIterable<T> {
    const held = unitId === null ? {} : { $or: [{ unitIds: unitId }, { 'forwards.fromUnitId': unitId }] };
    return this.reports
      .find({ createdAt: { $gte: period.from, $lt: period.to }, ...held }, projection)
      .lean<T[]>()
      .cursor({ batchSize: 1000 }) as AsyncIterable<T>;
  }

  /** A resident's disputes, with their details (index `reporter.residentKey`). */
  async disputesOf(residentKey: string): Promise<Pick<ReportDoc, '_id' | 'dispute'>[]> {
    return this.allOpened(await this.reports.find({ 'reporter.residentKey': residentKey, kind: 'dispute' }, { dispute: 1, sealed: 1 }).lean());
  }

  /** The cases a resident filed, newest first (index `reporter.residentKey`; /dulieucuatoi). */
  async filedBy(residentKey: string, limit: number): Promise<ReportDoc[]> {
    return this.allOpened(await this.reports.find({ 'reporter.residentKey': residentKey }).sort({ createdAt: -1 }).limit(limit).lean());
  }

  /** A resident's latest case not closed yet, if any (index `reporter.residentKey`). */
  async latestOpenOf(residentKey: string): Promise<Pick<ReportDoc, '_id' | 'code' | 'kind'> | null> {
    const [open] = await this.reports.find({ 'reporter.residentKey': residentKey, status: { $ne: 'closed' } }, { code: 1, kind: 1 }).sort({ createdAt: -1 }).limit(1).lean();
    return open ?? null;
  }

  /** Unlinks a resident from every report they made (index `reporter.residentKey`); how many. */
  async detachResident(residentKey: string): Promise<number> {
    return (await this.reports.updateMany({ 'reporter.residentKey': residentKey }, { $set: { reporter: null } })).modifiedCount;
  }

  /** Unlinks the reporters of reports closed before `cutoff` (index `closedAt`); how many. */
  async detachClosedBefore(cutoff: Date): Promise<number> {
    return (await this.reports.updateMany({ closedAt: { $ne: null, $lt: cutoff }, reporter: { $ne: null } }, { $set: { reporter: null } })).modifiedCount;
  }

  /** One write to one report, by `_id`. A change to a filed report's state claims its version first (see `withVersion`). */
  async update(id: string, update: UpdateQuery<ReportDoc>): Promise<void> {
    const sealed = update.$set ? { ...update, $set: this.sealing.sealSet(update.$set as Record<string, unknown>) } : update;
    await this.reports.updateOne({ _id: id } as QueryFilter<ReportDoc>, sealed);
  }

  /**
   * Claims the right to make the next change to a report: inserting
   * "<report>:v<version>" succeeds for one writer only. The loser reloads the
   * report and tries again, or tells the person it changed meanwhile.
   */
  claimVersion(report: Pick<ReportDoc, '_id' | 'version'>, actorName: string | null, at: Date): Promise<boolean> {
    return this.claimChange(`${report._id}:v${report.version ?? 0}`, report, actorName, at);
  }

  /** Runs `change` on the latest version of a report, retrying (shared/conflict-retry) while another writer got there first. */
  async withVersion<T>(reportId: string, actorName: string | null, at: Date, change: (report: ReportDoc) => Promise<T>): Promise<T | 'not_found' | 'busy'> {
    const result = await untilWon(async (): Promise<T | 'not_found' | typeof LOST> => {
      const report = await this.byId(reportId);
      if (!report) return 'not_found';
      return (await this.claimVersion(report, actorName, at)) ? change(report) : LOST;
    });
    return result === LOST ? 'busy' : result;
  }

  /** Claims a one-time action on a report ("<report>:accept:<round>"); false when someone made it first. */
  claimAction(id: string, report: Pick<ReportDoc, 'version'>, actorName: string | null, at: Date): Promise<boolean> {
    return this.claimChange(id, report, actorName, at);
  }

  /**
   * A claim on a change to a report, with a lease: every completed change
   * moves the report's version on, so a claim made at the version the report
   * still has, more than CHANGE_LEASE_MS ago, belongs to a holder that died
   * between the claim and its write (kill -9, a deploy): it is taken over, and
   * the change can be made. Without this the report would be wedged for ever.
   * The takeover filters by more than `_id`: on FerretDB v1 a scan of
   * report_actions, only when a claim is already there.
   */
  private claimChange(id: string, report: Pick<ReportDoc, 'version'>, actorName: string | null, at: Date): Promise<boolean> {
    const version = report.version ?? 0;
    return claimWithLease(this.actions, { _id: id, actorName, at, version }, {
      expired: { version, at: { $lt: new Date(at.getTime() - CHANGE_LEASE_MS) } },
      takeOver: { $set: { actorName, at } },
    });
  }

  private opened(doc: ReportDoc | null): ReportDoc | null {
    return doc && this.sealing.open(doc);
  }

  private allOpened<T extends Partial<ReportDoc>>(docs: T[]): T[] {
    return docs.map((doc) => this.sealing.open(doc));
  }

  /** Who made a one-time action (null when their name was not known, or nobody did). */
  async actionTakenBy(id: string): Promise<string | null> {
    return (await this.actions.findOne({ _id: id }).lean())?.actorName || null;
  }

  /** Gives a one-time action back (its maker lost the version claim and may press again). */
  async releaseAction(id: string): Promise<void> {
    await this.actions.deleteOne({ _id: id });
  }
}
