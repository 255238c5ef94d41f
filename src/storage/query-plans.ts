import type { Models } from './database';

/** One query the service runs often, in the shape it runs it (values are placeholders; the plan depends on the shape). */
export interface HotQuery {
  name: string;
  collection: keyof Models;
  filter: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
  limit?: number;
}

const NOW = new Date('2026-12-01T00:00:00Z');
const WEEK_AGO = new Date('2026-11-24T00:00:00Z');

/**
 * The hot queries, named after the code that runs them: what `npm run
 * db:explain` explains, and what must be served by an index on MongoDB.
 * When a query's shape changes in the code, change it here too.
 */
export const HOT_QUERIES: HotQuery[] = [
  { name: 'ReportRepository.byCode (/tracuu, buttons)', collection: 'reports', filter: { code: 'TB-ABCDEF' } },
  { name: 'ReportRepository.submitted (idempotent filing)', collection: 'reports', filter: { submissionKey: 'k' } },
  { name: 'ReportRepository.streamReceived, one unit (/thongke)', collection: 'reports', filter: { $or: [{ unitIds: 'cap-p4', createdAt: { $gte: WEEK_AGO, $lt: NOW } }, { 'forwards.fromUnitId': 'cap-p4', createdAt: { $gte: WEEK_AGO, $lt: NOW } }] } },
  { name: 'ReportRepository.streamReceived, every unit', collection: 'reports', filter: { createdAt: { $gte: WEEK_AGO, $lt: NOW } } },
  { name: 'ReportRepository.nearDeadlinesOf (/quahan): acceptance', collection: 'reports', filter: { unitIds: 'cap-p4', status: 'received', 'deadlines.ackDueAt': { $lte: NOW } }, sort: { 'deadlines.ackDueAt': 1 }, limit: 500 },
  {
    name: 'ReportRepository.nearDeadlinesOf (/quahan): outcome',
    collection: 'reports',
    filter: { unitIds: 'cap-p4', status: { $in: ['received', 'accepted', 'assigned'] }, 'deadlines.outcomeDueAt': { $lte: NOW } },
    sort: { 'deadlines.outcomeDueAt': 1 },
    limit: 500,
  },
  { name: 'ReportRepository.remindersDue (deadline job)', collection: 'reports', filter: { 'deadlines.remindAt': { $lte: NOW } }, sort: { 'deadlines.remindAt': 1 }, limit: 200 },
  { name: 'ReportRepository.awaitingAcceptanceBy (new desk)', collection: 'reports', filter: { unitIds: 'cap-p4', status: 'received' }, sort: { createdAt: 1 } },
  { name: 'ReportRepository.filedBy (/tracuu without a code)', collection: 'reports', filter: { 'reporter.residentKey': 'k' }, sort: { createdAt: -1 }, limit: 10 },
  { name: 'ReportRepository.holdingEvidence (web chat file)', collection: 'reports', filter: { 'evidence.id': 'e' } },
  { name: 'ReportRepository.disputesReceived (/sohoagiai)', collection: 'reports', filter: { kind: 'dispute', unitIds: 'hg-p4', createdAt: { $gte: WEEK_AGO, $lt: NOW } }, sort: { createdAt: 1 }, limit: 1000 },
  { name: 'ReportRepository.detachClosedBefore (retention)', collection: 'reports', filter: { closedAt: { $ne: null, $lt: WEEK_AGO }, reporter: { $ne: null } } },
  { name: 'DeskDeliveryRepository.due (delivery worker)', collection: 'deskDeliveries', filter: { status: 'pending', nextAttemptAt: { $lte: NOW } }, sort: { urgent: -1, nextAttemptAt: 1 }, limit: 50 },
  { name: 'DeskDeliveryRepository.sentFor (notices, card refresh)', collection: 'deskDeliveries', filter: { reportId: 'r', status: 'sent' } },
  { name: 'ReporterNotices.flush', collection: 'reporterNotices', filter: { status: 'pending', nextAttemptAt: { $lte: NOW } }, sort: { nextAttemptAt: 1 }, limit: 50 },
  { name: 'FollowupService thread (desk ↔ reporter)', collection: 'reportMessages', filter: { reportId: 'r' }, sort: { at: -1 }, limit: 20 },
  { name: 'Audit trail of a case', collection: 'auditLog', filter: { reportId: 'r' }, sort: { at: 1 } },
  { name: 'CampaignScheduler: subscribers of a ward and topic', collection: 'subscriptions', filter: { wardId: 'q3-p4', topics: 'scams' }, sort: { _id: 1 } },
  { name: 'CampaignScheduler: subscribers of a topic, every ward', collection: 'subscriptions', filter: { topics: 'scams' }, sort: { _id: 1 } },
  { name: 'BroadcastDispatcher: a run’s recipients after the last done', collection: 'broadcastDeliveries', filter: { runId: 'run', _id: { $gt: 'run|a' } }, sort: { _id: 1 }, limit: 500 },
  { name: 'BroadcastDispatcher: retries left in a run', collection: 'broadcastRetries', filter: { runId: 'run' } },
  { name: 'BroadcastDispatcher: retries due', collection: 'broadcastRetries', filter: { dueAt: { $lte: NOW } }, sort: { dueAt: 1 }, limit: 500 },
  { name: 'BroadcastDispatcher: runs being sent', collection: 'campaignRuns', filter: { status: 'sending' } },
  { name: 'CampaignService.figures: the last runs', collection: 'campaignRuns', filter: { campaignId: 'CD-ABCDEF' }, sort: { fireAt: -1 }, limit: 10 },
  { name: 'CampaignService.figures: their outcomes', collection: 'broadcastOutcomes', filter: { runId: { $in: ['run-1', 'run-2'] } } },
  { name: 'StatsService.campaignFigures: runs of a period', collection: 'campaignRuns', filter: { fireAt: { $gte: WEEK_AGO, $lt: NOW } } },
  {
    name: 'ZaloWebhook.recover: events to retry',
    collection: 'zaloEvents',
    filter: { status: 'pending', $or: [{ retryAt: { $lte: NOW } }, { retryAt: { $exists: false }, receivedAt: { $lt: WEEK_AGO } }] },
    sort: { retryAt: 1 },
    limit: 100,
  },
  { name: 'WebchatChannel: a page’s new messages', collection: 'webchatMessages', filter: { chatKey: 'k', seq: { $gt: 10 } }, sort: { seq: 1 }, limit: 100 },
  { name: 'ZaloChannel: messages held for a follower', collection: 'zaloHeld', filter: { contactKey: 'k' }, sort: { createdAt: 1 } },
  { name: 'Conversation turn: a chat’s state', collection: 'conversationStates', filter: { _id: 'k' } },
  { name: 'Conversation turn: the event claim', collection: 'inbox', filter: { _id: 'telegram:1' } },
  { name: 'FileStore.get: a chunk', collection: 'fileChunks', filter: { _id: 'blob:0' } },
];

