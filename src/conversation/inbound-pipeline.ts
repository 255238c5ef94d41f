import type { Model } from 'mongoose';
import type { ChannelRegistry } from '../channels/channel';
import type { Translate } from '../i18n';
import { isDuplicateKeyError } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import type { InboxDoc } from '../storage/models/inbox.model';
import { ChatQueue } from './chat-queue';
import type { ConversationEngine } from './engine';
import type { ChatAddress, InboundEvent, OutboundMessage } from '../core/chat';

const log = moduleLogger('inbound');

/** An event still marked "processing" after this long was abandoned by a stopped process and may be taken again. */
const STALE_AFTER_MS = 60_000;

export type InboundResult = 'processed' | 'duplicate' | 'failed';

/**
 * The one way an inbound event reaches the engine, for every channel:
 * 1. record its key in the inbox ledger (unique insert: a redelivered update is handled once),
 * 2. queue it behind earlier events of the same chat,
 * 3. let the engine move the conversation (state saved before any reply),
 * 4. send the replies, then mark the event done.
 */
export class InboundPipeline {
  private readonly queue = new ChatQueue();

  constructor(
    private readonly inbox: Model<InboxDoc>,
    private readonly engine: ConversationEngine,
    private readonly channels: ChannelRegistry,
    private readonly fallbackText: Translate,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Queues the event at once (synchronously), so events of one chat are
   * handled in the order this method was called, whatever the latency of the
   * ledger insert that follows.
   */
  process(event: InboundEvent): Promise<InboundResult> {
    const chatKey = this.engine.keyOf(event.address);
    return this.queue.run(chatKey, async () => {
      if (!(await this.claim(event.key))) {
        log.info({ event: event.key }, 'duplicate event ignored');
        return 'duplicate';
      }
      try {
        // Answers stay in the forum topic the message came from.
        const replies = (await this.engine.handle(event)).map((reply) => (event.threadId && !reply.threadId ? { ...reply, threadId: event.threadId } : reply));
        await this.channels.send(event.address, replies);
        await this.inbox.updateOne({ _id: event.key }, { $set: { status: 'done', doneAt: this.clock() } });
        return 'processed';
      } catch (error) {
        log.error({ err: error, event: event.key, chat: chatKey }, 'event failed');
        // Release the claim so a redelivery (webhook retry) can try again.
        await this.inbox.deleteOne({ _id: event.key }).catch(() => undefined);
        await this.channels.send(event.address, [{ text: this.fallbackText('errors.internal') }]).catch(() => undefined);
        return 'failed';
      }
    });
  }

  /** Sends to a chat once what is queued for it is done (a late answer after the turn that said it was coming). */
  sendInOrder(address: ChatAddress, messages: OutboundMessage[]): Promise<unknown> {
    return this.queue.run(this.engine.keyOf(address), () => this.channels.send(address, messages));
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async claim(key: string): Promise<boolean> {
    const now = this.clock();
    try {
      await this.inbox.create({ _id: key, status: 'processing', receivedAt: now, doneAt: null });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const existing = await this.inbox.findOne({ _id: key }).lean();
    if (!existing || existing.status === 'done') return false;
    if (now.getTime() - existing.receivedAt.getTime() < STALE_AFTER_MS) return false;
    // Abandoned mid-way by a process that stopped: take it over. The engine's
    // per-state event key keeps the step from being applied twice.
    await this.inbox.updateOne({ _id: key }, { $set: { receivedAt: now } });
    return true;
  }
}
