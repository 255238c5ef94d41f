import type { Translate } from '../i18n';
import { moduleLogger } from '../shared/logger';
import { ChatQueue } from './chat-queue';
import type { ChatRateLimit } from './chat-rate-limit';
import type { ConversationEngine, TurnOutcome } from './engine';
import { isTransientError } from '../shared/transient-errors';
import type { ChatAddress, InboundEvent, OutboundMessage } from '../core/chat';

const log = moduleLogger('inbound');
/** Tries of one turn when the database answers busy or the connection drops. */
const TRANSIENT_ATTEMPTS = 4;

/**
 * What became of an event. `pending`: another turn holds it (live, or dead
 * within its lease): the channel must have it delivered again later (a
 * webhook answers 5xx), never acknowledge it as done. `limited`: a flooding
 * chat's message, answered once and then dropped (acknowledged to the
 * platform, never retried).
 */
export type InboundResult = 'processed' | 'duplicate' | 'pending' | 'failed' | 'limited';

/** One apology per chat in this long, however often its updates fail. */
const APOLOGY_INTERVAL_MS = 5 * 60_000;

/** How replies reach a chat (the channel registry). */
export interface ChatSender {
  send(address: ChatAddress, messages: OutboundMessage[]): Promise<unknown>;
}

/**
 * The one way an inbound event reaches the engine, for every channel:
 * 1. queue it behind earlier events of the same chat,
 * 2. let the engine record it and move the conversation (a redelivered
 *    update is handled once; state saved before any reply),
 * 3. send the replies.
 */
export class InboundPipeline {
  private readonly queue = new ChatQueue();
  /** When each chat was last told of a failure: a platform delivering an update again and again brings one apology, not one per try. */
  private readonly apologized = new Map<string, number>();

  constructor(
    private readonly engine: ConversationEngine,
    private readonly channels: ChatSender,
    private readonly fallbackText: Translate,
    private readonly rateLimit: ChatRateLimit | null = null,
  ) {}

  /**
   * Queues the event at once (synchronously), so events of one chat are
   * handled in the order this method was called, whatever the latency of the
   * ledger insert that follows.
   */
  process(event: InboundEvent): Promise<InboundResult> {
    const chatKey = this.engine.keyOf(event.address);
    // Private chats only: a desk group's officers share one chat.
    const limit = event.isGroup || !this.rateLimit ? 'ok' : this.rateLimit.check(chatKey, Date.now());
    if (limit !== 'ok') {
      if (limit === 'tell') {
        log.warn({ chat: chatKey }, 'chat over its message rate: its messages are dropped for the rest of the minute');
        void this.channels.send(event.address, [{ text: this.fallbackText('errors.rate_limited') }]).catch(() => undefined);
      }
      return Promise.resolve('limited');
    }
    return this.queue.run(chatKey, async () => {
      try {
        const outcome = await this.withRetries(event);
        if (outcome.kind === 'duplicate') log.info({ event: event.key }, 'duplicate event ignored');
        if (outcome.kind === 'pending') {
          log.info({ event: event.key }, 'event held by an unfinished turn: to be delivered again');
          return 'pending';
        }
        // Answers stay in the forum topic the message came from.
        const replies = outcome.replies.map((reply) => (event.threadId && !reply.threadId ? { ...reply, threadId: event.threadId } : reply));
        if (replies.length > 0) await this.channels.send(event.address, replies);
        this.engine.answered(event);
        return outcome.kind === 'duplicate' ? 'duplicate' : 'processed';
      } catch (error) {
        // The event is given back, so a redelivery (webhook retry) tries again: a turn that was saved says its replies again.
        await this.engine.giveBack(event).catch(() => undefined);
        log.error({ err: error, event: event.key, chat: chatKey }, 'event failed');
        if (this.firstApologySince(chatKey, Date.now())) {
          // The database away or busy: the message waits to be delivered again; anything else, the resident is asked to send it again.
          const text = this.fallbackText(isTransientError(error) ? 'errors.busy' : 'errors.internal');
          await this.channels.send(event.address, [{ text }]).catch(() => undefined);
        }
        return 'failed';
      }
    });
  }

  /**
   * The engine's turn, tried again (after giving the event back) when the
   * database said "busy, try again": a resident under load gets their answer
   * a little later rather than an apology. Other errors are not retried.
   */
  private async withRetries(event: InboundEvent): Promise<TurnOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.engine.process(event);
      } catch (error) {
        if (attempt >= TRANSIENT_ATTEMPTS || !isTransientError(error)) throw error;
        log.warn({ err: error, event: event.key, attempt }, 'transient database error: trying the turn again');
        await this.engine.giveBack(event).catch(() => undefined);
        // Jittered, growing: writers that collided do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, attempt * (50 + Math.random() * 150)));
      }
    }
  }

  private firstApologySince(chatKey: string, nowMs: number): boolean {
    const last = this.apologized.get(chatKey);
    if (last !== undefined && nowMs - last < APOLOGY_INTERVAL_MS) return false;
    this.apologized.delete(chatKey);
    this.apologized.set(chatKey, nowMs);
    // Bounded: the oldest chats are forgotten first.
    if (this.apologized.size > 10_000) this.apologized.delete(this.apologized.keys().next().value ?? '');
    return true;
  }

  /** Sends to a chat once what is queued for it is done (a late answer after the turn that said it was coming). */
  sendInOrder(address: ChatAddress, messages: OutboundMessage[]): Promise<unknown> {
    return this.queue.run(this.engine.keyOf(address), () => this.channels.send(address, messages));
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }
}
