import type { Catalog } from '../config/catalog';
import type { DeskService } from '../domain/desks/desk-service';
import type { EvidenceStore } from '../domain/evidence/evidence-store';
import type { ReportService } from '../domain/reports/report-service';
import type { ResidentService } from '../domain/residents/resident-service';
import { isTriageAction } from '../domain/triage/triage-actions';
import type { Actor, TriageService } from '../domain/triage/triage-service';
import { isMediationAction, type MediationAction } from '../domain/mediation/mediation-actions';
import type { MediationService } from '../domain/mediation/mediation-service';
import type { MediationRegister } from '../domain/mediation/mediation-register';
import type { StatsService } from '../domain/stats/stats-service';
import type { Audience } from '../domain/campaigns/audience';
import type { CampaignService } from '../domain/campaigns/campaign-service';
import type { LateReplies } from './late-replies';
import type { MediationQuestion } from './flows/mediation-input-flow';
import type { FollowupService } from '../domain/followup/followup-service';
import type { DeadlineService } from '../domain/deadlines/deadline-service';
import type { UnitAdminService } from '../domain/units/unit-admin-service';
import type { Translate } from '../i18n';
import { AppError } from '../shared/errors';
import type { PiiCipher } from '../shared/pii-cipher';
import { chatKey } from './chat-key';
import { resolveBareWord, resolveCommand, type CommandName } from './commands';
import { type Flow, type Limits, type StepInput } from './flow';
import { FlowRunner } from './flow-runner';
import { GlobalActions } from './global-actions';
import { consentRequest, mainMenu } from './messages';
import type { ConversationStateStore } from './state-store';
import { Turn } from './turn';
import type { Language } from '../core/language';
import type { ChatAddress, InboundEvent, OutboundMessage } from '../core/chat';
import { parsePayload } from '../core/payloads';
import { deskRefusalText, presentMediation, presentTriage } from './presenters/desk-replies';

export interface EngineDeps {
  store: ConversationStateStore;
  cipher: PiiCipher;
  translate(lang: Language): Translate;
  catalog: Catalog;
  limits: Limits;
  idleTimeoutMs: number;
  retentionMonths: number;
  residents: ResidentService;
  reports: ReportService;
  desks: DeskService;
  triage: Pick<TriageService, 'handle' | 'authorize'>;
  mediation: Pick<MediationService, 'apply' | 'openUnsettledMenu' | 'mediatorsOf' | 'declareConflict'>;
  register: Pick<MediationRegister, 'export'>;
  stats: Pick<StatsService, 'command'>;
  lateReplies: Pick<LateReplies, 'deliver'>;
  lateReplyAfterMs: number;
  audience: Pick<Audience, 'unsubscribe' | 'registerGroup'>;
  campaigns: Pick<CampaignService, 'roleOf' | 'list' | 'command' | 'editable'>;
  isChatAdmin(address: ChatAddress, userId: string): Promise<boolean>;
  followups: Pick<FollowupService, 'addFromReporter'>;
  deadlines: Pick<DeadlineService, 'overdueList' | 'extend'>;
  unitAdmin: Pick<UnitAdminService, 'listUnits' | 'setCoverage'>;
  evidence: EvidenceStore;
  flows: Flow<unknown>[];
  onDeskRegistered(): void;
  forgetChannelData(address: ChatAddress): Promise<void>;
  clock(): Date;
}

const MAX_CONFLICT_RETRIES = 3;

/** Commands that work in a group chat: the officers' own. */
const DESK_COMMANDS: CommandName[] = ['desk', 'topic', 'overdue', 'extend', 'register', 'conflict', 'group', 'stats'];

/** Flows an officer answers in a desk group (plain text is otherwise ignored in groups). */
const DESK_FLOWS = ['desk_reply', 'forward_reason', 'duplicate_of', 'mediation_input'];

