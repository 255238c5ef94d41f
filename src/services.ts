import type { Catalog } from './config/catalog';
import type { UnitDirectory } from './config/units';
import { chatKey } from './conversation/chat-key';
import { ConversationEngine } from './conversation/engine';
import { residentConsent } from './conversation/consent';
import { FlowRunner } from './conversation/flow-runner';
import { CommandRegistry } from './conversation/registry/command-registry';
import { accountFeature } from './conversation/features/account';
import { adminFeature } from './conversation/features/admin';
import { campaignsFeature } from './conversation/features/campaigns';
import { deskFeature } from './conversation/features/desk';
import { mediationFeature } from './conversation/features/mediation';
import { statsFeature } from './conversation/features/stats';
import { tipsFeature } from './conversation/features/tips';
import { FLOW_VERSION, type Limits } from './conversation/flow';
import { LateReplies } from './conversation/late-replies';
import { Audience } from './domain/campaigns/audience';
import { BroadcastDispatcher, type BroadcastOptions } from './domain/campaigns/broadcast-dispatcher';
import { CampaignScheduler } from './domain/campaigns/campaign-scheduler';
import { CampaignService } from './domain/campaigns/campaign-service';
import { TELEGRAM_LIMITS } from './domain/campaigns/rate-limiter';
import { ConversationStateStore } from './storage/conversation-state-store';
import { ReportRepository } from './storage/report-repository';
import { DeskDeliveryRepository } from './storage/desk-delivery-repository';
import { DeadlineService } from './domain/deadlines/deadline-service';
import { onBehalfCard } from './conversation/presenters/on-behalf-note';
import { buildDeskCard } from './conversation/presenters/desk-card';
import type { CardOptions, ShowCard } from './domain/desks/card-options';
import { DeskDeliveryWorker } from './domain/desks/desk-delivery-worker';
import { DeskService } from './domain/desks/desk-service';
import { CaseThreads } from './domain/desks/case-threads';
import { createNotifiers } from './conversation/notifiers';
import { EvidenceStore } from './domain/evidence/evidence-store';
import { FileStore } from './storage/file-store';
import { OriginalRelease } from './domain/evidence/original-release';
import { DisputeIntake } from './domain/mediation/dispute-intake';
import { buildDisputeCard } from './conversation/presenters/dispute-card';
import { MediationService } from './domain/mediation/mediation-service';
import { MediationRegister } from './domain/mediation/mediation-register';
import { StatsScopes } from './domain/stats/stats-scope';
import { StatsService } from './domain/stats/stats-service';
import { FollowupService } from './domain/followup/followup-service';
import { ReporterNotices } from './domain/followup/reporter-notices';
import { ReportChanges } from './domain/triage/report-changes';
import type { ReceiptGenerator } from './domain/reports/receipt-code';
import { ReportService } from './domain/reports/report-service';
import type { PlanDeliveries } from './domain/reports/file-report';
import { SuspectSightings } from './storage/suspect-sightings';
import { ResidentService } from './domain/residents/resident-service';
import { TriageService } from './domain/triage/triage-service';
import { UnitAdminService } from './domain/units/unit-admin-service';
import { ModelService } from './domain/models/model-service';
import { Commendations } from './domain/models/commendations';
import { modelsFeature } from './conversation/features/models';
import { type Translate } from './i18n';
import type { PiiCipher } from './shared/pii-cipher';
import type { Models } from './storage/database';
import type { ChannelName, ChatAddress, OutboundMessage } from './core/chat';
import type { SendFailure } from './core/send-failure';
import { DEFAULT_LANGUAGE, type Language } from './core/language';
import type { ReportDoc } from './core/report';

/** How the services reach chats: the channel registry in the service, a recorder in some tests. */
export interface ChatPort {
  send(address: ChatAddress, messages: OutboundMessage[]): Promise<(string | null)[]>;
  edit(address: ChatAddress, messageRef: string | null, message: OutboundMessage): Promise<void>;
  forgetChat(address: ChatAddress): Promise<void>;
  /** False when a message to this chat would be held for later (Zalo's window); true when unknown. */
  reachableNow?(address: ChatAddress): Promise<boolean>;
  /** What a send error means (rate limit, blocked…); transient when unknown. */
  classifyError?(address: ChatAddress, error: unknown): SendFailure;
  isChatAdmin?(address: ChatAddress, userId: string): Promise<boolean>;
  /** A web address that opens a private chat with the bot on this channel, started with `payload`. */
  startLink?(channel: ChannelName, payload: string): string | null;
}

