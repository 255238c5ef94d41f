import type { Translate } from '../i18n';
import { moduleLogger } from '../shared/logger';
import { ChatQueue } from './chat-queue';
import type { ConversationEngine } from './engine';
import type { ChatAddress, InboundEvent, OutboundMessage } from '../core/chat';

const log = moduleLogger('inbound');

export type InboundResult = 'processed' | 'duplicate' | 'failed';

/** How replies reach a chat (the channel registry). */
export interface ChatSender {
  send(address: ChatAddress, messages: OutboundMessage[]): Promise<unknown>;
}

/** The processed-once ledger of inbound events (see storage/inbox-ledger). */
export interface Inbox {
  claim(key: string, now: Date): Promise<boolean>;
  done(key: string, now: Date): Promise<void>;
  release(key: string): Promise<void>;
}

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
    private readonly inbox: Inbox,
    private readonly engine: ConversationEngine,
    private readonly channels: ChatSender,
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
      if (!(await this.inbox.claim(event.key, this.clock()))) {
        log.info({ event: event.key }, 'duplicate event ignored');
        return 'duplicate';
      }
      try {
        // Answers stay in the forum topic the message came from.
        const replies = (await this.engine.handle(event)).map((reply) => (event.threadId && !reply.threadId ? { ...reply, threadId: event.threadId } : reply));
        await this.channels.send(event.address, replies);
        await this.inbox.done(event.key, this.clock());
        return 'processed';
      } catch (error) {
        log.error({ err: error, event: event.key, chat: chatKey }, 'event failed');
        // Release the claim so a redelivery (webhook retry) can try again.
        await this.inbox.release(event.key).catch(() => undefined);
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
}