/** Mediation buttons that ask the officer to type something (names, a date and place, an agreement, an authority). */
const MEDIATION_QUESTIONS: readonly string[] = ['m_assign', 'm_schedule', 'm_settled', 'm_refer'] satisfies MediationQuestion[];

/**
 * The conversation engine: takes one channel-neutral event, moves that chat's
 * conversation one step and returns what to say back. It never imports a
 * channel. Callers run one event per chat at a time (see ChatQueue); across
 * instances, the versioned state store turns a race into a retry.
 */
export class ConversationEngine {
  readonly runner: FlowRunner;
  private readonly actions: GlobalActions;

  constructor(private readonly deps: EngineDeps) {
    this.runner = new FlowRunner(deps.flows, deps);
    this.actions = new GlobalActions(deps, this.runner);
  }

  /** Pseudonymous key of a chat: the only form in which the engine stores who it talks to. */
  keyOf(address: ChatAddress): string {
    return chatKey(this.deps.cipher, address);
  }

  async handle(event: InboundEvent): Promise<OutboundMessage[]> {
    const key = this.keyOf(event.address);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.handleOnce(key, event);
      } catch (error) {
        const retry = error instanceof AppError && error.code === 'conversation_conflict' && attempt < MAX_CONFLICT_RETRIES;
        if (!retry) throw error;
      }
    }
  }

  private async handleOnce(key: string, event: InboundEvent): Promise<OutboundMessage[]> {
    const state = await this.deps.store.load(key);
    const now = this.deps.clock();
    const turn = new Turn(key, state, event, now, this.deps.translate);

    if (state.eventKey === event.key) {
      // Applied already, but its replies may never have reached the resident: say them again.
      return state.replies;
    }

    await this.noticeExpiry(turn);
    await this.dispatch(turn);

    if (!turn.skipSave) await this.deps.store.save(state, turn.changes, event.key, now, turn.replies);
    return turn.replies;
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
    if (event.isGroup) return this.inGroup(turn);

    if (event.kind === 'command') {
      const command = resolveCommand(event.command);
      if (command) return this.actions.command(turn, command, event.args);
      turn.say(mainMenu(turn.t, turn.t('errors.unknown_command', { command: event.command.slice(0, 30) })));
      return;
    }

    if (event.kind === 'button') {
      const payload = parsePayload(event.payload);
      if (payload?.scope === 'desk') return this.triage(turn, payload.reportId, payload.action);
      if (payload?.scope === 'global') return this.actions.button(turn, payload.action, payload.arg);
      if (payload?.scope === 'step' && turn.flow && payload.step === turn.step) {
        return this.runner.run(turn, { kind: 'choice', value: payload.value }, () => this.residentKey(turn));
      }
      turn.say({ text: turn.t('errors.stale_button') });
      const prompt = this.runner.currentPrompt(turn);
      turn.say(prompt ?? mainMenu(turn.t));
      return;
    }

    if (event.kind === 'text') {
      const bare = resolveBareWord(event.text);
      if (bare === 'cancel' || (bare && !turn.flow)) return this.actions.command(turn, bare, '');
    }

    if (turn.flow) return this.runner.run(turn, event as StepInput, () => this.residentKey(turn));
    return this.idle(turn);
  }

  /** Outside any flow: point the resident at what the bot can do. */
  private async idle(turn: Turn): Promise<void> {
    if (!(await this.deps.residents.find(turn.key))) {
      turn.say(...consentRequest(turn.t, this.deps.retentionMonths));
      return;
    }
    const hint = turn.event.kind === 'media' ? 'idle.media' : 'idle.text';
    turn.say(mainMenu(turn.t, turn.t(hint)));
  }

  /**
   * In a group, tips are never taken (members would see them). Only the
   * officers' commands and desk buttons answer; other commands say to write
   * privately, and plain messages are ignored.
   */
  private async inGroup(turn: Turn): Promise<void> {
    const { event } = turn;
    const payload = event.kind === 'button' ? parsePayload(event.payload) : null;
    if (payload?.scope === 'desk') return this.triage(turn, payload.reportId, payload.action);
    // An officer typing a reply to a reporter, a reason to forward or a code, in a desk group.
    // Only the officer who pressed the button is listened to: others' chatter must never reach a reporter.
    if (turn.flow !== null && DESK_FLOWS.includes(turn.flow)) {
      const officerId = (turn.draft as { officerId?: string } | null)?.officerId;
      if (officerId !== undefined && officerId !== event.senderId) {
        turn.skipSave = true;
        return;
      }
      const cancel = event.kind === 'command' ? resolveCommand(event.command) === 'cancel' : event.kind === 'text' && resolveBareWord(event.text) === 'cancel';
      if (cancel) return this.runner.cancel(turn);
      if (event.kind === 'text') return this.runner.run(turn, event, () => this.residentKey(turn));
    }
    const command = event.kind === 'command' ? resolveCommand(event.command) : null;
    if (command && DESK_COMMANDS.includes(command)) return this.actions.command(turn, command, event.kind === 'command' ? event.args : '');
    if (command) {
      turn.say({ text: turn.t('group.use_private_chat') });
      return;
    }
    turn.skipSave = true;
  }

  /** A triage button on a desk card: the officer's action, never a conversation step. */
  private async triage(turn: Turn, reportId: string, action: string): Promise<void> {
    const { event } = turn;
    const actor = { address: event.address, userId: event.senderId ?? event.address.chatId, name: event.senderName };
    // These ask the officer for a text in the desk chat: a message to the reporter, a reason to forward, the code a tip duplicates.
    const forwardTo = /^fwd:([a-z0-9-]{2,20})$/.exec(action)?.[1];
    if (action === 'reply' || forwardTo || action === 'close:duplicate') {
      const allowed = await this.deps.triage.authorize(actor, reportId);
      if ('refusal' in allowed) {
        turn.skipSave = true;
        turn.say({ text: deskRefusalText(turn.t, allowed.refusal) });
        return;
      }
      const draft = { reportId, code: allowed.report.code, officerId: actor.userId };
      if (forwardTo) await this.runner.start(turn, 'forward_reason', { ...draft, toUnitId: forwardTo });
      else if (action === 'close:duplicate') await this.runner.start(turn, 'duplicate_of', draft);
      else await this.runner.start(turn, 'desk_reply', draft);
      return;
    }
    if (isMediationAction(action)) return this.mediation(turn, actor, reportId, action);
    turn.skipSave = true;
    if (!isTriageAction(action)) {
      turn.say({ text: turn.t('errors.stale_button') });
      return;
    }
    turn.say(...presentTriage(turn.t, await this.deps.triage.handle(actor, reportId, action)));
  }

  /** A mediation button: a question typed in the desk chat, a menu on the card, or a change made at once. */
  private async mediation(turn: Turn, actor: Actor, reportId: string, action: MediationAction): Promise<void> {
    if (MEDIATION_QUESTIONS.includes(action)) {
      const allowed = await this.deps.triage.authorize(actor, reportId);
      if ('refusal' in allowed) {
        turn.skipSave = true;
        turn.say({ text: deskRefusalText(turn.t, allowed.refusal) });
        return;
      }
      const draft = { reportId, code: allowed.report.code, officerId: actor.userId, question: action, roster: this.deps.mediation.mediatorsOf(allowed.desk.unitId) };
      return this.runner.start(turn, 'mediation_input', draft);
    }
    turn.skipSave = true;
    const result = action === 'm_unsettled' ? await this.deps.mediation.openUnsettledMenu(actor, reportId) : await this.deps.mediation.apply(actor, reportId, { kind: action === 'm_close' ? 'close' : 'continue' });
    turn.say(...presentMediation(turn.t, result));
  }

  private async residentKey(turn: Turn): Promise<string | null> {
    return (await this.deps.residents.find(turn.key)) ? turn.key : null;
  }
}