export interface ServiceOptions {
  models: Models;
  catalog: Catalog;
  units: UnitDirectory;
  translate(lang: Language): Translate;
  cipher: PiiCipher;
  chats: ChatPort;
  officerInviteCode: string;
  /** Whether a web chat may become a desk (WEBCHAT_DESKS); true by default. */
  webchatDesks?: boolean;
  /** Telegram user ids of system admins (ADMIN_TELEGRAM_IDS). */
  systemAdmins: string[];
  limits: Limits;
  idleTimeoutMs: number;
  retentionMonths: number;
  deliveryIntervalMs: number;
  retryBaseMs: number;
  clock: () => Date;
  receiptCodes?: ReceiptGenerator;
  /** Pace of campaign broadcasts (Telegram's limits by default). */
  broadcast?: BroadcastOptions;
  /** Sends a slow answer to a chat behind what that chat was already sent (the inbound pipeline's queue); by default straight to the chat. */
  sendInOrder?: (address: ChatAddress, messages: OutboundMessage[]) => Promise<unknown>;
  /** How long a turn waits for a slow answer (statistics) before saying it is coming; 2 s by default. */
  lateReplyAfterMs?: number;
}

export type Services = ReturnType<typeof buildServices>;

/**
 * Builds the domain services, the flows and the conversation engine on a
 * database and a way to reach chats: the whole product below the channels,
 * wired in one place for the service and the tests alike.
 */
