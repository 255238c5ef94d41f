import type { ChannelName, InboundEvent, OutboundMessage, ChatAddress } from '../core/chat';
import { parsePayload } from '../core/payloads';
import type { Language } from '../core/language';
import type { Translate } from '../i18n';
import type { PiiCipher } from '../shared/pii-cipher';
import { chatKey } from './chat-key';
import type { StepInput } from './flow';
import type { ConsentGate, FlowRunner } from './flow-runner';
import { mainMenu } from './messages';
import type { CommandRegistry } from './registry/command-registry';
import type { ConversationTools } from './registry/command';
import type { ConversationStates } from '../core/conversation-state';
import { Turn } from './turn';

/** What became of one event: its turn ran, or it had been handled before (with the replies to say again, if any). */
export type TurnOutcome = { kind: 'applied' | 'duplicate'; replies: OutboundMessage[] } | { kind: 'pending'; replies: [] };

export interface EngineDeps {
  store: ConversationStates;
  runner: FlowRunner;
  registry: CommandRegistry;
  consent: ConsentGate;
  cipher: PiiCipher;
  translate(lang: Language): Translate;
  idleTimeoutMs: number;
  clock(): Date;
  /** The self-management model a group chat is registered for (/nhom <mã mô hình>), to point its members to the private chat with its code. */
  groupModel?(groupKey: string): Promise<{ code: string; name: string } | null>;
  /** A web address opening a private chat with the bot on this channel, started with `payload` (null where there is none). */
  startLink?(channel: ChannelName, payload: string): string | null;
}

/**
 * The conversation engine: takes one channel-neutral event, moves that chat's
 * conversation one step and returns what to say back. It knows the state
 * store, the flow runner and the command registry; what each command, button
 * and flow does lives in its feature. It never imports a channel. Callers run
 * one event per chat at a time (see ChatQueue); across instances, the state
 * store lets one turn at a time claim a chat's next version.
 */
export class ConversationEngine {
  readonly runner: FlowRunner;
  private readonly tools: ConversationTools;

  constructor(private readonly deps: EngineDeps) {
    this.runner = deps.runner;
    this.tools = {
      runner: deps.runner,
      run: (turn, commandId, args) => deps.registry.byCommandId(commandId).handle(turn, args, this.tools),
    };
  }

  /** Pseudonymous key of a chat: the only form in which the engine stores who it talks to. */
  keyOf(address: ChatAddress): string {
    return chatKey(this.deps.cipher, address);
  }

  /** Moves the chat one step and returns what to say back (nothing new for an event handled before). */
  async handle(event: InboundEvent): Promise<OutboundMessage[]> {
    return (await this.process(event)).replies;
  }

  /**
   * Handles one event once: the store records it and claims the chat's next
   * state version first (a redelivered event comes back as a duplicate), the
   * turn runs, and its state is saved before any reply is returned. A turn
   * that fails gives its claims back, so a redelivery is handled afresh.
   */
  async process(event: InboundEvent): Promise<TurnOutcome> {
    const key = this.keyOf(event.address);
    const now = this.deps.clock();
    const begun = await this.deps.store.begin(key, event.key, now);
    if (begun.kind === 'duplicate') return { kind: 'duplicate', replies: begun.replies };
    if (begun.kind === 'pending') return { kind: 'pending', replies: [] };
    const { claim } = begun;
    if (claim.state.eventKey === event.key) {
      // Applied already, but its replies never reached the chat (the send failed and the event was given back): say them again.
      await this.deps.store.release(claim, { event: false });
      return { kind: 'duplicate', replies: claim.state.replies };
    }
    try {
      const turn = new Turn(key, claim.state, event, now, this.deps.translate);
      await this.noticeExpiry(turn);
      await this.dispatch(turn);
      if (turn.skipSave) await this.deps.store.release(claim, { event: false });
      else await this.deps.store.save(claim, turn.changes, now, turn.replies);
      return { kind: 'applied', replies: turn.replies };
    } catch (error) {
      await this.deps.store.release(claim, { event: true }).catch(() => undefined);
      throw error;
    }
  }

  /** Forgets that `event` arrived, so its redelivery is handled afresh (its replies could not be sent). */
  /** The event's replies reached its chat. */
  answered(event: InboundEvent): void {
    if (event.key !== null) this.deps.store.answered(this.keyOf(event.address), event.key);
  }

  giveBack(event: InboundEvent): Promise<void> {
    return this.deps.store.forgetEvent(event.key);
  }

  private async noticeExpiry(turn: Turn): Promise<void> {
    if (turn.state.incompatible) {
      turn.say({ text: turn.t('flow.outdated') });
      return;
    }
    if (turn.state.expiredFlow) {
      turn.set({ expiredFlow: null });
      turn.say({ text: turn.t('flow.expired', { flow: turn.t(`${turn.state.expiredFlow}.name`) }) });
      return;
    }
    if (turn.flow && turn.now.getTime() - turn.state.updatedAt.getTime() > this.deps.idleTimeoutMs) {
      await this.runner.expire(turn);
    }
  }

