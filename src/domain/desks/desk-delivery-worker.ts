import { retryDelayMs } from '../../storage/attempt-claim';
import { moduleLogger } from '../../shared/logger';
import type { DeskDeliveryDoc } from '../../storage/models/desk-delivery.model';
import type { DeskDeliveryRepository } from '../../storage/desk-delivery-repository';
import { DeskService } from './desk-service';
import type { CardOptions } from './card-options';
import type { ChatAddress, OutboundMessage } from '../../core/chat';
import type { ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';

const log = moduleLogger('desk-delivery');

export type SendToChat = (address: ChatAddress, message: OutboundMessage) => Promise<string | null>;

export interface DeskDeliveryOptions {
  /** How often deliveries due for a retry, or left by a stopped instance, are looked for. */
  intervalMs: number;
  /** First retry delay; doubles per failed attempt, capped at ten minutes. */
  retryBaseMs: number;
  /** How long an attempt may stay unfinished before another worker may retry it. */
  leaseMs?: number;
  batchSize?: number;
}

/** How long another instance may go on routing with its memory of the desks from before a registration (VersionedCache). */
const DESK_MEMORY_LAG_MS = 1000;

/** A bound on one round's work (the next round goes on from there). */
const MAX_BATCHES_PER_ROUND = 100;

/** How long a planned card waits for its case to be stored (the resident's "Gửi" may be retried) before it is given up. */
const CASE_AWAITED_MS = 24 * 3_600_000;

/**
 * Gets every case to every desk, durably: each (case, desk) pair is a record
 * that is retried with exponential backoff until the desk chat accepts the
 * card, then marked sent with its time.
 *
 * The records are written before the case itself (`plan`, one insert), with
 * their first attempt claimed by this instance, which sends them as soon as
 * the case is stored (`poke`): a card costs that insert and one update, and
 * nothing reads the case history to find work. Retries, and cards left by a
 * stopped instance, are found by a look for due records every `intervalMs`.
 * Later attempts are claimed through `claimAttempt` (a unique insert), so
 * two instances never send the same attempt.
 */
export class DeskDeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private sweepAgain = false;
  /** Records this instance planned and holds the first attempt of. */
  private readonly planned: DeskDeliveryDoc[] = [];

  constructor(
    private readonly models: { reports: ReportRepository; deliveries: DeskDeliveryRepository },
    private readonly desks: DeskService,
    /** Draws a case's card as one unit's desk sees it. */
    private readonly render: (report: ReportDoc, options: CardOptions) => Promise<OutboundMessage>,
    private readonly send: SendToChat,
    private readonly options: DeskDeliveryOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poke(true), this.options.intervalMs);
    this.poke(true);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * Before a case is stored (or when it is forwarded): a card record for
   * each desk of these units, in one insert, the first attempt held by this
   * instance. A record already there (a retried "Gửi") is left as it is.
   */
  async plan(reportId: string, unitIds: string[], options: { urgent: boolean } = { urgent: false }): Promise<void> {
    const { targets, deskless } = await this.desks.cardTargets(unitIds);
    if (deskless.length > 0) {
      const standIns = targets.filter((target) => target.onBehalfOf).length;
      if (standIns > 0) log.warn({ report: reportId, units: deskless, standIns }, 'case routed to units without a desk: the fallback unit’s desk gets its card for them');
      else log.error({ report: reportId, units: deskless }, 'case routed to units without a desk, and the fallback unit has no desk either: nobody sees it until one registers');
    }
    if (targets.length === 0) return;
    const created = await this.models.deliveries.plan(reportId, targets, this.clock(), this.leaseMs, options.urgent);
    this.planned.push(...created);
  }

  /**
   * A case its units left unaccepted past the deadline: its card, for
   * reading, to the desks of the unit they escalate to (the fallback unit's
   * if that one has none). Once per desk: the record's `_id` is the case and
   * the desk.
   */
  async escalate(reportId: string, fromUnitIds: string[], toUnitId: string): Promise<void> {
    let desks = await this.desks.forUnits([toUnitId]);
    if (desks.length === 0) desks = await this.desks.forUnits([this.desks.fallbackUnitId]);
    if (desks.length === 0) {
      log.error({ report: reportId, to: toUnitId }, 'case escalated to a unit without a desk, and the fallback unit has no desk either');
      return;
    }
    const targets = desks.map((desk) => ({ deskId: desk._id, onBehalfOf: { unitIds: fromUnitIds, reason: 'escalated' as const } }));
    this.planned.push(...(await this.models.deliveries.plan(reportId, targets, this.clock(), this.leaseMs, false)));
    this.poke();
  }

  /**
   * A unit's desk registered: the cases waiting for that unit's acceptance
   * get their card there. The fallback unit's first desk also gets the
   * waiting cases of every unit still without a desk. Reads the units' open
   * cases (a scan on FerretDB v1), once per registration, never per message.
   */
  async catchUp(unitId: string): Promise<void> {
    await this.catchUpNow(unitId);
    // Another instance may file a case for this unit before its memory of the desks catches up (about a second): look once more after that.
    setTimeout(() => void this.catchUpNow(unitId).catch((error: unknown) => log.error({ err: error }, 'desk catch-up failed')), DESK_MEMORY_LAG_MS * 3).unref();
  }

  private async catchUpNow(unitId: string): Promise<void> {
    const units = [unitId];
    if (unitId === this.desks.fallbackUnitId) units.push(...(await this.desks.unitsWithoutDesk()).map((unit) => unit.id));
    for (const id of units) {
      for await (const reportId of this.models.reports.awaitingAcceptanceBy(id)) await this.plan(reportId, [id]);
    }
    this.poke(true);
  }

  /** Sends what was planned (after a case is stored), and with `sweep` looks for due records too; rounds never overlap. */
  poke(sweep = false): void {
    this.sweepAgain ||= sweep;
    if (this.running) {
      this.again = true;
      return;
    }
    const withSweep = this.sweepAgain;
    this.sweepAgain = false;
    this.running = this.round(withSweep)
      .catch((error: unknown) => log.error({ err: error }, 'delivery round failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Waits for the current round, if any (used by tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** A whole round now: what was planned, then everything due. */
  async runRound(): Promise<void> {
    await this.idle();
    // Through poke, so a retry timer firing meanwhile never runs a second round alongside this one.
    this.poke(true);
    await this.idle();
  }

  private async round(sweep: boolean): Promise<void> {
    // Desks whose chat refused a card in this round: their other cards wait for the same retry, without an attempt each.
    const failing = new Set<string>();
    // Cards of tips happening now first.
    const planned = this.planned.splice(0).sort((a, b) => Number(b.urgent ?? false) - Number(a.urgent ?? false));
    for (const delivery of planned) await this.attempt(delivery, true, failing);
    if (!sweep) return;
    // Reads the due records (index `status, urgent, nextAttemptAt`); on FerretDB v1 a scan of desk_deliveries, every `intervalMs`, never per message.
    // Every due record is attempted in the round, oldest first, however many there are: each attempt moves its record out of the due set
    // (sent, retried later with backoff, or claimed by another instance), so a backlog of failing cards never starves a new one, and a record
    // is read again only when its next attempt is due.
    const batchSize = this.options.batchSize ?? 50;
    for (let batch = 0; batch < MAX_BATCHES_PER_ROUND; batch += 1) {
      const due = await this.models.deliveries.due(this.clock(), batchSize);
      for (const delivery of due) await this.attempt(delivery, false, failing);
      if (due.length < batchSize) break;
    }
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  /** One attempt at one card; `claimed` when this instance holds it already (it planned the record). */
  private async attempt(delivery: DeskDeliveryDoc, claimed: boolean, failing: Set<string>): Promise<void> {
    if (failing.has(delivery.deskId) && !claimed) return;
    const attemptNo = claimed ? delivery.attempts : delivery.attempts + 1;
    const now = this.clock();
    const age = now.getTime() - delivery.createdAt.getTime();
    // This instance's hold on the first attempt ran out: the look for due records takes it from here.
    if (claimed && age >= this.leaseMs) return;
    if (!claimed && !(await this.models.deliveries.claimNextAttempt(delivery, now, this.leaseMs))) return;

    const [report, desk] = await Promise.all([
      this.models.reports.byId(delivery.reportId),
      this.desks.byId(delivery.deskId),
    ]);
    if (!report && desk && claimed) {
      // Its case is being stored (another case's round came first): sent by the round that follows the filing.
      this.planned.push(delivery);
      return;
    }
    if (!report && desk && age < CASE_AWAITED_MS) {
      // Planned before its case was stored, which has not happened (yet): look again later.
      await this.retryLater(delivery, attemptNo, 'case not stored yet');
      return;
    }
    if (!report || !desk) {
      await this.models.deliveries.markSent(delivery._id, now, null, 'report or desk no longer exists');
      return;
    }

    let messageRef: string | null;
    try {
      const card = {
        ...(await this.render(report, { viewerUnitId: desk.unitId, lang: DeskService.languageOf(desk), onBehalfOf: delivery.onBehalfOf ?? null })),
        threadId: DeskService.topicFor(desk, report.category),
      };
      messageRef = await this.send(DeskService.addressOf(desk), card);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ delivery: delivery._id, attempt: attemptNo, err: message }, 'desk delivery failed, will retry');
      await this.retryLater(delivery, attemptNo, message);
      if (!failing.has(delivery.deskId)) {
        failing.add(delivery.deskId);
        // The desk chat refuses cards (bot removed, chat gone): its other due cards are put back with this one, in one update,
        // so a thousand of them cost one attempt per round and never hold up other desks' cards.
        await this.models.deliveries.deferDue(delivery.deskId, now, new Date(now.getTime() + retryDelayMs(attemptNo, this.options.retryBaseMs)));
      }
      return;
    }

    await this.models.deliveries.markSent(delivery._id, this.clock(), messageRef);
    log.info({ delivery: delivery._id, attempt: attemptNo }, 'tip delivered to desk');
  }

  private async retryLater(delivery: DeskDeliveryDoc, attemptNo: number, reason: string): Promise<void> {
    const delayMs = retryDelayMs(attemptNo, this.options.retryBaseMs);
    await this.models.deliveries.retryAt(delivery._id, new Date(this.clock().getTime() + delayMs), reason);
    // This instance looks again when the retry is due, without waiting for the next periodic look.
    setTimeout(() => this.poke(true), delayMs).unref();
  }
}
