import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { UnitDirectory } from '../../config/units';
import { moduleLogger } from '../../shared/logger';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { DeskDeliveryRepository } from '../../storage/desk-delivery-repository';
import type { DeskDoc } from '../../storage/models/desk.model';
import type { ShowCard } from '../desks/card-options';
import { DeskService } from '../desks/desk-service';
import { parseReceiptCode } from '../reports/receipt-code';
import { ASKS_SUBJECTS, type TriageAction } from './triage-actions';
import type { DeskRefusal, ForwardResult, TriageResult } from './triage-result';
import type { ReporterNotice } from '../followup/reporter-notice';
import { auditOf, type ReportChanges } from './report-changes';
import type { UpdateQuery } from 'mongoose';
import type { ChatAddress } from '../../core/chat';
import type { Outcome, ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

const log = moduleLogger('triage');

/** Times one case may be forwarded. */
export const MAX_FORWARDS = 10;

export interface Actor {
  address: ChatAddress;
  userId: string;
  name: string | null;
}

export interface TriagePorts {
  /** Shows a case's card again (optionally with a menu open, as seen by one unit's desk). */
  showCard: ShowCard;
}

/**
 * Officers' actions on a tip, from the buttons of its desk card. Each action
 * is checked against the officer's unit, made once (unique-insert claims, so
 * two officers pressing together cannot both win), and written together
 * with its consequences (ReportChanges): the append-only audit entry, every
 * desk's card edited in place, and the reporter's notice in their language.
 */
export class TriageService {
  constructor(
    private readonly models: {
      reports: ReportRepository;
      deliveries: Pick<DeskDeliveryRepository, 'cardIn' | 'sentFor'>;
      audit: Model<AuditEntryDoc>;
    },
    private readonly desks: DeskService,
    private readonly units: UnitDirectory,
    private readonly ports: TriagePorts,
    /** Writes each change with its audit entry, the reporter's notice and the new units' cards, all or nothing. */
    private readonly changes: Pick<ReportChanges, 'write'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The desk and report for an officer's action, or why they may not act (an out-of-unit attempt is audited). */
  async authorize(actor: Actor, reportId: string): Promise<{ desk: DeskDoc; report: ReportDoc } | { refusal: DeskRefusal }> {
    const desk = await this.desks.find(actor.address);
    if (!desk) return { refusal: 'not_a_desk' };
    const report = await this.models.reports.byId(reportId);
    if (!report) return { refusal: 'unknown_report' };
    if (!report.unitIds.includes(desk.unitId)) {
      await this.audit(report, desk.unitId, actor, 'refused_out_of_unit', {}, {});
      return { refusal: 'not_your_unit' };
    }
    return { desk, report };
  }

  /**
   * @param duplicateOf for "close:duplicate": the code of the earlier tip of the same unit this one repeats.
   * @param subjects for "close:handled" and "close:prosecuted": how many subjects (đối tượng) were dealt with.
   */
  async handle(actor: Actor, reportId: string, action: TriageAction, duplicateOf?: string, subjects?: number): Promise<TriageResult> {
    const allowed = await this.authorize(actor, reportId);
    if ('refusal' in allowed) return refused(allowed.refusal);
    const { desk, report } = allowed;
    // A dispute is worked with the mediation buttons; only going back from a menu and forwarding are shared.
    if (report.kind === 'dispute' && action !== 'close_back' && action !== 'forward_menu') return refused('stale_button');

    if (action === 'close_menu' || action === 'close_back' || action === 'forward_menu') {
      if (action === 'close_menu' && report.status !== 'accepted') return refused('accept_first');
      const menu = action === 'close_menu' ? 'close' : action === 'forward_menu' ? 'forward' : null;
      const delivery = await this.models.deliveries.cardIn(reportId, desk._id);
      await this.ports.showCard(actor.address, delivery?.messageRef ?? null, report, { menu, viewerUnitId: desk.unitId, lang: DeskService.languageOf(desk) });
      return DONE;
    }

    // The claim records who made the action, for "already done by …" (empty when the officer's name is unknown).
    const name = actor.name ?? '';
    // One-time actions are claimed per routing round: a forwarded tip is accepted afresh by its new unit.
    const slot = (what: string): string => `${reportId}:${what}:${report.forwards.length}`;
    const before = { status: report.status, assessment: report.assessment, outcome: report.outcome };
    const now = this.clock();

    let update: UpdateQuery<ReportDoc>;
    let after: Partial<ReportDoc>;
    if (action === 'accept') {
      if (report.status !== 'received' || !(await this.claim(slot('accept'), report, name, now))) return this.alreadyDone(slot('accept'));
      if (!(await this.lockVersion(report, slot('accept'), name, now))) return refused('changed_meanwhile');
      after = { status: 'accepted', assignee: { unitId: desk.unitId, name } };
      update = { $set: after, $push: { statusHistory: { status: 'accepted', at: now } }, $inc: { version: 1 } };
    } else if (action === 'valuable' || action === 'not_valuable') {
      if (report.status === 'received') return refused('accept_first');
      if (!(await this.claim(slot('assess'), report, name, now))) return this.alreadyDone(slot('assess'));
      if (!(await this.lockVersion(report, slot('assess'), name, now))) return refused('changed_meanwhile');
      after = { assessment: action, assessedAt: now };
      update = { $set: after, $inc: { version: 1 } };
    } else {
      const outcome = action.slice('close:'.length) as Outcome;
      if (report.status !== 'accepted') return refused('accept_first');
      let original: string | null = null;
      if (outcome === 'duplicate') {
        const code = duplicateOf ? parseReceiptCode(duplicateOf) : null;
        const other = code && code !== report.code ? await this.models.reports.codeHeldBy(code, desk.unitId) : null;
        if (!other) return { kind: 'duplicate_unknown', code: duplicateOf ?? '' };
        original = other;
      }
      if (!(await this.claim(slot('close'), report, name, now))) return this.alreadyDone(slot('close'));
      if (!(await this.lockVersion(report, slot('close'), name, now))) return refused('changed_meanwhile');
      after = { status: 'closed', outcome, duplicateOf: original, closedAt: now, subjects: ASKS_SUBJECTS.includes(action) ? (subjects ?? null) : null };
      update = { $set: after, $push: { statusHistory: { status: 'closed', at: now } }, $inc: { version: 1 } };
    }

    const state = { ...report, ...after };
    const unit = this.unitName(desk.unitId);
    const notice: ReporterNotice | null =
      action === 'accept' ? { kind: 'tip_accepted', code: report.code, unit } : action.startsWith('close:') ? { kind: 'tip_closed', code: report.code, unit, outcome: state.outcome ?? 'handled' } : null;
    await this.changes.write(report, update, {
      audit: auditOf(desk.unitId, actor, action, before, { status: state.status, assessment: state.assessment, outcome: state.outcome, duplicateOf: state.duplicateOf, subjects: state.subjects ?? null }),
      notice: notice && report.reporter ? { residentKey: report.reporter.residentKey, notice } : null,
      forwardedTo: [],
    });
    return DONE;
  }

  /**
   * Moves a tip from the officer's unit to another, with a reason: the new
   * unit's desks get the card and accept it afresh, the old desks keep a card
   * saying where it went, and the reporter is told.
   */
  async forward(actor: Actor, reportId: string, toUnitId: string, reason: string): Promise<ForwardResult> {
    const allowed = await this.authorize(actor, reportId);
    if ('refusal' in allowed) return refused(allowed.refusal);
    const { desk, report } = allowed;
    const target = this.units.byId(toUnitId);
    if (!target || report.unitIds.includes(toUnitId) || !this.units.forwardTargets(report.kind, desk.unitId).includes(target)) return 'unknown_unit';
    if (report.status === 'closed') return 'closed';
    // A case passed back and forth has an end: its history (and document) stays bounded, and the units settle it between them.
    if (report.forwards.length >= MAX_FORWARDS) return 'too_many_forwards';
    const now = this.clock();
    // Claimed per round, so two officers forwarding at once move the tip once.
    const forwardSlot = `${reportId}:forward:${report.forwards.length}`;
    if (!(await this.claim(forwardSlot, report, actor.name ?? '', now))) return this.alreadyDone(forwardSlot);
    if (!(await this.lockVersion(report, forwardSlot, actor.name ?? '', now))) return refused('changed_meanwhile');
    const by = actor.name ?? actor.userId;
    const unitIds = [...report.unitIds.filter((id) => id !== desk.unitId), toUnitId];
    await this.changes.write(
      report,
      {
        // Waiting again, for another unit: the reminder job looks at it at its next run.
        // The assessment so far stays with the tip (the receiving unit may assess it again).
        $set: { unitIds, status: 'received', assignee: null, 'deadlines.remindAt': now },
        $push: { forwards: { fromUnitId: desk.unitId, toUnitId, reason, by, at: now }, statusHistory: { status: 'forwarded', at: now } },
        $inc: { version: 1 },
      },
      {
        audit: auditOf(desk.unitId, actor, 'forward', { unitIds: report.unitIds, status: report.status }, { unitIds, toUnitId, reason }),
        notice: report.reporter ? { residentKey: report.reporter.residentKey, notice: { kind: 'tip_forwarded', code: report.code, unit: this.unitName(toUnitId) } } : null,
        forwardedTo: [toUnitId],
      },
    );
    return 'forwarded';
  }

  /**
   * Claims the report's current version for one change (see
   * ReportRepository.claimVersion), so two different actions pressed at once (accept and
   * forward, say) never both write. The loser's one-time claim is released so
   * they can press again on the refreshed card.
   */
  private async lockVersion(report: ReportDoc, slotClaim: string, actorName: string, at: Date): Promise<boolean> {
    if (await this.models.reports.claimVersion(report, actorName, at)) return true;
    await this.models.reports.releaseAction(slotClaim);
    return false;
  }

  /** Claims a one-time action; false when another officer already made it. */
  private claim(id: string, report: ReportDoc, actorName: string, at: Date): Promise<boolean> {
    return this.models.reports.claimAction(id, report, actorName, at);
  }

  private async alreadyDone(claimId: string): Promise<Extract<TriageResult, { kind: 'already_done' }>> {
    return { kind: 'already_done', by: await this.models.reports.actionTakenBy(claimId) };
  }

  /** An audit entry for an action that changed nothing (a refusal), written at once. */
  private async audit(report: ReportDoc, unitId: string, actor: Actor, action: string, before: Record<string, unknown>, after: Record<string, unknown>): Promise<void> {
    await this.models.audit.create({ _id: randomUUID(), reportId: report._id, ...auditOf(unitId, actor, action, before, after), at: this.clock() });
  }

  private unitName(unitId: string): string {
    return this.units.byId(unitId)?.name ?? '';
  }

  /** Every desk that has the card sees the new state on the same message (also used for mediation changes). */
  async refreshCards(report: ReportDoc): Promise<void> {
    const deliveries = await this.models.deliveries.sentFor(report._id);
    for (const delivery of deliveries) {
      const desk = await this.desks.byId(delivery.deskId);
      if (!desk) continue;
      await this.ports
        .showCard(DeskService.addressOf(desk), delivery.messageRef, report, { viewerUnitId: desk.unitId, lang: DeskService.languageOf(desk), onBehalfOf: delivery.onBehalfOf ?? null })
        .catch((error: unknown) => log.warn({ err: error, delivery: delivery._id }, 'card refresh failed'));
    }
  }
}

const DONE: TriageResult = { kind: 'done' };

function refused(reason: Extract<TriageResult, { kind: 'refused' }>['reason']): Extract<TriageResult, { kind: 'refused' }> {
  return { kind: 'refused', reason };
}
