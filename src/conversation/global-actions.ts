import type { Catalog } from '../config/catalog';
import type { DeskService } from '../domain/desks/desk-service';
import type { FollowupService } from '../domain/followup/followup-service';
import type { DeadlineService } from '../domain/deadlines/deadline-service';
import type { UnitAdminService } from '../domain/units/unit-admin-service';
import type { ReportService } from '../domain/reports/report-service';
import type { MediationRegister } from '../domain/mediation/mediation-register';
import type { MediationService } from '../domain/mediation/mediation-service';
import type { StatsService } from '../domain/stats/stats-service';
import type { Audience } from '../domain/campaigns/audience';
import type { CampaignService } from '../domain/campaigns/campaign-service';
import type { ResidentService } from '../domain/residents/resident-service';
import { foldVietnamese } from '../shared/text';
import type { CommandName } from './commands';
import type { FlowRunner } from './flow-runner';
import type { ConversationStateStore } from './state-store';
import { consentRequest, forgetConfirmation, languageChoice, mainMenu, statusMessage } from './messages';
import { readyWithin, type LateReplies } from './late-replies';
import type { Turn } from './turn';
import { isLanguage } from '../core/language';
import type { ChatAddress } from '../core/chat';
import { presentMediation } from './presenters/desk-replies';
import { overdueListMessage } from './presenters/overdue-list';
import { presentStats } from './presenters/stats/stats-render';
import { unitListMessage } from './presenters/unit-list';
import { adminActor } from './admin-actor';
import { campaignCommandText, campaignListText } from './presenters/campaign-text';
import { presentRegister } from './presenters/mediation-register-files';

export interface GlobalActionDeps {
  catalog: Catalog;
  store: ConversationStateStore;
  residents: ResidentService;
  reports: ReportService;
  desks: DeskService;
  followups: Pick<FollowupService, 'addFromReporter'>;
  deadlines: Pick<DeadlineService, 'overdueList' | 'extend'>;
  unitAdmin: Pick<UnitAdminService, 'listUnits' | 'setCoverage'>;
  mediation: Pick<MediationService, 'declareConflict'>;
  register: Pick<MediationRegister, 'export'>;
  stats: Pick<StatsService, 'command'>;
  /** Where a slow answer goes once ready, and how long a turn waits for it before saying it is coming. */
  lateReplies: Pick<LateReplies, 'deliver'>;
  lateReplyAfterMs: number;
  audience: Pick<Audience, 'unsubscribe' | 'registerGroup'>;
  campaigns: Pick<CampaignService, 'roleOf' | 'list' | 'command' | 'editable'>;
  isChatAdmin(address: ChatAddress, userId: string): Promise<boolean>;
  retentionMonths: number;
  onDeskRegistered(): void;
  /** Lets channels drop what they keep of a chat (the web chat's transcript) when a resident asks to be forgotten. */
  forgetChannelData(address: ChatAddress): Promise<void>;
}

/** Commands and buttons that work from anywhere, in or out of a flow. */
export class GlobalActions {
  constructor(
    private readonly deps: GlobalActionDeps,
    private readonly runner: FlowRunner,
  ) {}

  async command(turn: Turn, command: CommandName, args: string): Promise<void> {
    switch (command) {
      case 'start':
        return this.start(turn);
      case 'report':
        return this.startFlow(turn, 'tip');
      case 'dispute':
        return this.startFlow(turn, 'dispute');
      case 'register':
        turn.say(...(await presentRegister(turn.t, await this.deps.register.export(this.actor(turn), args, turn.now))));
        return;
      case 'stats':
        return this.stats(turn, args);
      case 'subscribe':
        return this.startFlow(turn, 'subscribe');
      case 'unsubscribe':
        turn.say({ text: turn.t((await this.deps.audience.unsubscribe(turn.key)) ? 'subscribe.stopped' : 'subscribe.not_subscribed') });
        return;
      case 'group':
        return this.registerGroup(turn, args);
      case 'campaign':
        return this.campaign(turn, args);
      case 'conflict':
        turn.say(...presentMediation(turn.t, await this.deps.mediation.declareConflict(this.actor(turn), args)));
        return;
      case 'cancel':
        return this.runner.cancel(turn);
      case 'lookup':
        if (args.trim()) {
          turn.say(statusMessage(turn.t, turn.lang, await this.deps.reports.statusByCode(args), args.trim()));
          return;
        }
        return this.runner.start(turn, 'lookup');
      case 'help':
        turn.say(mainMenu(turn.t, turn.t('help.text')));
        return;
      case 'language':
        turn.say(languageChoice(turn.t));
        return;
      case 'forget':
        turn.say(forgetConfirmation(turn.t));
        return;
      case 'desk':
        return this.registerDesk(turn, args);
      case 'followup':
        return this.followup(turn, args);
      case 'topic': {
        const category = this.deps.catalog.categoryById(args.trim()) ?? this.deps.catalog.matchCategory(args);
        if (!category) {
          turn.say({ text: turn.t('desk.topic_usage', { ids: this.deps.catalog.categories.map((c) => c.id).join(', ') }) });
          return;
        }
        const bound = await this.deps.desks.bindTopic(turn.event.address, turn.event.threadId, category.id);
        turn.say({ text: turn.t(`desk.topic_${bound}`, { category: turn.t(`category.${category.id}`) }) });
        return;
      }
      case 'units':
        turn.say(unitListMessage(turn.t, this.deps.catalog, await this.deps.unitAdmin.listUnits(adminActor(turn.event))));
        return;
      case 'coverage':
        turn.say({ text: turn.t(`admin.coverage_${await this.deps.unitAdmin.setCoverage(adminActor(turn.event), args, turn.now)}`) });
        return;
      case 'overdue':
        turn.say(overdueListMessage(turn.t, await this.deps.deadlines.overdueList(turn.event.address, turn.now)));
        return;
      case 'extend':
        turn.say({ text: turn.t(`deadline.extend_${await this.deps.deadlines.extend(this.actor(turn), args, turn.now)}`) });
        return;
    }
  }

