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
  /** The case this chat filed last: a "Gửi" pressed again on its review answers with its receipt, never files it twice. */
  filed: FiledCase | null;
  updatedAt: Date;
  /** True when the stored state was written by another flow version and was reset on load. */
  incompatible: boolean;
}

export type StateChanges = Partial<Pick<ConversationState, 'flow' | 'step' | 'draft' | 'lang' | 'pendingFlow' | 'expiredFlow' | 'filed'>>;

/** A case a flow filed: which flow, and its receipt code. */
export interface FiledCase {
  flow: string;
  code: string;
}

/** The right to write one chat's next state version, taken when an event arrives (see ConversationStates.begin). */
export interface TurnClaim {
  state: ConversationState;
  /** The version this turn will save. */
  version: number;
  /** The inbound event being handled, or null for a turn the service makes itself (the idle sweep). */
  eventKey: string | null;
}

/** What `begin` found: the chat's state and the claim to move it on, or an event handled before. */
export type Begun =
  | { kind: 'claimed'; claim: TurnClaim }
  | { kind: 'duplicate'; replies: OutboundMessage[] }
  /**
   * The event is held by a turn that has not finished, or finished so
   * recently that its replies may not have reached the chat: it may be a
   * live turn, or one whose process died. Ask for it again later; past the
   * claim's lease it is taken over, or its stored replies said again.
   */
  | { kind: 'pending' };

/**
 * Versioned conversation state, one chat at a time. `begin` records the event
 * (a redelivered one is reported as a duplicate) and claims the next version;
 * `save` writes it; `release` gives the claim back when the turn wrote nothing
 * or failed. Two writers never both hold one version.
 */
export interface ConversationStates {
  begin(key: string, eventKey: string | null, now: Date): Promise<Begun>;
  save(claim: TurnClaim, changes: StateChanges, now: Date, replies?: OutboundMessage[]): Promise<ConversationState>;
  /** Gives the claim back; with `event`, the event too, so a redelivery is handled afresh (the turn failed). */
  release(claim: TurnClaim, options: { event: boolean }): Promise<void>;
  /** Forgets that an event arrived, so its redelivery is handled afresh. */
  forgetEvent(eventKey: string): Promise<void>;
  /** The chat was sent the replies of the turn for `eventKey` (remembered in this process: a redelivery here is then a plain duplicate). */
  answered(key: string, eventKey: string): void;
  /** The latest state, read only. */
  load(key: string): Promise<ConversationState>;
  /** Chats holding a flow that has been idle since before `cutoff`. */
  findIdleSince(cutoff: Date, limit: number): Promise<string[]>;
}