  private async dispatch(turn: Turn): Promise<void> {
    const { event } = turn;
    const { registry } = this.deps;
    if (event.isGroup) return this.inGroup(turn);

    if (event.kind === 'command') {
      const command = registry.command(event.command);
      if (command) return command.handle(turn, event.args, this.tools);
      turn.say(mainMenu(turn.t, turn.t('errors.unknown_command', { command: event.command.slice(0, 30) })));
      return;
    }

    if (event.kind === 'button') {
      const payload = parsePayload(event.payload);
      if (payload?.scope === 'desk') return this.deskAction(turn, payload.reportId, payload.action);
      if (payload?.scope === 'global') {
        const button = registry.button(payload.action);
        if (button) return button.handle(turn, payload.arg, this.tools);
        turn.say({ text: turn.t('errors.stale_button') });
        return;
      }
      if (payload?.scope === 'step' && turn.flow && payload.step === turn.step) return this.runner.run(turn, { kind: 'choice', value: payload.value });
      // "Gửi" pressed again on the review of a case already filed (a double tap, a press the platform sent twice, a retry after a crash): its receipt again, never a second case.
      const filed = turn.state.filed;
      if (payload?.scope === 'step' && filed && payload.value === 'send' && payload.step === this.runner.get(filed.flow)?.reviewStep) {
        turn.say({ text: turn.t('errors.already_filed', { code: filed.code }) });
        return;
      }
      turn.say({ text: turn.t('errors.stale_button') });
      const prompt = this.runner.currentPrompt(turn);
      turn.say(prompt ?? mainMenu(turn.t));
      return;
    }

    if (event.kind === 'text') {
      const bare = registry.bareWord(event.text);
      if (bare && (bare.interruptsFlow || !turn.flow)) return bare.handle(turn, '', this.tools);
    }

    if (turn.flow) return this.runner.run(turn, event as StepInput);
    return this.idle(turn);
  }

  /** Outside any flow: point the resident at what the bot can do. */
  private async idle(turn: Turn): Promise<void> {
    if (!(await this.deps.consent.hasConsented(turn.key))) {
      turn.say(...this.deps.consent.request(turn.t));
      return;
    }
    for (const handler of this.deps.registry.idle) if (await handler(turn, this.tools)) return;
    const hint = turn.event.kind === 'media' ? 'idle.media' : 'idle.text';
    turn.say(mainMenu(turn.t, turn.t(hint)));
  }

  /**
   * In a group, tips are never taken (members would see them). Only the
   * commands allowed in groups and desk buttons answer; other commands say to
   * write privately, and plain messages are ignored.
   */
  private async inGroup(turn: Turn): Promise<void> {
    const { event } = turn;
    const { registry } = this.deps;
    const payload = event.kind === 'button' ? parsePayload(event.payload) : null;
    if (payload?.scope === 'desk') return this.deskAction(turn, payload.reportId, payload.action);
    // An officer typing a reply to a reporter, a reason to forward or a code, in a desk group.
    // Only the officer who pressed the button is listened to: others' chatter must never reach a reporter.
    if (this.runner.get(turn.flow)?.answeredInDeskChat) {
      const officerId = (turn.draft as { officerId?: string } | null)?.officerId;
      if (officerId !== undefined && officerId !== event.senderId) {
        turn.skipSave = true;
        return;
      }
      const typed = event.kind === 'command' ? registry.command(event.command) : event.kind === 'text' ? registry.bareWord(event.text) : null;
      if (typed?.interruptsFlow) return typed.handle(turn, '', this.tools);
      if (event.kind === 'text') return this.runner.run(turn, event);
    }
    const command = event.kind === 'command' ? registry.command(event.command) : null;
    if (command && command.where.includes('group')) return command.handle(turn, event.kind === 'command' ? event.args : '', this.tools);
    if (command) {
      // In a model's group, the way to the private chat carries the model's code, so the tip is counted under the model.
      const model = (await this.deps.groupModel?.(turn.key)) ?? null;
      const url = model ? (this.deps.startLink?.(event.address.channel, model.code) ?? null) : null;
      if (!model) turn.say({ text: turn.t('group.use_private_chat') });
      else turn.say({ text: turn.t('group.use_private_chat_model', { code: model.code, name: model.name }), ...(url ? { link: { label: turn.t('group.open_private_chat'), url } } : {}) });
      return;
    }
    turn.skipSave = true;
  }

  /** A button on a case's desk card: the officer's action, never a conversation step. */
  private async deskAction(turn: Turn, reportId: string, action: string): Promise<void> {
    const handler = this.deps.registry.deskAction(action);
    if (handler) return handler.handle(turn, reportId, action, this.tools);
    turn.skipSave = true;
    turn.say({ text: turn.t('errors.stale_button') });
  }
}
