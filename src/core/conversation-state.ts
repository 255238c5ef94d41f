import type { OutboundMessage } from './chat';
import type { Language } from './language';

/** Where one chat's conversation stands: the flow and step it is on, its draft, its language. */
export interface ConversationState<Draft = Record<string, unknown>> {
  key: string;
  version: number;
  flow: string | null;
  step: string | null;
  draft: Draft | null;
  lang: Language;
  pendingFlow: string | null;
  eventKey: string | null;
  expiredFlow: string | null;
  /** The replies to `eventKey`, for resending if that event is delivered again. */
  replies: OutboundMessage[];
  updatedAt: Date;
  /** True when the stored state was written by another flow version and was reset on load. */
  incompatible: boolean;
}

export type StateChanges = Partial<Pick<ConversationState, 'flow' | 'step' | 'draft' | 'lang' | 'pendingFlow' | 'expiredFlow'>>;

/**
 * Versioned conversation state, one chat at a time. `save` writes version
 * n+1 and fails with `conversation_conflict` when another writer got there
 * first; the caller reloads and retries.
 */
export interface ConversationStates {
  load(key: string): Promise<ConversationState>;
  save(current: ConversationState, changes: StateChanges, eventKey: string | null, now: Date, replies?: OutboundMessage[]): Promise<ConversationState>;
  /** Removes every stored version (used by /xoadulieu). */
  erase(key: string): Promise<void>;
  /** Latest states holding a flow that has been idle since before `cutoff`. */
  findIdleSince(cutoff: Date, limit: number): Promise<string[]>;
}
