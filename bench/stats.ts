/**
 * How long period statistics take as reports pile up, against the embedded
 * FerretDB (or BENCH_MONGODB_URI).
 *
 *   npm run bench:stats -- [sizes=10000,100000]
 *
 * Seeds reports of 2026 (tips of every category and channel across the
 * units, a tenth of them disputes; accepted, assessed, closed, forwarded and
 * extended in realistic shares, with a 300-character description each) up to
 * each size in turn, then times, three times each: one ward police unit's
 * six-month review (figures only), every unit's year, and the whole /thongke
 * answer for the unit (figures, CSV, .xlsx and the PNG chart); and for an
 * ended period (last month) the first request, which reads the reports, and
 * a repeat, answered from the figures kept then; and, for scale, one read
 * of every report keeping only ids. Prints the median of each and the
 * process's peak RSS.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { loadCatalog } from '../src/config/catalog';
import { loadUnits } from '../src/config/units';
import { renderStats } from '../src/conversation/presenters/stats/stats-render';
import { StatsScopes } from '../src/domain/stats/stats-scope';
import { StatsService } from '../src/domain/stats/stats-service';
import { createI18n } from '../src/i18n';
import { setLogLevel } from '../src/shared/logger';
import { projectRoot } from '../src/shared/project-root';
import { parseStatsPeriod } from '../src/shared/vietnam-period';
import { openDatabase } from '../src/storage/database';
import { ensureFerretdbBinary } from '../src/storage/embedded/ferretdb-binary';
import { startEmbeddedFerretdb } from '../src/storage/embedded/ferretdb-process';
import { OUTCOMES, type HistoryStatus, type ReportDoc } from '../src/core/report';
import { ReportRepository } from '../src/storage/report-repository';
import { createPiiCipher } from '../src/shared/pii-cipher';

const HOUR = 3_600_000;
const YEAR_START = Date.UTC(2025, 11, 31, 17);
const YEAR_MS = 365 * 24 * HOUR;
const TIP_UNITS = ['cap-p4', 'cap-p9', 'cap-vts', 'q3-drugs', 'q3-duty'];
const CHANNELS = ['telegram', 'telegram', 'zalo', 'webchat'];

/** A deterministic pseudo-random stream, so every run seeds the same reports. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function makeReport(n: number, rand: () => number, catalog: ReturnType<typeof loadCatalog>): ReportDoc {
  const dispute = rand() < 0.1;
  const createdAt = new Date(YEAR_START + Math.floor(rand() * YEAR_MS));
  const at = (hours: number) => new Date(createdAt.getTime() + hours * HOUR);
  const category = dispute ? catalog.disputes.kinds[Math.floor(rand() * catalog.disputes.kinds.length)].id : catalog.categories[Math.floor(rand() * catalog.categories.length)].id;
  const history: { status: HistoryStatus; at: Date }[] = [{ status: 'received', at: createdAt }];
  const accepted = rand() < 0.8;
  const closed = accepted && rand() < 0.6;
  const forwarded = rand() < 0.05;
  let units = dispute ? [rand() < 0.5 ? 'hg-p4' : 'hg-p9'] : [TIP_UNITS[Math.floor(rand() * TIP_UNITS.length)]];
  const forwards = forwarded ? [{ fromUnitId: units[0], toUnitId: dispute ? (units[0] === 'hg-p4' ? 'hg-p9' : 'hg-p4') : 'q3-duty', reason: 'thẩm quyền', by: 'bench', at: at(1) }] : [];
  if (forwarded) {
    history.push({ status: 'forwarded', at: at(1) });
    units = [forwards[0].toUnitId];
  }
  if (accepted) history.push({ status: dispute ? 'assigned' : 'accepted', at: at(2 + rand() * 40) });
  if (dispute && accepted) history.push({ status: rand() < 0.6 ? 'settled' : 'not_settled', at: at(100 + rand() * 200) });
  if (closed) history.push({ status: 'closed', at: at(48 + rand() * 400) });
  const assessment = accepted && rand() < 0.7 ? (rand() < 0.35 ? 'valuable' : 'not_valuable') : null;
  return {
    _id: randomUUID(),
    code: `TB-B${String(n).padStart(7, '0')}`,
    kind: dispute ? 'dispute' : 'tip',
    category,
    group: dispute ? 'other' : (catalog.categoryById(category)?.group ?? 'other'),
    description: 'Người dân phản ánh có nhóm thanh niên tụ tập, nghi mua bán trái phép chất ma túy tại khu vực đầu hẻm vào khoảng 22 giờ hằng đêm; có xe máy không biển số ra vào nhiều lần, người dân khu phố lo ngại về an ninh trật tự, đề nghị công an phường kiểm tra xử lý.'.slice(0, 300),
    location: { kind: 'ward', wardId: 'q3-p4', address: null, lat: null, lon: null },
    occurred: { kind: 'today', text: null },
    evidence: [],
    suspects: { text: null, identifiers: [] },
    anonymous: rand() < 0.6,
    reporter: null,
    channel: CHANNELS[Math.floor(rand() * CHANNELS.length)],
    lang: 'vi',
    unitIds: units,
    status: history[history.length - 1].status === 'forwarded' ? 'received' : (history[history.length - 1].status as ReportDoc['status']),
    statusHistory: history,
    forwards,
    relatedCodes: [],
    assessment,
    assessedAt: assessment ? at(50) : null,
    assignee: null,
    outcome: closed ? OUTCOMES[Math.floor(rand() * OUTCOMES.length)] : null,
    closedAt: closed ? history[history.length - 1].at : null,
    duplicateOf: null,
    deadlines: { ackDueAt: at(24), outcomeDueAt: at(20 * 24), extensions: rand() < 0.05 ? [{ days: 10, reason: 'xác minh', by: 'bench', at: at(300) }] : [] },
    submissionKey: randomUUID(),
    version: 0,
    dispute: dispute
      ? { since: '', tried: null, desiredOutcome: '', otherPartyAgrees: 'unknown', partiesEnc: '', assignedAt: null, mediators: [], conflicts: [], session: null, result: null, agreement: null, referral: rand() < 0.2 ? 'UBND phường' : null }
      : null,
    createdAt,
  };
}

async function timed<T>(runs: number, work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result: T | undefined;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    result = await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result: result as T };
}

async function main(): Promise<void> {
  const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
  setLogLevel('silent');
  const root = projectRoot();
  const external = process.env.BENCH_MONGODB_URI;
  const embedded = external ? null : await startEmbeddedFerretdb({ binary: ensureFerretdbBinary(), dataDir: mkdtempSync(path.join(os.tmpdir(), 'tinbao-bench-')) });
  const database = await openDatabase(`${external ?? embedded?.uri ?? ''}bench_stats_${Date.now()}`);
  const catalog = loadCatalog(path.join(root, 'config'));
  const units = loadUnits(path.join(root, 'config'), catalog);
  const t = createI18n(path.join(root, 'locales')).forLanguage('vi');
  const { models } = database;
  const stats = new StatsService(
    { reports: new ReportRepository(models.reports, models.reportActions, createPiiCipher(Buffer.alloc(32, 1))), campaigns: models.campaigns, runs: models.campaignRuns, outcomes: models.broadcastOutcomes, audit: models.auditLog, snapshots: models.statsSnapshots, communityModels: models.communityModels, modelActivities: models.modelActivities },
    new StatsScopes({ find: async () => null }, units, new Set()),
    catalog,
  );
  const now = new Date('2026-12-31T10:00:00Z');
  const sixMonths = parseStatsPeriod('6thang', now);
  const year = parseStatsPeriod('namnay', now);
  const lastMonth = parseStatsPeriod('thangtruoc', now);
  const unit = units.byId('cap-p4');
  if (!sixMonths || !year || !lastMonth || !unit) throw new Error('bench set-up');

  const rand = random(42);
  let seeded = 0;
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const server = external ? 'BENCH_MONGODB_URI' : 'embedded FerretDB v1.24.2 (SQLite)';
  process.stdout.write(`${server}\n`);
  for (const size of sizes) {
    const seedStarted = performance.now();
    while (seeded < size) {
      const batch = Array.from({ length: Math.min(1000, size - seeded) }, () => makeReport(seeded++, rand, catalog));
      await models.reports.insertMany(batch, { lean: true });
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const unitSix = await timed(3, () => stats.compute({ kind: 'unit', unit }, sixMonths.kind, sixMonths.period, now));
    const allYear = await timed(3, () => stats.compute({ kind: 'all' }, year.kind, year.period, now));
    const answer = await timed(3, async () => renderStats(await stats.compute({ kind: 'unit', unit }, sixMonths.kind, sixMonths.period, now), { t, lang: 'vi', catalog }));
    // The floor on this server: reading every report once, keeping only ids (FerretDB v1 decodes each document whatever the filter).
    const floor = await timed(1, async () => {
      let n = 0;
      for await (const _ of models.reports.find({}, { _id: 1 }).lean().cursor({ batchSize: 1000 })) n += 1;
      return n;
    });
    await models.statsSnapshots.deleteMany({});
    const endedFirst = await timed(1, () => stats.compute({ kind: 'unit', unit }, lastMonth.kind, lastMonth.period, now));
    const endedAgain = await timed(3, () => stats.compute({ kind: 'unit', unit }, lastMonth.kind, lastMonth.period, now));
    process.stdout.write(
      `${size.toLocaleString('en')} reports (seeded in ${seedSeconds.toFixed(0)} s):\n` +
        `  cap-p4, 6 months: ${unitSix.ms.toFixed(0)} ms (${unitSix.result.reports.tips.received} tips)\n` +
        `  all units, year:  ${allYear.ms.toFixed(0)} ms (${allYear.result.reports.tips.received} tips, ${allYear.result.reports.disputes.received} disputes)\n` +
        `  /thongke answer (figures, CSV, .xlsx, PNG): ${answer.ms.toFixed(0)} ms\n` +
        `  reading every report once (ids only): ${floor.ms.toFixed(0)} ms\n` +
        `  cap-p4, last month (ended): first request ${endedFirst.ms.toFixed(0)} ms, asked again ${endedAgain.ms.toFixed(1)} ms (${endedAgain.result.reports.tips.received} tips)\n` +
        `  peak RSS so far: ${(peakRss / 1024 / 1024).toFixed(0)} MB\n`,
    );
  }
  clearInterval(sample);
  await database.close();
  await embedded?.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