export function buildServices(o: ServiceOptions) {
  const { models, catalog, units, cipher, chats, clock } = o;
  const deskT = o.translate(DEFAULT_LANGUAGE);
  const sendToChat = async (address: ChatAddress, messages: OutboundMessage[]): Promise<void> => void (await chats.send(address, messages));

  const reportRepository = new ReportRepository(models.reports, models.reportActions, cipher);
  const deskDeliveries = new DeskDeliveryRepository(models.deskDeliveries, models.deliveryClaims);
  const files = new FileStore({ files: models.files, chunks: models.fileChunks }, clock);
  const evidence = new EvidenceStore(files, cipher);
  const residents = new ResidentService(models.residents, reportRepository, cipher);
  const desks = new DeskService(models.desks, models.cacheVersions, units, o.officerInviteCode);
  const unitAdmin = new UnitAdminService({ coverage: models.unitCoverage, audit: models.auditLog, versions: models.cacheVersions }, units, catalog, desks, reportRepository, new Set(o.systemAdmins));
  // Cases plan their desk cards through the delivery worker (built below, used only once a case is filed).
  const planDeliveries: PlanDeliveries = (reportId, unitIds, options) => deliveries.plan(reportId, unitIds, options);
  const reports = new ReportService(reportRepository, catalog, units, cipher, () => unitAdmin.coverage(), planDeliveries, new SuspectSightings(models.suspectSightings, cipher.pseudonym), o.receiptCodes);
  const store = new ConversationStateStore(models.conversationStates, models.inbox, cipher, FLOW_VERSION);

  const intake = new DisputeIntake(reportRepository, catalog, units, cipher, () => unitAdmin.coverage(), planDeliveries, o.receiptCodes);
  // In the language of the desk that will see it; a case that came by a forward carries its exchange with the reporter.
  const renderCard = async (report: ReportDoc, options?: CardOptions): Promise<OutboundMessage> => {
    const thread = report.forwards.length > 0 && !options?.onBehalfOf ? await followups.threadOf(report._id) : undefined;
    return drawCard(report, { ...options, thread });
  };
  const drawCard = (report: ReportDoc, options?: CardOptions) => {
    const t = o.translate(options?.lang ?? DEFAULT_LANGUAGE);
    const forOthers = options?.onBehalfOf ?? null;
    const drawn = { ...options, viewerUnitId: forOthers ? undefined : options?.viewerUnitId };
    const card =
      report.kind === 'dispute'
        ? buildDisputeCard(report, intake.partiesOf(report), { catalog, units, t }, drawn)
        : buildDeskCard(report, reports.contactOf(report), { catalog, units, t, evidence }, drawn);
    return forOthers ? onBehalfCard(card, report, forOthers, units, t) : card;
  };
  const showCard: ShowCard = async (address, messageRef, report, options) => {
    const { text, buttons } = await renderCard(report, options);
    await chats.edit(address, messageRef, { text, buttons });
  };
  const deliveries = new DeskDeliveryWorker(
    { reports: reportRepository, deliveries: deskDeliveries },
    desks,
    renderCard,
    async (address, message) => (await chats.send(address, [message]))[0],
    { intervalMs: o.deliveryIntervalMs, retryBaseMs: o.retryBaseMs },
    clock,
  );
  const notices = new ReporterNotices(
    { notices: models.reporterNotices, claims: models.deliveryClaims },
    residents,
    cipher,
    sendToChat,
    { retryBaseMs: o.retryBaseMs },
    clock,
  );
  const { tellReporter, tellDesk } = createNotifiers({ residents, notices, translate: o.translate, evidence, send: chats.send.bind(chats) });
  const threads = new CaseThreads(deskDeliveries, desks, tellDesk);

  const triage: TriageService = new TriageService(
    { reports: reportRepository, deliveries: deskDeliveries, audit: models.auditLog },
    desks,
    units,
    { showCard },
    // Built below; called only once an officer acts.
    { write: (report, update, owed) => changes.write(report, update, owed) },
    clock,
  );
  const changes: ReportChanges = new ReportChanges(
    { reports: reportRepository, changes: models.reportChanges, audit: models.auditLog, messages: models.reportMessages },
    cipher,
    {
      refreshCards: (report) => triage.refreshCards(report),
      onForwarded: async (reportId, unitIds) => {
        await deliveries.plan(reportId, unitIds);
        deliveries.poke();
      },
      tellReporter,
    },
    clock,
  );
  const mediation = new MediationService(
    { reports: reportRepository, deliveries: deskDeliveries },
    triage,
    intake,
    units,
    catalog.disputes.deadlines.startDays,
    { showCard },
    changes,
    clock,
  );
  const register = new MediationRegister({ reports: reportRepository, audit: models.auditLog }, desks, units, catalog, (report) => intake.partiesOf(report));
  const stats = new StatsService(
    { reports: reportRepository, campaigns: models.campaigns, runs: models.campaignRuns, outcomes: models.broadcastOutcomes, audit: models.auditLog, snapshots: models.statsSnapshots, communityModels: models.communityModels, modelActivities: models.modelActivities },
    new StatsScopes(desks, units, new Set(o.systemAdmins)),
    catalog,
  );
  const followups = new FollowupService(
    { reports: reportRepository, messages: models.reportMessages, audit: models.auditLog },
    desks,
    units,
    residents,
    threads,
    {
      tellReporter,
      reporterReachableNow: async (residentKey) => {
        const address = await residents.address(residentKey);
        return !address || !chats.reachableNow || chats.reachableNow(address);
      },
    },
    cipher,
    changes,
    clock,
  );
  const deadlines = new DeadlineService(
    { reports: reportRepository, reminders: models.reminders, audit: models.auditLog },
    desks,
    catalog,
    threads,
    units,
    (reportId, fromUnitIds, toUnitId) => deliveries.escalate(reportId, fromUnitIds, toUnitId),
  );

  const audience = new Audience({ subscriptions: models.subscriptions, groups: models.broadcastGroups }, residents, cipher);
  const campaigns = new CampaignService({ campaigns: models.campaigns, runs: models.campaignRuns, outcomes: models.broadcastOutcomes }, audience, units, new Set(o.systemAdmins), cipher);
  const dispatcher = new BroadcastDispatcher(
    dispatcherModels(models),
    audience,
    {
      send: (address, message) => chats.send(address, [message]),
      classify: (address, error) => chats.classifyError?.(address, error) ?? { kind: 'transient' },
      reachableNow: (address) => chats.reachableNow?.(address) ?? Promise.resolve(true),
      attachment: (image) => evidence.attachment(image),
    },
    o.broadcast ?? { ...TELEGRAM_LIMITS, concurrency: 32 },
    clock,
  );
  const scheduler = new CampaignScheduler(
    { campaigns: models.campaigns, marks: models.campaignMarks, runs: models.campaignRuns, deliveries: models.broadcastDeliveries, subscriptions: models.subscriptions, groups: models.broadcastGroups, leases: models.leases },
    () => dispatcher.poke(),
    clock,
  );

  const communityModels = new ModelService(
    { communityModels: models.communityModels, modelMembers: models.modelMembers, modelActivities: models.modelActivities, leases: models.leases, auditLog: models.auditLog, broadcastGroups: models.broadcastGroups },
    (admin) => unitAdmin.managedUnits(admin),
    cipher,
    (modelId) => reportRepository.tipsOfModel(modelId),
  );

  const lateReplies = new LateReplies(o.sendInOrder ?? ((address, messages) => chats.send(address, messages)));
  const consent = residentConsent(residents, o.retentionMonths);
  const features = [
    accountFeature({ residents, consent, audience, forgetChannelData: (address) => chats.forgetChat(address), desks, units, catalog, models: communityModels }),
    tipsFeature({ reports, followups, evidence, onTipFiled: () => deliveries.poke(), keyOf: (address) => chatKey(cipher, address), modelOf: (residentKey) => communityModels.modelOf(residentKey) }),
    modelsFeature({ models: communityModels, catalog, commendations: new Commendations(reportRepository, communityModels, notices, (address, messages) => chats.send(address, messages), cipher, models.auditLog), translate: o.translate, startLink: (channel, payload) => chats.startLink?.(channel, payload) ?? null }),
    mediationFeature({ mediation, register, triage, intake, onFiled: () => deliveries.poke() }),
    deskFeature({ catalog, units, desks, triage, followups, deadlines, onDeskRegistered: (unitId) => deliveries.catchUp(unitId), webchatDesks: o.webchatDesks ?? true }),
    statsFeature({ stats, catalog, lateReplies, lateReplyAfterMs: o.lateReplyAfterMs ?? 2000 }),
    campaignsFeature({ catalog, audience, campaigns, evidence, models: communityModels, isChatAdmin: (address, userId) => chats.isChatAdmin?.(address, userId) ?? Promise.resolve(false) }),
    adminFeature({ catalog, unitAdmin, originals: new OriginalRelease(reportRepository, unitAdmin, models.auditLog), evidence }),
  ];
  const runner = new FlowRunner(
    features.flatMap((f) => f.flows),
    { catalog, limits: o.limits, consent },
  );
  const engine = new ConversationEngine({
    store,
    runner,
    registry: new CommandRegistry(features),
    consent,
    cipher,
    translate: o.translate,
    idleTimeoutMs: o.idleTimeoutMs,
    clock,
    groupModel: async (groupKey) => {
      const modelId = await audience.modelOfGroup(groupKey);
      const model = modelId ? await communityModels.byId(modelId) : null;
      return model && model.status !== 'dissolved' ? { code: model.code, name: model.name } : null;
    },
    startLink: (channel, payload) => chats.startLink?.(channel, payload) ?? null,
  });

  return { communityModels, reportRepository, deskDeliveries, deskT, files, evidence, residents, reports, intake, mediation, stats, audience, campaigns, scheduler, dispatcher, desks, unitAdmin, store, deliveries, notices, changes, triage, followups, deadlines, lateReplies, engine };
}

/** The collections the broadcast dispatcher works on. */
export function dispatcherModels(models: Models): ConstructorParameters<typeof BroadcastDispatcher>[0] {
  return {
    runs: models.campaignRuns,
    deliveries: models.broadcastDeliveries,
    outcomes: models.broadcastOutcomes,
    retries: models.broadcastRetries,
    campaigns: models.campaigns,
    claims: models.deliveryClaims,
    senders: models.broadcastSenders,
    promotionDays: models.broadcastPromotionDays,
  };
}
