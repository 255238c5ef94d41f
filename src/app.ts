import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { ChannelRegistry } from './channels/channel';
import { TelegramBot } from './channels/telegram/telegram-bot';
import { startZalo } from './channels/zalo/start-zalo';
import type { ZaloWebhook } from './channels/zalo/zalo-webhook';
import { TelegramChannel } from './channels/telegram/telegram-channel';
import { WebchatChannel } from './channels/webchat/webchat-channel';
import { registerWebchatRoutes } from './channels/webchat/webchat-routes';
import { loadCatalog } from './config/catalog';
import { loadUnits } from './config/units';
import type { Env } from './config/env';
import { resolveSecrets } from './config/local-secrets';
import { sweepIdleConversations } from './conversation/idle-sweeper';
import { ChatRateLimit } from './conversation/chat-rate-limit';
import { InboundPipeline } from './conversation/inbound-pipeline';
import type { DeadlineService } from './domain/deadlines/deadline-service';
import type { BroadcastDispatcher } from './domain/campaigns/broadcast-dispatcher';
import type { CampaignScheduler } from './domain/campaigns/campaign-scheduler';
import type { DeskDeliveryWorker } from './domain/desks/desk-delivery-worker';
import type { ReporterNotices } from './domain/followup/reporter-notices';
import type { ReportRepository } from './storage/report-repository';
import type { ReceiptGenerator } from './domain/reports/receipt-code';
import { createHttpServer } from './http/server';
import { buildServices } from './services';
import { SCHEDULES, startJobs, type Job } from './jobs';
import { createI18n } from './i18n';
import { moduleLogger, setLogLevel } from './shared/logger';
import { createPiiCipher, derivedPseudonymKey, parseKey, parseKeys } from './shared/pii-cipher';
import { pseudonymKey } from './storage/keyring';
import { sealStoredContent } from './storage/content-migrations';
import { moveDiskFilesToDatabase } from './storage/disk-files-migration';
import { reencryptAll } from './storage/key-rotation';
import { projectRoot } from './shared/project-root';
import { type Database, openDatabase } from './storage/database';
import { ensureFerretdbBinary } from './storage/embedded/ferretdb-binary';
import { sweepRetention, type RetentionPolicy } from './storage/retention';
import { JobRunCoordinator } from './storage/job-run-coordinator';
import { detachExpiredReporters } from './domain/residents/retention';
import { type EmbeddedFerretdb, startEmbeddedFerretdb } from './storage/embedded/ferretdb-process';

const log = moduleLogger('app');

export interface RunningApp {
  url: string;
  database: Database;
  officerInviteCode: string;
  /** Each unit with the code its desk registers with (/trucban <code>). */
  unitInviteCodes: { unitId: string; unitName: string; code: string }[];
  /** Units with no desk at start-up: their cases go to the fallback unit's desk until one registers. */
  unitsWithoutDesk: string[];
  secretsFile: string | null;
  embeddedDatabase: boolean;
  deliveries: DeskDeliveryWorker;
  deadlines: DeadlineService;
  /** Campaign scheduling and sending (callable in tests). */
  scheduler: CampaignScheduler;
  dispatcher: BroadcastDispatcher;
  notices: ReporterNotices;
  /** The reports as the domain reads them (what residents wrote is stored encrypted). */
  reports: ReportRepository;
  pipeline: InboundPipeline;
  /** Every running channel, to reach a chat directly. */
  chats: ChannelRegistry;
  /** The Zalo webhook when the Zalo channel is configured (its recovery round is callable in tests). */
  zalo: ZaloWebhook | null;
  stop(): Promise<void>;
}

export interface AppOverrides {
  clock?: () => Date;
  receiptCodes?: ReceiptGenerator;
}