  async button(turn: Turn, action: string, arg: string | null): Promise<void> {
    switch (action) {
      case 'consent':
        return arg === 'yes' ? this.consent(turn) : this.decline(turn);
      case 'lang':
        return this.setLanguage(turn, arg);
      case 'forget':
        return arg === 'yes' ? this.forget(turn) : void turn.say(mainMenu(turn.t, turn.t('forget.kept')));
      case 'followup':
        return arg ? this.startFlow(turn, 'followup', { code: arg }) : this.followup(turn, '');
      case 'menu':
        if (arg === 'report') return this.startFlow(turn, 'tip');
        if (arg === 'dispute') return this.startFlow(turn, 'dispute');
        if (arg === 'subscribe') return this.startFlow(turn, 'subscribe');
        if (arg === 'lookup') return this.command(turn, 'lookup', '');
        if (arg === 'language') return this.command(turn, 'language', '');
        return this.command(turn, 'help', '');
      default:
        turn.say({ text: turn.t('errors.stale_button') });
    }
  }

  /** /nhom <phường> in a group chat: an admin of the group registers it for that ward's campaigns. */
  private async registerGroup(turn: Turn, args: string): Promise<void> {
    const { event } = turn;
    if (!event.isGroup) return void turn.say({ text: turn.t('group.register_in_group') });
    const ward = this.deps.catalog.matchWard(args);
    if (!ward) return void turn.say({ text: turn.t('group.register_usage') });
    if (!event.senderId || !(await this.deps.isChatAdmin(event.address, event.senderId))) return void turn.say({ text: turn.t('group.not_admin') });
    await this.deps.audience.registerGroup(turn.key, event.address, ward.id, event.senderId, turn.now);
    turn.say({ text: turn.t('group.registered', { ward: ward.name }) });
  }

  /** /chiendich: create (no arguments), list ("ds"), figures ("<id>"), or pause/resume/cancel ("<id> tamdung|tieptuc|huy"). */
  private async campaign(turn: Turn, args: string): Promise<void> {
    const { event } = turn;
    const role = await this.deps.campaigns.roleOf({ userId: event.senderId, telegramUserId: adminActor(event).telegramUserId });
    if (role.kind === 'none' || !event.senderId) return void turn.say({ text: turn.t('campaign.not_allowed') });
    const words = args.trim();
    if (!words) return this.runner.start(turn, 'campaign', { mode: role.kind, authorId: event.senderId, chatId: event.address.chatId });
    if (/^(ds|list|danh sach)$/i.test(words)) return void turn.say({ text: campaignListText(turn.t, await this.deps.campaigns.list(event.senderId, role)) });
    const [id, verb, ...more] = words.split(/\s+/);
    if (verb && more.length === 0 && ['sua', 'edit'].includes(foldVietnamese(verb))) return this.editCampaign(turn, role.kind, event.senderId, id);
    turn.say({ text: campaignCommandText(turn.t, await this.deps.campaigns.command(event.senderId, role, words, turn.now)) });
  }

  /** /thongke: the answer in this turn when it is quick; otherwise "coming", and the answer when ready (the chat is not held). */
  private async stats(turn: Turn, args: string): Promise<void> {
    const context = { t: turn.t, lang: turn.lang, catalog: this.deps.catalog };
    const work = this.deps.stats.command({ ...this.actor(turn), userId: turn.event.senderId, isGroup: turn.event.isGroup }, args, turn.now).then((answer) => presentStats(answer, context));
    const ready = await readyWithin(work, this.deps.lateReplyAfterMs);
    if (ready) return void turn.say(...ready);
    turn.say({ text: turn.t('stats.computing') });
    this.deps.lateReplies.deliver(turn.event.address, turn.event.threadId, work, { text: turn.t('errors.internal') });
  }

