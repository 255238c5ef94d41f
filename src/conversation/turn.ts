import type { Catalog } from '../config/catalog';
import type { Translate } from '../i18n';
import type { Flow, Limits, StepContext } from './flow';
import type { ConversationState, StateChanges } from '../core/conversation-state';
import type { Language } from '../core/language';
import type { InboundEvent, OutboundMessage } from '../core/chat';

/**
 * One inbound event being handled: the state as loaded, the changes decided
 * so far, and the replies to send. Saved as one new state version at the end.
 */
export class Turn {
  readonly changes: StateChanges = {};
  readonly replies: OutboundMessage[] = [];
  /** Set when nothing should be saved (an ignored group message, erased data). */
  skipSave = false;

  constructor(
    readonly key: string,
    readonly state: ConversationState,
    readonly event: InboundEvent,
    readonly now: Date,
    private readonly translate: (lang: Language) => Translate,
  ) {}

  get lang(): Language {
    return this.changes.lang ?? this.state.lang;
  }

  get t(): Translate {
    return this.translate(this.lang);
  }

  get flow(): string | null {
    return this.changes.flow !== undefined ? this.changes.flow : this.state.flow;
  }

  get step(): string | null {
    return this.changes.step !== undefined ? this.changes.step : this.state.step;
  }

  get draft(): unknown {
    return this.changes.draft !== undefined ? this.changes.draft : this.state.draft;
  }

  get pendingFlow(): string | null {
    return this.changes.pendingFlow !== undefined ? this.changes.pendingFlow : this.state.pendingFlow;
  }

  set(changes: StateChanges): void {
    Object.assign(this.changes, changes);
  }

  say(...messages: OutboundMessage[]): void {
    this.replies.push(...messages);
  }

  stepContext<Draft>(flow: Flow<Draft>, catalog: Catalog, limits: Limits): StepContext<Draft> {
    return { draft: (this.draft ?? flow.newDraft({ now: this.now })) as Draft, t: this.t, lang: this.lang, catalog, limits, now: this.now, channel: this.event.address.channel };
  }
}
