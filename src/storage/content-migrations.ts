import type { Model } from 'mongoose';
import type { ReportDoc } from '../core/report';
import { moduleLogger } from '../shared/logger';
import type { PiiCipher } from '../shared/pii-cipher';
import { insertOnce, replaceById } from './claims';
import type { MigrationDoc } from './models/migration.model';
import type { ReportMessageDoc } from './models/report-message.model';
import { SIGHTINGS_KEPT, type Sighting, type SuspectSightingDoc } from './models/suspect-sighting.model';
import { nativeCollection } from './native-collection';
import { ReportSealing } from './report-sealing';
import { sightingsIdOf } from './suspect-sightings';

const log = moduleLogger('migrations');

type ContentModels = { reports: Model<ReportDoc>; reportMessages: Model<ReportMessageDoc>; suspectSightings: Model<SuspectSightingDoc>; migrations: Model<MigrationDoc> };

/**
 * Brings what residents wrote, stored before it was encrypted, under the
 * data key: reports are sealed (report-sealing.ts), thread messages
 * encrypted, and the suspect index keyed by keyed hashes instead of phone
 * numbers. Each step runs once per database (recorded in `migrations` at its
 * end, so a crash midway is finished by the next start) and before the
 * service serves, so no change is ever written to a report not sealed yet.
 */
export async function sealStoredContent(models: ContentModels, cipher: PiiCipher, now: Date): Promise<void> {
  await once(models.migrations, 'suspect-sightings', now, () => indexSuspectSightings(models, cipher));
  await once(models.migrations, 'suspect-sightings-hashed', now, () => hashSightingIds(models.suspectSightings, cipher));
  await once(models.migrations, 'reports-sealed', now, () => sealReports(models.reports, cipher));
  await once(models.migrations, 'report-messages-encrypted', now, () => encryptMessages(models.reportMessages, cipher));
}

async function once(migrations: Model<MigrationDoc>, name: string, now: Date, run: () => Promise<number>): Promise<void> {
  if (await migrations.exists({ _id: name })) return;
  const changed = await run();
  await insertOnce(migrations, { _id: name, appliedAt: now });
  if (changed > 0) log.info({ migration: name, changed }, 'stored content migrated');
}

/** Tips filed before `suspect_sightings` existed are entered in it, so a new tip is linked to them as it was before. */
async function indexSuspectSightings(models: ContentModels, cipher: PiiCipher): Promise<number> {
  const sealing = new ReportSealing(cipher);
  const byIdentifier = new Map<string, Sighting[]>();
  const reports = nativeCollection(models.reports).find({ 'suspects.identifiers.0': { $exists: true } }, { projection: { code: 1, unitIds: 1, createdAt: 1, suspects: 1, sealed: 1 } });
  for await (const stored of reports) {
    const report = sealing.open(stored);
    for (const identifier of report.suspects?.identifiers ?? []) {
      const id = sightingsIdOf(identifier, cipher.pseudonym);
      byIdentifier.set(id, [...(byIdentifier.get(id) ?? []), { code: report.code ?? '', unitIds: report.unitIds ?? [], at: report.createdAt ?? new Date(0) }]);
    }
  }
  for (const [id, list] of byIdentifier) {
    await replaceById(models.suspectSightings, id, { sightings: list.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, SIGHTINGS_KEPT) });
  }
  return byIdentifier.size;
}

/** Sightings filed under "<type>:<value>" move to the keyed hash of it, merged with any filed there since. */
async function hashSightingIds(sightings: Model<SuspectSightingDoc>, cipher: PiiCipher): Promise<number> {
  let moved = 0;
  // A keyed hash is base64url: it never holds the ":" every identifier in plain has.
  for await (const doc of nativeCollection(sightings).find({})) {
    const separator = doc._id.indexOf(':');
    if (separator < 0) continue;
    const id = sightingsIdOf({ type: doc._id.slice(0, separator), value: doc._id.slice(separator + 1) }, cipher.pseudonym);
    const there = (await sightings.findOne({ _id: id }).lean())?.sightings ?? [];
    const seen = new Set<string>();
    const merged = [...there, ...doc.sightings].sort((a, b) => b.at.getTime() - a.at.getTime()).filter((s) => !seen.has(s.code) && Boolean(seen.add(s.code)));
    await replaceById(sightings, id, { sightings: merged.slice(0, SIGHTINGS_KEPT) });
    await sightings.deleteOne({ _id: doc._id });
    moved += 1;
  }
  return moved;
}

async function sealReports(reports: Model<ReportDoc>, cipher: PiiCipher): Promise<number> {
  const sealing = new ReportSealing(cipher);
  const collection = nativeCollection(reports);
  let sealed = 0;
  for await (const report of collection.find({ sealed: { $ne: true } })) {
    const { _id, ...rest } = sealing.seal(report);
    sealed += (await collection.replaceOne({ _id, sealed: { $ne: true } }, rest)).modifiedCount;
  }
  return sealed;
}

async function encryptMessages(messages: Model<ReportMessageDoc>, cipher: PiiCipher): Promise<number> {
  const collection = nativeCollection(messages);
  let encrypted = 0;
  for await (const message of collection.find({ text: { $type: 'string' } })) {
    encrypted += (await collection.updateOne({ _id: message._id }, { $set: { textEnc: cipher.encrypt(message.text ?? '') }, $unset: { text: '' } })).modifiedCount;
  }
  return encrypted;
}