/** Wires storage → domain services → conversation engine → channels, and starts them. */
export async function startApp(env: Env, overrides: AppOverrides = {}): Promise<RunningApp> {
  setLogLevel(env.LOG_LEVEL);
  const clock = overrides.clock ?? (() => new Date());
  const root = projectRoot();
  const catalog = loadCatalog(path.resolve(root, env.CONFIG_DIR));
  const units = loadUnits(path.resolve(root, env.CONFIG_DIR), catalog);
  const i18n = createI18n(path.join(root, 'locales'));
  const secrets = resolveSecrets(env);
  const dataKey = parseKey(secrets.dataEncryptionKey);
  const previousKeys = parseKeys(env.DATA_ENCRYPTION_PREVIOUS_KEYS, 'DATA_ENCRYPTION_PREVIOUS_KEYS');

  let embedded: EmbeddedFerretdb | null = null;
  let uri = env.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(env.FERRETDB_BIN), dataDir: path.resolve(env.DATA_DIR, 'ferretdb') });
    uri = `${embedded.uri}tinbao`;
  }
  // Production runs on a schema `npm run db:migrate` brought to this version; the local mode migrates at start.
  const database = await openDatabase(uri, undefined, { timeoutMs: env.DATABASE_TIMEOUT_MS, schema: embedded || env.APP_MODE === 'local' ? 'migrate' : 'require' });
  const { models } = database;
  // The oldest key is the one pseudonyms were made with before the keyring kept theirs (a rotation begun at the upgrade).
  const keyCipher = createPiiCipher(dataKey, { previous: previousKeys });
  const cipher = createPiiCipher(dataKey, {
    previous: previousKeys,
    pseudonymKey: await pseudonymKey(models.keyring, keyCipher, derivedPseudonymKey(previousKeys.at(-1) ?? dataKey), clock()),
  });
  await sealStoredContent(models, cipher, clock());

  const channels = new ChannelRegistry();
  const services = buildServices({
    models,
    catalog,
    units,
    translate: (lang) => i18n.forLanguage(lang),
    cipher,
    chats: channels,
    officerInviteCode: secrets.officerInviteCode,
    webchatDesks: env.WEBCHAT_DESKS,
    systemAdmins: env.ADMIN_TELEGRAM_IDS,
    limits: { maxTextLength: env.MAX_TEXT_LENGTH, maxEvidenceFiles: env.MAX_EVIDENCE_FILES, maxEvidenceBytes: env.MAX_EVIDENCE_BYTES },
    idleTimeoutMs: env.CONVERSATION_TTL_HOURS * 3_600_000,
    retentionMonths: env.PRIVACY_RETENTION_MONTHS,
    deliveryIntervalMs: env.DESK_DELIVERY_INTERVAL_MS,
    retryBaseMs: env.DESK_RETRY_BASE_MS,
    clock,
    receiptCodes: overrides.receiptCodes,
    // A slow answer (statistics) goes behind what its chat was sent meanwhile.
    sendInOrder: (address, messages) => pipeline.sendInOrder(address, messages),
    broadcast: {
      perSecond: env.BROADCAST_RATE_PER_SECOND,
      chatIntervalMs: env.BROADCAST_CHAT_INTERVAL_MS,
      groupPerMinute: env.BROADCAST_GROUP_PER_MINUTE,
      concurrency: env.BROADCAST_CONCURRENCY,
      leaseMs: env.BROADCAST_SEND_LEASE_MS,
      idlePollMs: env.BROADCAST_IDLE_POLL_MS,
      zaloPromotion: env.ZALO_PROMOTION,
    },
  });
  await moveDiskFilesToDatabase(path.resolve(env.DATA_DIR, 'evidence'), services.files);
  const { deskT, evidence, reports, desks, store, deliveries, notices, deadlines, engine, scheduler, dispatcher, audience } = services;
  const idleTimeoutMs = env.CONVERSATION_TTL_HOURS * 3_600_000;
  const pipeline = new InboundPipeline(engine, channels, deskT, new ChatRateLimit(env.CHAT_MESSAGES_PER_MINUTE));

  const http = createHttpServer({ trustProxy: env.TRUST_PROXY });
  // Readiness: 503 while the database does not answer (a load balancer stops sending traffic; /healthz says only that the process runs).
  http.get('/readyz', async (_request, reply) =>
    (await database.reachable(2000)) ? reply.send({ status: 'ready' }) : reply.code(503).send({ status: 'database_unreachable' }),
  );
  if (env.WEBCHAT_ENABLED) {
    const webchat = new WebchatChannel(models.webchatMessages, models.webchatFiles, cipher);
    channels.register(webchat);
    await registerWebchatRoutes(http, {
      pipeline,
      channel: webchat,
      desks,
      reports,
      hasCard: async (reportId, deskId) => (await services.deskDeliveries.cardIn(reportId, deskId))?.status === 'sent',
      evidence,
      cipher,
      translate: (lang) => i18n.forLanguage(lang),
      maxUploadBytes: env.MAX_EVIDENCE_BYTES,
      limits: { perSession: env.WEBCHAT_REQUESTS_PER_MINUTE, perAddress: env.WEBCHAT_REQUESTS_PER_MINUTE_PER_ADDRESS },
      deskIdleMs: env.WEBCHAT_DESK_IDLE_MINUTES * 60_000,
      clock,
      local: env.APP_MODE === 'local',
    });
  }

  let telegram: TelegramBot | null = null;
  if (env.TELEGRAM_BOT_TOKEN) {
    telegram = new TelegramBot(
      {
        token: env.TELEGRAM_BOT_TOKEN,
        apiRoot: env.TELEGRAM_API_ROOT,
        webhook: env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET ? { url: env.TELEGRAM_WEBHOOK_URL, secret: env.TELEGRAM_WEBHOOK_SECRET } : null,
        polling: env.TELEGRAM_POLLING,
        callTimeoutMs: env.TELEGRAM_HTTP_TIMEOUT_MS,
      },
      pipeline,
    );
    const bot = telegram.bot;
    channels.register(new TelegramChannel(bot.telegram, () => bot.botInfo?.username ?? null));
    telegram.onRemovedFromChat = (address) => audience.unregisterGroup(engine.keyOf(address)).then(() => undefined);
    telegram.registerWebhookRoute(http);
  }

  const { ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY } = env;
  const zalo =
    ZALO_OA_SECRET_KEY && ZALO_APP_ID && ZALO_APP_SECRET
      ? startZalo({ ...env, ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY }, { models, cipher, channels, pipeline, http, clock })
      : null;

  const address = await http.listen({ host: env.HOST, port: env.PORT });
  if (telegram) await telegram.start();
  deliveries.start();
  const jobs: Job[] = [
    { name: 'idle-conversation-sweep', schedule: SCHEDULES.idleConversationSweep, run: () => sweepIdleConversations({ store, runner: engine.runner, idleTimeoutMs, now: clock() }) },
    { name: 'reporter-notice-retries', schedule: SCHEDULES.reporterNoticeRetries, run: () => notices.flush() },
    { name: 'report-change-sweep', schedule: SCHEDULES.reportChangeSweep, run: () => services.changes.sweep() },
    { name: 'deadline-reminders', schedule: SCHEDULES.deadlineReminders, run: () => deadlines.remind(clock()) },
    { name: 'model-dormancy', schedule: SCHEDULES.modelDormancy, run: () => services.communityModels.flagDormant(env.MODEL_DORMANT_WEEKS, clock()).then(() => undefined) },
    {
      name: 'housekeeping',
      schedule: SCHEDULES.housekeeping,
      run: async () => {
        await sweepRetentionLogged(models, { privacyMonths: env.PRIVACY_RETENTION_MONTHS, auditMonths: env.AUDIT_RETENTION_MONTHS }, clock());
        await detachExpiredReporters(services.reportRepository, env.PRIVACY_RETENTION_MONTHS, clock());
      },
    },
  ];
  // An instance with BROADCAST_WORKER=false neither schedules nor sends campaigns (another instance does).
  if (env.BROADCAST_WORKER) {
    jobs.push({ name: 'campaign-scheduler', schedule: SCHEDULES.campaignScheduler, run: () => scheduler.tick() });
    dispatcher.start();
    void scheduler.tick();
  }
  if (zalo) {
    jobs.push({ name: 'zalo-event-recovery', schedule: SCHEDULES.zaloEventRecovery, run: () => zalo.recover() });
    void zalo.recover();
  }
  // A rotation of the data key in progress: what the previous keys made is moved to the current one, in batches.
  if (previousKeys.length > 0) {
    const rotation = async (): Promise<void> => {
      try {
        const { rewritten, unreadable } = await reencryptAll(models, cipher);
        const files = await evidence.reencrypt();
        if (rewritten === 0 && files === 0 && unreadable === 0) log.info('everything is encrypted with the current DATA_ENCRYPTION_KEY: DATA_ENCRYPTION_PREVIOUS_KEYS can be removed');
        else log.info({ rewritten, files, unreadable }, 're-encryption with the current key in progress');
      } catch (error) {
        log.error({ err: error }, 're-encryption pass failed');
      }
    };
    jobs.push({ name: 'key-rotation', schedule: SCHEDULES.keyRotation, run: rotation });
    void rotation();
  }
  const scheduled = startJobs(jobs, new JobRunCoordinator(models.jobRuns, `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`));

  log.info({ url: address, zalo: Boolean(zalo), telegram: Boolean(telegram), webchat: env.WEBCHAT_ENABLED, embedded: Boolean(embedded) }, 'service started');
  const unitsWithoutDesk = (await desks.unitsWithoutDesk()).map((unit) => unit.name);
  if (unitsWithoutDesk.length > 0) log.warn({ units: unitsWithoutDesk }, 'units without a desk: their cases go to the fallback unit’s desk until they register one');

  let stopped = false;
  return {
    url: address,
    database,
    officerInviteCode: secrets.officerInviteCode,
    unitInviteCodes: units.units.map((unit) => ({ unitId: unit.id, unitName: unit.name, code: desks.inviteCodeFor(unit.id) })),
    unitsWithoutDesk,
    secretsFile: secrets.generatedFile,
    embeddedDatabase: Boolean(embedded),
    deliveries,
    deadlines,
    scheduler,
    dispatcher,
    notices,
    reports: services.reportRepository,
    pipeline,
    chats: channels,
    zalo,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await scheduled.stop();
      telegram?.stop();
      await http.close();
      await zalo?.drain();
      await services.lateReplies.drain();
      await pipeline.drain();
      await deliveries.stop();
      await dispatcher.stop();
      await database.close();
      await embedded?.stop();
    },
  };
}

/** The nightly retention sweep; what it removed goes to the log, and a failure is logged, never thrown out of the job. */
async function sweepRetentionLogged(models: Database['models'], policy: RetentionPolicy, now: Date): Promise<void> {
  try {
    log.info({ removed: await sweepRetention(models, policy, now) }, 'retention sweep done');
  } catch (error) {
    log.error({ err: error }, 'retention sweep failed; the next night retries');
  }
}
