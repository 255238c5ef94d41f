import type { ConversationState } from '../core/conversation-state';

interface Entry {
  state: ConversationState;
  cachedAt: number;
  /** The event whose replies this process delivered to the chat (its last turn's, when that one is). */
  answered?: string;
}

/**
 * The latest state of the chats this process talked to lately, so a turn
 * reads nothing before it claims the next version. Bounded in size (least
 * recently used go first) and in age: an entry older than `maxAgeMs` is read
 * again. A stale entry costs a retry, never a lost write: claiming a version
 * another process already took fails, and the state is read again.
 */
export class RecentStates {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 10 * 60_000,
  ) {}

  get(key: string, nowMs: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (nowMs - entry.cachedAt > this.maxAgeMs) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, state: ConversationState, nowMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { state, cachedAt: nowMs });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** This process delivered the replies of the chat's last turn, for `eventKey`. */
  markAnswered(key: string, eventKey: string): void {
    const entry = this.entries.get(key);
    if (entry && entry.state.eventKey === eventKey) entry.answered = eventKey;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