/** What the server says it would do for one hot query. */
export interface QueryPlan {
  name: string;
  collection: string;
  /** MongoDB: the plan's stages, e.g. ["FETCH", "IXSCAN reportId_1_at_1"]. FerretDB v1: what it pushed down to SQLite. */
  stages: string[];
  /** MongoDB: every leaf reads an index (IXSCAN, IDHACK, EXPRESS_*). FerretDB: the filter was pushed down. */
  indexed: boolean;
}

/** Explains every hot query on the connected server. */
export async function explainHotQueries(models: Models): Promise<QueryPlan[]> {
  const plans: QueryPlan[] = [];
  for (const query of HOT_QUERIES) {
    const model = models[query.collection];
    let cursor = model.collection.find(query.filter);
    if (query.sort) cursor = cursor.sort(query.sort);
    if (query.limit) cursor = cursor.limit(query.limit);
    const explained = (await cursor.explain('queryPlanner')) as ExplainOutput;
    plans.push({ name: query.name, collection: model.collection.collectionName, ...summarize(explained) });
  }
  return plans;
}

interface PlanStage {
  stage?: string;
  indexName?: string;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
  queryPlan?: PlanStage;
}

interface ExplainOutput {
  queryPlanner?: { winningPlan?: PlanStage; Plan?: string[] };
  filterPushdown?: boolean;
  sortPushdown?: boolean;
}

function summarize(explained: ExplainOutput): { stages: string[]; indexed: boolean } {
  const winning = explained.queryPlanner?.winningPlan;
  if (!winning) {
    // FerretDB v1: no MongoDB plan; it says whether the filter (and sort) went to SQLite.
    const stages = [`filterPushdown=${String(explained.filterPushdown)}`, `sortPushdown=${String(explained.sortPushdown)}`, ...(explained.queryPlanner?.Plan ?? [])];
    return { stages, indexed: explained.filterPushdown === true };
  }
  const stages: string[] = [];
  const leaves: string[] = [];
  const walk = (node: PlanStage): void => {
    const stage = node.stage ?? '?';
    stages.push(node.indexName ? `${stage} ${node.indexName}` : stage);
    const children = [...(node.inputStage ? [node.inputStage] : []), ...(node.inputStages ?? []), ...(node.queryPlan ? [node.queryPlan] : [])];
    if (children.length === 0) leaves.push(stage);
    children.forEach(walk);
  };
  walk(winning);
  return { stages, indexed: leaves.length > 0 && leaves.every((leaf) => leaf === 'IXSCAN' || leaf === 'IDHACK' || leaf.startsWith('EXPRESS')) };
}
