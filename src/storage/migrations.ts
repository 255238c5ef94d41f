import { moduleLogger } from '../shared/logger';
import { insertOnce, replaceById } from './claims';
import type { Model } from 'mongoose';
import type { MigrationDoc } from './models/migration.model';
import type { ReportDoc } from '../core/report';
import type { ConversationStateDoc } from './models/conversation-state.model';
import { nativeCollection } from './native-collection';

const log = moduleLogger('migrations');

/**
 * Conversation states used to be one document per version ("<key>#<n>",
 * found by `key`); now each chat has one document under `_id` = key. Keeps
 * each chat's latest version as its document and removes the rest. Runs
 * once per database (recorded in `migrations`); a crash midway is finished
 * by the next start, since the migration is recorded only at its end.
 */
export async function migrateVersionedStates(models: { conversationStates: Model<ConversationStateDoc>; migrations: Model<MigrationDoc> }, now: Date): Promise<void> {
  const name = 'conversation-states-by-key';
  if (await models.migrations.exists({ _id: name })) return;
  const states = nativeCollection(models.conversationStates);
  const latest = new Map<string, ConversationStateDoc>();
  const old: string[] = [];
  for await (const doc of states.find({ key: { $exists: true } })) {
    old.push(doc._id);
    const key = doc.key as string;
    const seen = latest.get(key);
    if (!seen || seen.version < doc.version) latest.set(key, doc);
  }
  for (const [key, doc] of latest) {
    const { key: _key, _id: _versionId, ...head } = doc;
    await replaceById(models.conversationStates, key, head);
  }
  for (const id of old) await states.deleteOne({ _id: id });
  await states.dropIndex('key_1_version_-1').catch(() => undefined);
  await insertOnce(models.migrations, { _id: name, appliedAt: now });
  if (old.length > 0) log.info({ chats: latest.size, versions: old.length }, 'conversation states moved to one document per chat');
}

/**
 * Cases filed before reminders were driven by `deadlines.remindAt` get one:
 * open cases are looked at by the next reminder run (reminders already sent
 * are not sent again: each is claimed once), closed ones never. Runs once
 * per database.
 */
export async function scheduleReminders(models: { reports: Model<ReportDoc>; migrations: Model<MigrationDoc> }, now: Date): Promise<void> {
  const name = 'reminder-cursor';
  if (await models.migrations.exists({ _id: name })) return;
  const reports = nativeCollection(models.reports);
  const unset = { 'deadlines.remindAt': { $exists: false } };
  const open = await reports.updateMany({ ...unset, status: { $ne: 'closed' } }, { $set: { 'deadlines.remindAt': now } });
  await reports.updateMany(unset, { $set: { 'deadlines.remindAt': null } });
  await insertOnce(models.migrations, { _id: name, appliedAt: now });
  if (open.modifiedCount > 0) log.info({ cases: open.modifiedCount }, 'open cases scheduled for the reminder job');
}
