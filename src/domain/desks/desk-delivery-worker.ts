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
  intervalMs: number;
  /** First retry delay; doubles per failed attempt, capped at ten minutes. */
  retryBaseMs: number;
  /** How long an attempt may stay unfinished before another worker may retry it. */
  leaseMs?: number;
  batchSize?: number;
}

/**
 * Gets every tip to every desk, durably: each (tip, desk) pair is a record
 * that is retried with exponential backoff until the desk chat accepts the
 * card, then marked sent with its time.
 *
 * Attempts are claimed through `claimAttempt` (a unique insert), so two
 * instances never send the same attempt.
 */
export class DeskDeliveryWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly models: { reports: ReportRepository; deliveries: DeskDeliveryRepository },
    private readonly desks: DeskService,
    /** Draws a case's card as one unit's desk sees it. */
    private readonly render: (report: ReportDoc, options: CardOptions) => OutboundMessage,
    private readonly send: SendToChat,
    private readonly options: DeskDeliveryOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poke(), this.options.intervalMs);
    this.poke();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Runs a round now (after a tip is filed or a desk registers); rounds never overlap. */
  poke(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runRound()
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

  async runRound(): Promise<void> {
    await this.createMissingDeliveries();
    const due = await this.models.deliveries.due(this.clock(), this.options.batchSize ?? 20);
    for (const delivery of due) await this.attempt(delivery);
  }

  /**
   * Every undelivered tip gets a delivery record for each desk of the units it
   * was routed to (there may have been no such desk when it was filed).
   */
  private async createMissingDeliveries(): Promise<void> {
    const undelivered = await this.models.reports.undelivered(100);
    const now = this.clock();
    for (const report of undelivered) {
      for (const desk of await this.desks.forUnits(report.unitIds)) {
        await this.models.deliveries.ensure(report._id, desk._id, now);
      }
    }
  }

  private async attempt(delivery: DeskDeliveryDoc): Promise<void> {
    const attemptNo = delivery.attempts + 1;
    const now = this.clock();
    if (!(await this.models.deliveries.claimNextAttempt(delivery, now, this.options.leaseMs ?? 60_000))) return;

    const [report, desk] = await Promise.all([
      this.models.reports.byId(delivery.reportId),
      this.desks.byId(delivery.deskId),
    ]);
    if (!report || !desk) {
      await this.models.deliveries.markSent(delivery._id, now, null, 'report or desk no longer exists');
      return;
    }

    let messageRef: string | null;
    try {
      const card = { ...this.render(report, { viewerUnitId: desk.unitId, lang: DeskService.languageOf(desk) }), threadId: DeskService.topicFor(desk, report.category) };
      messageRef = await this.send(DeskService.addressOf(desk), card);
    } catch (error) {
      const delayMs = retryDelayMs(attemptNo, this.options.retryBaseMs);
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ delivery: delivery._id, attempt: attemptNo, err: message }, 'desk delivery failed, will retry');
      await this.models.deliveries.retryAt(delivery._id, new Date(this.clock().getTime() + delayMs), message);
      return;
    }

    const sentAt = this.clock();
    await this.models.deliveries.markSent(delivery._id, sentAt, messageRef);
    await this.models.reports.markDelivered(report._id, sentAt);
    log.info({ delivery: delivery._id, attempt: attemptNo }, 'tip delivered to desk');
  }
}
