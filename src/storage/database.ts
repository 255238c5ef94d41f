import mongoose, { type Connection } from 'mongoose';
import { AppError } from '../shared/errors';
import { moduleLogger } from '../shared/logger';
import { auditLogModel } from './models/audit-log.model';
import { reportActionModel } from './models/report-action.model';
import { keyringModel } from './models/keyring.model';
import { reportChangeModel } from './models/report-change.model';
import { conversationStateModel } from './models/conversation-state.model';
import { deskDeliveryModel } from './models/desk-delivery.model';
import { deliveryClaimModel } from './models/delivery-claim.model';
import { deskModel } from './models/desk.model';
import { inboxModel } from './models/inbox.model';
import { leaseModel } from './models/lease.model';
import { jobRunModel } from './models/job-run.model';
import { fileChunkModel, storedFileModel } from './models/stored-file.model';
import { migrationModel } from './models/migration.model';
import { cacheVersionModel } from './models/cache-version.model';
import { suspectSightingModel } from './models/suspect-sighting.model';
import { migrateVersionedStates, scheduleReminders } from './migrations';
import { watchDriverMonitor } from './driver-watchdog';
import { migrateSchema, requireSchema } from './schema';
import { reportMessageModel } from './models/report-message.model';
import { reportModel } from './models/report.model';
import { statsSnapshotModel } from './models/stats-snapshot.model';
import { reminderModel } from './models/reminder.model';
import { reporterNoticeModel } from './models/reporter-notice.model';
import { unitCoverageModel } from './models/unit-coverage.model';
import { residentModel } from './models/resident.model';
import { webchatFileModel } from './models/webchat-file.model';
import { webchatMessageModel } from './models/webchat-message.model';
import { zaloTokenModel } from './models/zalo-token.model';
import { zaloEventModel } from './models/zalo-event.model';
import { zaloContactModel } from './models/zalo-contact.model';
import { zaloHeldMessageModel } from './models/zalo-held-message.model';
import { campaignModel } from './models/campaign.model';
import { campaignRunModel } from './models/campaign-run.model';
import { campaignMarkModel } from './models/campaign-mark.model';
import { subscriptionModel } from './models/subscription.model';
import { broadcastGroupModel } from './models/broadcast-group.model';
import { broadcastDeliveryModel } from './models/broadcast-delivery.model';
import { broadcastOutcomeModel } from './models/broadcast-outcome.model';
import { broadcastRetryModel } from './models/broadcast-retry.model';
import { broadcastSenderModel } from './models/broadcast-sender.model';
import { broadcastPromotionDayModel } from './models/broadcast-promotion-day.model';
import { communityModelModel } from './models/community-model.model';
import { modelMemberModel } from './models/model-member.model';
import { modelActivityModel } from './models/model-activity.model';

const log = moduleLogger('database');

export type Models = ReturnType<typeof bindModels>;

function bindModels(connection: Connection) {
  return {
    conversationStates: conversationStateModel(connection),
    inbox: inboxModel(connection),
    residents: residentModel(connection),
    reports: reportModel(connection),
    desks: deskModel(connection),
    deskDeliveries: deskDeliveryModel(connection),
    deliveryClaims: deliveryClaimModel(connection),
    leases: leaseModel(connection),
    jobRuns: jobRunModel(connection),
    files: storedFileModel(connection),
    fileChunks: fileChunkModel(connection),
    webchatMessages: webchatMessageModel(connection),
    webchatFiles: webchatFileModel(connection),
    auditLog: auditLogModel(connection),
    reportActions: reportActionModel(connection),
    reportChanges: reportChangeModel(connection),
    keyring: keyringModel(connection),
    reportMessages: reportMessageModel(connection),
    reminders: reminderModel(connection),
    reporterNotices: reporterNoticeModel(connection),
    unitCoverage: unitCoverageModel(connection),
    statsSnapshots: statsSnapshotModel(connection),
    zaloTokens: zaloTokenModel(connection),
    zaloEvents: zaloEventModel(connection),
    zaloContacts: zaloContactModel(connection),
    zaloHeld: zaloHeldMessageModel(connection),
    subscriptions: subscriptionModel(connection),
    broadcastGroups: broadcastGroupModel(connection),
    campaigns: campaignModel(connection),
    campaignRuns: campaignRunModel(connection),
    campaignMarks: campaignMarkModel(connection),
    broadcastDeliveries: broadcastDeliveryModel(connection),
    broadcastOutcomes: broadcastOutcomeModel(connection),
    broadcastRetries: broadcastRetryModel(connection),
    broadcastSenders: broadcastSenderModel(connection),
    broadcastPromotionDays: broadcastPromotionDayModel(connection),
    migrations: migrationModel(connection),
    cacheVersions: cacheVersionModel(connection),
    suspectSightings: suspectSightingModel(connection),
    communityModels: communityModelModel(connection),
    modelMembers: modelMemberModel(connection),
    modelActivities: modelActivityModel(connection),
  };
}