  /** /chiendich <mã> sua: the creation steps again on the same campaign, each offering to keep what it says now. */
  private async editCampaign(turn: Turn, mode: 'unit_admin' | 'group_admin', userId: string, id: string): Promise<void> {
    const found = await this.deps.campaigns.editable(userId, { kind: mode }, id);
    if (found.kind !== 'ok') return void turn.say({ text: turn.t(`campaign.edit_${found.kind}`, { id: id.toUpperCase() }) });
    const { campaign } = found;
    const schedule = campaign.schedule.kind === 'once' ? { kind: 'once', at: new Date(campaign.schedule.at).toISOString() } : { kind: 'cron', expression: campaign.schedule.expression, until: new Date(campaign.schedule.until).toISOString() };
    turn.say({ text: turn.t('campaign.edit_intro', { id: campaign._id }) });
    await this.runner.start(turn, 'campaign', {
      mode,
      authorId: userId,
      chatId: turn.event.address.chatId,
      editing: { id: campaign._id, messages: campaign.messages.map((m) => ({ text: m.text, image: m.image ?? null })), wards: campaign.audience.wards, schedule, quiet: campaign.quiet },
    });
  }

  /** The officer acting in a desk chat. */
  private actor(turn: Turn): { address: ChatAddress; userId: string; name: string | null } {
    const { event } = turn;
    return { address: event.address, userId: event.senderId ?? event.address.chatId, name: event.senderName };
  }

  /** Starts a flow, asking for consent first when it will store personal data. */
  async startFlow(turn: Turn, flowId: string, draft?: Record<string, unknown>): Promise<void> {
    const flow = this.runner.get(flowId);
    if (flow?.needsConsent && !(await this.deps.residents.find(turn.key))) {
      turn.set({ pendingFlow: flowId });
      turn.say(...consentRequest(turn.t, this.deps.retentionMonths));
      return;
    }
    await this.runner.start(turn, flowId, draft);
  }

  /** /bosung <mã> [nội dung]: adds to one's own tip at once, or asks for what to add. */
  private async followup(turn: Turn, args: string): Promise<void> {
    const [code, ...rest] = args.trim().split(/\s+/);
    if (!code) {
      turn.say({ text: turn.t('followup.usage') });
      return;
    }
    const text = rest.join(' ').trim();
    if (!text) return this.startFlow(turn, 'followup', { code });
    const result = await this.deps.followups.addFromReporter(turn.key, code, { text: text.slice(0, 4000), evidence: null });
    turn.say({ text: turn.t(`followup.${result}`, { code }) });
  }

  private async start(turn: Turn): Promise<void> {
    if (await this.deps.residents.find(turn.key)) {
      turn.say(mainMenu(turn.t, `${turn.t('start.greeting')}\n\n${turn.t('menu.prompt')}`));
      return;
    }
    turn.say(...consentRequest(turn.t, this.deps.retentionMonths));
  }

  private async consent(turn: Turn): Promise<void> {
    await this.deps.residents.recordConsent(turn.key, turn.event.address, turn.lang, turn.now);
    turn.say({ text: turn.t('privacy.accepted') });
    const pending = turn.pendingFlow;
    if (pending) {
      await this.runner.start(turn, pending);
      return;
    }
    turn.say(mainMenu(turn.t));
  }

  private async decline(turn: Turn): Promise<void> {
    turn.set({ pendingFlow: null });
    turn.say({ text: turn.t('privacy.declined') });
  }

  private async setLanguage(turn: Turn, lang: string | null): Promise<void> {
    if (!isLanguage(lang)) {
      turn.say(languageChoice(turn.t));
      return;
    }
    turn.set({ lang });
    await this.deps.residents.setLanguage(turn.key, lang);
    turn.say({ text: turn.t('language.changed') });
    const prompt = this.runner.currentPrompt(turn);
    if (prompt) turn.say(prompt);
  }

  private async forget(turn: Turn): Promise<void> {
    await this.runner.discardDraft(turn);
    const detached = await this.deps.residents.forget(turn.key);
    // Forgetting stops every campaign message too (the subscription held how to reach them).
    await this.deps.audience.unsubscribe(turn.key);
    await this.deps.store.erase(turn.key);
    await this.deps.forgetChannelData(turn.event.address);
    turn.skipSave = true;
    turn.say({ text: turn.t('forget.done', { count: detached }) });
  }

  private async registerDesk(turn: Turn, code: string): Promise<void> {
    if (!code.trim()) {
      turn.say({ text: turn.t('desk.code_missing') });
      return;
    }
    const registration = await this.deps.desks.register(turn.event.address, code, turn.event.senderName, turn.now);
    turn.say({ text: turn.t(`desk.${registration.result}`, registration.result === 'wrong_code' ? {} : { unit: registration.unit.name }) });
    if (registration.result === 'registered') this.deps.onDeskRegistered();
  }
}
