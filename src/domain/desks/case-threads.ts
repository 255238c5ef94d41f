import type { ChatAddress } from '../../core/chat';
import type { DeskDeliveryRepository } from '../../storage/desk-delivery-repository';
import type { CaseThread, DeskNotice } from './desk-notice';
import { DeskService } from './desk-service';
import type { ReportDoc } from '../../core/report';

/** Says a notice to one desk chat (rendered by a presenter, sent by the channels). */
export type TellDesk = (address: ChatAddress, thread: CaseThread, notice: DeskNotice) => Promise<void>;

/**
 * The desks that have a case's card: a notice about the case goes to each of
 * them, as a reply to the card, in the case's topic.
 */
export class CaseThreads {
  constructor(
    private readonly deliveries: Pick<DeskDeliveryRepository, 'sentFor'>,
    private readonly desks: DeskService,
    private readonly tellDesk: TellDesk,
  ) {}

  /**
   * @param onFailure when given, a desk that cannot be reached is reported
   *   there and the others still get the notice; otherwise the error is thrown.
   */
  async post(report: Pick<ReportDoc, '_id' | 'category'>, notice: DeskNotice, onFailure?: (error: unknown) => void): Promise<void> {
    for (const delivery of await this.deliveries.sentFor(report._id)) {
      const desk = await this.desks.byId(delivery.deskId);
      if (!desk) continue;
      const sent = this.tellDesk(DeskService.addressOf(desk), { replyTo: delivery.messageRef ?? undefined, threadId: DeskService.topicFor(desk, report.category), lang: DeskService.languageOf(desk) }, notice);
      if (onFailure) await sent.catch(onFailure);
      else await sent;
    }
  }
}