export interface Database {
  connection: Connection;
  models: Models;
  /** Whether the server answers a ping within `timeoutMs` (readiness). */
  reachable(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** The driver's defaults but for connectTimeoutMS (30 s): a heartbeat to a server that does not answer fails within 10 s. */
const CONNECT_TIMEOUT_MS = 10_000;
const HEARTBEAT_MS = 10_000;

/**
 * Connects and makes sure the schema is the one this code knows (collections
 * and indexes, storage/schema.ts): `schema: 'migrate'` (the default, and the
 * local mode) brings it there; `'require'` (production) refuses to start on
 * any other version, naming `npm run db:migrate`. Then the start-up data
 * migrations run.
 */
export async function openDatabase(uri: string, dbName?: string, options: { timeoutMs?: number; schema?: 'migrate' | 'require' } = {}): Promise<Database> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connection = mongoose.createConnection(uri, {
    dbName,
    // How long an operation waits for an unreachable server before it fails (and the update it serves is refused, to be delivered again).
    serverSelectionTimeoutMS: timeoutMs,
    // Bounds a heartbeat: the watchdog below takes a longer one for a stuck monitor.
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    // Every write here comes before an answer that relies on it (a receipt, "sent", an officer's confirmation, a claim another instance
    // reads back): acknowledged only once on a majority of the replica set and in its journal, so a failover cannot take back what a
    // resident or officer was told. Claims are read back from the primary. A write cut by a failover is retried once by the driver.
    // FerretDB (one node) accepts the same options.
    writeConcern: { w: 'majority', journal: true },
    readPreference: 'primary',
    retryWrites: true,
    heartbeatFrequencyMS: HEARTBEAT_MS,
    autoIndex: false,
    autoCreate: false,
  });
  try {
    await connection.asPromise();
  } catch (error) {
    throw new AppError('database_unavailable', `Cannot connect to MongoDB at ${redact(uri)}: ${(error as Error).message}`);
  }
  const models = bindModels(connection);
  try {
    const schema = { all: Object.values(models), migrations: models.migrations, reports: models.reports };
    if ((options.schema ?? 'migrate') === 'migrate') await migrateSchema(connection, schema);
    else await requireSchema(schema);
  } catch (error) {
    await connection.close();
    throw error;
  }
  await migrateVersionedStates(models, new Date());
  await scheduleReminders(models, new Date());
  log.info({ uri: redact(uri), db: connection.name }, 'database ready');
  const reachable = async (pingTimeoutMs: number): Promise<boolean> => {
    const ping = connection.db?.admin().ping().then(() => true, () => false) ?? Promise.resolve(false);
    const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), pingTimeoutMs).unref());
    return Promise.race([ping, late]);
  };
  const watchdog = watchDriverMonitor(connection, CONNECT_TIMEOUT_MS + HEARTBEAT_MS + 5_000);
  return {
    connection,
    models,
    reachable,
    close: async () => {
      watchdog.stop();
      await connection.close();
    },
  };
}

function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
