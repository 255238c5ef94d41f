import { moduleLogger } from '../shared/logger';
import type { ChatAddress, OutboundMessage } from '../core/chat';

const log = moduleLogger('late-replies');

/**
 * Answers that take longer than a chat should wait for (statistics over a
 * city's reports on the embedded database can take half a minute): the turn
 * says the answer is coming and ends, so the chat, and every chat behind it
 * in Telegram's polling batch, goes on; the answer is sent when it is ready,
 * queued after what the chat was told meanwhile. A failure is logged and
 * the chat told. Shutdown waits for answers under way.
 */
export class LateReplies {
  private readonly pending = new Set<Promise<void>>();

  /** @param sendInOrder sends to a chat behind the replies already queued for it */
  constructor(private readonly sendInOrder: (address: ChatAddress, messages: OutboundMessage[]) => Promise<unknown>) {}

  deliver(address: ChatAddress, threadId: string | undefined, work: Promise<OutboundMessage[]>, failure: OutboundMessage): void {
    const inTopic = (messages: OutboundMessage[]) => messages.map((m) => (threadId && !m.threadId ? { ...m, threadId } : m));
    const delivery = work
      .then(
        (messages) => this.sendInOrder(address, inTopic(messages)),
        async (error: unknown) => {
          log.error({ err: error }, 'a late answer could not be computed');
          await this.sendInOrder(address, inTopic([failure]));
        },
      )
      .then(
        () => undefined,
        (error: unknown) => log.error({ err: error }, 'a late answer could not be sent'),
      )
      .finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** The work's result if it is ready within `ms`, else null (the work goes on). */
export async function readyWithin<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
