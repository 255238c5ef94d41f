import ExcelJS from 'exceljs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import type { CampaignDoc } from '../../src/storage/models/campaign.model';
import { CHART, GROUP_COLOURS } from '../../src/conversation/presenters/stats/stats-chart';
import { StatsScopes } from '../../src/domain/stats/stats-scope';
import { statsTables } from '../../src/conversation/presenters/stats/stats-tables';
import { presentStats } from '../../src/conversation/presenters/stats/stats-render';
import { parseStatsPeriod } from '../../src/shared/vietnam-period';
import { openServices } from '../support/services';
import { seedReport } from '../support/seed-reports';
import { parseCsv } from '../support/csv';
import type { OutboundMessage } from '../../src/core/chat';
import type { BroadcastOutcomeDoc, BroadcastStatus } from '../../src/storage/models/broadcast-outcome.model';
import type { CampaignRunDoc } from '../../src/storage/models/campaign-run.model';

const AFTER_NOVEMBER = '2026-12-01T20:00:00Z';
const hoursBetween = (from: string, to: string) => (new Date(to).getTime() - new Date(from).getTime()) / 3_600_000;

describe('period statistics (sơ kết) on seeded data with known answers', () => {
  let env: Awaited<ReturnType<typeof openServices>>;
  const now = new Date('2026-12-02T03:00:00Z');
  const november = parseStatsPeriod('thangtruoc', now);
  if (!november) throw new Error('period');
  const unit = (id: string) => {
    const found = env.units.byId(id);
    if (!found) throw new Error(id);
    return found;
  };
  const vi = () => env.i18n.forLanguage('vi');

  beforeAll(async () => {
    env = await openServices('stats');
    const reports = env.models.reports;
    // cap-p4's November, in Vietnam time. 00:30 on 1 November in Vietnam is still 31 October in UTC: counted.
    await seedReport(reports, { createdAt: '2026-10-31T17:30:00Z', category: 'theft_robbery', group: 'criminal', acceptedAfterHours: 2, assessment: { as: 'valuable', afterHours: 3 }, closed: { outcome: 'handled', afterHours: 48 } });
    // 00:10 on 1 December in Vietnam is still 30 November in UTC: not counted.
    await seedReport(reports, { createdAt: '2026-11-30T17:10:00Z', category: 'fraud', group: 'criminal' });
    // Accepted, judged not valuable, no outcome by its 20-day deadline (30 Nov 02:00 UTC).
    await seedReport(reports, { createdAt: '2026-11-10T02:00:00Z', category: 'drugs', group: 'social_evils', channel: 'zalo', acceptedAfterHours: 4, assessment: { as: 'not_valuable', afterHours: 5 } });
    // Never accepted: past its acknowledgement deadline.
    await seedReport(reports, { createdAt: '2026-11-20T02:00:00Z', category: 'fraud', group: 'criminal', channel: 'webchat' });
    await seedReport(reports, { createdAt: '2026-11-25T02:00:00Z', category: 'political_security', group: 'political_security', acceptedAfterHours: 1, assessment: { as: 'valuable', afterHours: 2 }, closed: { outcome: 'prosecuted', afterHours: 100 } });
    // Assessed and closed only after November ended: at the end of November it was in progress and not assessed.
    const lateAssessment = hoursBetween('2026-11-12T02:00:00Z', AFTER_NOVEMBER);
    await seedReport(reports, { createdAt: '2026-11-12T02:00:00Z', category: 'gambling', group: 'social_evils', acceptedAfterHours: 6, assessment: { as: 'valuable', afterHours: lateAssessment }, closed: { outcome: 'no_basis', afterHours: lateAssessment + 1 } });
    // Forwarded by cap-p4 to cap-p9 in November: cap-p9's, and counted apart as forwarded for cap-p4.
    await seedReport(reports, { createdAt: '2026-11-15T02:00:00Z', unitIds: ['cap-p9'], forwards: [{ from: 'cap-p4', to: 'cap-p9', afterHours: 3 }] });
    // Forwarded only in December: still cap-p4's at the end of November (waiting, past its acknowledgement deadline).
    await seedReport(reports, { createdAt: '2026-11-16T02:00:00Z', unitIds: ['cap-p9'], forwards: [{ from: 'cap-p4', to: 'cap-p9', afterHours: hoursBetween('2026-11-16T02:00:00Z', AFTER_NOVEMBER) }] });
    // Due 21 November; extended by 20 days only in December, so overdue at the end of November.
    await seedReport(reports, { createdAt: '2026-11-01T02:00:00Z', category: 'loan_sharking', group: 'criminal', acceptedAfterHours: 2, extensions: [{ days: 20, afterHours: hoursBetween('2026-11-01T02:00:00Z', AFTER_NOVEMBER) }] });
    // cap-p9's own.
    await seedReport(reports, { createdAt: '2026-11-05T02:00:00Z', category: 'traffic', group: 'other', unitIds: ['cap-p9'] });

    // hg-p4's disputes.
    const dispute = { kind: 'dispute' as const, unitIds: ['hg-p4'], acceptedAfterHours: 2 };
    await seedReport(reports, { ...dispute, createdAt: '2026-11-03T02:00:00Z', category: 'noise', sessions: [{ status: 'scheduled', afterHours: 24 }, { status: 'settled', afterHours: 48 }] });
    await seedReport(reports, { ...dispute, createdAt: '2026-11-06T02:00:00Z', category: 'land', referral: 'UBND phường', sessions: [{ status: 'scheduled', afterHours: 24 }, { status: 'not_settled', afterHours: 48 }] });
    await seedReport(reports, { ...dispute, createdAt: '2026-11-08T02:00:00Z', category: 'debt', sessions: [{ status: 'scheduled', afterHours: 24 }, { status: 'not_settled', afterHours: 48 }, { status: 'scheduled', afterHours: 72 }] });
    await seedReport(reports, { ...dispute, createdAt: '2026-11-20T02:00:00Z', category: 'noise', sessions: [{ status: 'not_settled', afterHours: 24 }] });
    await seedReport(reports, { ...dispute, createdAt: '2026-11-28T02:00:00Z', category: 'family', sessions: [{ status: 'settled', afterHours: hoursBetween('2026-11-28T02:00:00Z', AFTER_NOVEMBER) }] });

    // Campaigns: cap-p4's run in November (5 recipients; one delivery settled only in December) and in December; cap-p9's in November.
    const campaign = (id: string, unitId: string): CampaignDoc => ({
      _id: id,
      topic: 'scams',
      messages: [{ text: 'x' }],
      audience: { wards: ['*'], residents: true, groups: false, ownGroupsOf: null },
      schedule: { kind: 'once', at: new Date('2026-11-10T01:00:00Z') },
      quiet: null,
      status: 'finished',
      authorId: '1',
      authorAddressEnc: 'x',
      unitId,
      scheduledThrough: now,
      createdAt: new Date('2026-11-01T00:00:00Z'),
    });
    await env.models.campaigns.insertMany([campaign('CD-STAT1', 'cap-p4'), campaign('CD-STAT2', 'cap-p9')]);
    const run = (id: string, campaignId: string, fireAt: string, recipients: number): CampaignRunDoc => ({ _id: id, campaignId, fireAt: new Date(fireAt), status: 'done', recipients, doneThrough: null, createdAt: new Date(fireAt) });
    await env.models.campaignRuns.insertMany([run('R1', 'CD-STAT1', '2026-11-10T01:00:00Z', 5), run('R2', 'CD-STAT1', '2026-12-01T03:00:00Z', 4), run('R3', 'CD-STAT2', '2026-11-11T01:00:00Z', 7)]);
    const outcome = (n: number, runId: string, campaignId: string, status: BroadcastStatus, at: string): BroadcastOutcomeDoc => ({ _id: `${runId}|${n}`, runId, campaignId, status, reason: null, at: new Date(at) });
    await env.models.broadcastOutcomes.insertMany([
      outcome(1, 'R1', 'CD-STAT1', 'sent', '2026-11-10T01:00:01Z'),
      outcome(2, 'R1', 'CD-STAT1', 'sent', '2026-11-10T01:00:02Z'),
      outcome(3, 'R1', 'CD-STAT1', 'sent', '2026-11-10T01:00:03Z'),
      outcome(4, 'R1', 'CD-STAT1', 'blocked', '2026-11-10T01:00:04Z'),
      outcome(5, 'R1', 'CD-STAT1', 'sent', AFTER_NOVEMBER),
      outcome(1, 'R3', 'CD-STAT2', 'sent', '2026-11-11T01:00:01Z'),
    ]);
  });

  afterAll(async () => {
    await env.database.close();
  });

  it('counts a unit’s tips of the period in Vietnam time, as they stood at the end of the period', async () => {
    const { reports, campaigns } = await env.stats.compute({ kind: 'unit', unit: unit('cap-p4') }, november.kind, november.period, now);
    const { tips } = reports;
    expect(tips.received).toBe(7);
    expect(tips.byGroup).toEqual({ political_security: 1, criminal: 4, social_evils: 2, economic: 0, other: 0 });
    expect(tips.byCategory).toMatchObject({ theft_robbery: 2, fraud: 1, loan_sharking: 1, drugs: 1, gambling: 1, political_security: 1, traffic: 0 });
    expect(tips.byAssessment).toEqual({ valuable: 2, not_valuable: 1, pending: 4 });
    expect(tips.byState).toEqual({ waiting: 2, in_progress: 3, closed: 2 });
    expect(tips.byOutcome).toEqual({ handled: 1, prosecuted: 1, not_prosecuted: 0, no_basis: 0, duplicate: 0 });
    expect(tips.byChannel).toEqual({ telegram: 5, zalo: 1, webchat: 1 });
    expect(tips.overdue).toEqual({ ack: 2, outcome: 2, any: 4 });
    expect(tips.medianHoursToAccept).toBe(2);
    expect(tips.medianHoursToClose).toBe(74);
    expect(tips.forwardedAway).toBe(1);
    // Weeks start on Monday: 1 November 2026 is a Sunday, so the first week is the one of 26 October.
    expect(tips.weekly.map((w) => [w.start.toISOString(), w.total, w.valuable])).toEqual([
      ['2026-10-25T17:00:00.000Z', 2, 1],
      ['2026-11-01T17:00:00.000Z', 0, 0],
      ['2026-11-08T17:00:00.000Z', 2, 0],
      ['2026-11-15T17:00:00.000Z', 2, 0],
      ['2026-11-22T17:00:00.000Z', 1, 1],
      ['2026-11-29T17:00:00.000Z', 0, 0],
    ]);
    expect(campaigns).toEqual({ campaigns: 1, runs: 1, recipients: 5, byStatus: { sent: 3, failed: 0, blocked: 1, skipped: 0, in_doubt: 0, pending: 1 } });
  });

  it('counts a mediation team’s disputes by kind and result (settled, not settled, referred, in progress)', async () => {
    const { disputes } = (await env.stats.compute({ kind: 'unit', unit: unit('hg-p4') }, november.kind, november.period, now)).reports;
    expect(disputes.received).toBe(5);
    expect(disputes.byKind).toMatchObject({ noise: 2, land: 1, debt: 1, family: 1, rent: 0 });
    expect(disputes.byResult).toEqual({ settled: 1, not_settled: 1, referred: 1, pending: 2 });
  });

  it('keeps one unit’s figures from another’s, and gives system admins every unit together', async () => {
    const p9 = await env.stats.compute({ kind: 'unit', unit: unit('cap-p9') }, november.kind, november.period, now);
    // The tip forwarded in November and cap-p9's own; the one forwarded in December was still cap-p4's.
    expect(p9.reports.tips.received).toBe(2);
    expect(p9.reports.disputes.received).toBe(0);
    expect(p9.campaigns).toMatchObject({ runs: 1, recipients: 7 });

    const all = await env.stats.compute({ kind: 'all' }, november.kind, november.period, now);
    expect(all.reports.tips.received).toBe(9);
    expect(all.reports.disputes.received).toBe(5);
    expect(all.campaigns).toMatchObject({ campaigns: 2, runs: 2, recipients: 12 });

    const p9Desk = { channel: 'telegram' as const, chatId: '-9009' };
    await env.desks.register(p9Desk, env.desks.inviteCodeFor('cap-p9'), 'Trực ban', now);
    const scopes = new StatsScopes(env.desks, env.units, new Set(['900']));
    expect(await scopes.resolve(p9Desk, '55', 'thangtruoc')).toMatchObject({ kind: 'ok', scope: { kind: 'unit', unit: { id: 'cap-p9' } }, rest: 'thangtruoc' });
    expect(await scopes.resolve(p9Desk, '55', 'cap-p4 thangtruoc')).toEqual({ kind: 'other_unit' });
    expect(await scopes.resolve(p9Desk, '55', 'tatca')).toEqual({ kind: 'other_unit' });
    expect(await scopes.resolve({ channel: 'telegram', chatId: '55' }, '55', '')).toEqual({ kind: 'not_allowed' });
    expect(await scopes.resolve({ channel: 'telegram', chatId: '900' }, '900', '')).toMatchObject({ kind: 'ok', scope: { kind: 'all' } });
    expect(await scopes.resolve({ channel: 'telegram', chatId: '900' }, '900', 'CAP-P4 6thang')).toMatchObject({ kind: 'ok', scope: { unit: { id: 'cap-p4' } }, rest: '6thang' });
    // Not even a system admin gets figures in a group that is not a desk; in a desk group, that desk's unit only.
    expect(await scopes.resolve({ channel: 'telegram', chatId: '-777' }, '900', '', true)).toEqual({ kind: 'not_allowed' });
    expect(await scopes.resolve(p9Desk, '900', 'tatca', true)).toEqual({ kind: 'other_unit' });
    expect(await scopes.resolve(p9Desk, '900', '', true)).toMatchObject({ kind: 'ok', scope: { unit: { id: 'cap-p9' } } });

    const refusal = await presentStats(await env.stats.command({ address: p9Desk, userId: '55', adminId: '55', name: 'Trực ban' }, 'cap-p4', now), { t: vi(), lang: 'vi', catalog: env.catalog });
    expect(refusal).toEqual([{ text: 'Bạn chỉ xem được số liệu của đơn vị mình.' }]);
  });

  it('adds up: every total equals the sum of its rows, in every table of every scope', async () => {
    for (const scope of [{ kind: 'all' as const }, { kind: 'unit' as const, unit: unit('cap-p4') }, { kind: 'unit' as const, unit: unit('hg-p4') }]) {
      const stats = await env.stats.compute(scope, november.kind, november.period, now);
      const tables = statsTables(stats, { t: vi(), lang: 'vi', catalog: env.catalog });
      expect(tables.filter((t) => t.total).length).toBeGreaterThan(1);
      for (const table of tables.filter((t) => t.total)) {
        const columns = table.header.map((_, i) => i).filter((i) => typeof table.total?.[i] === 'number' && !table.header[i].includes('%'));
        for (const i of columns) expect([table.id, table.rows.reduce((sum, row) => sum + Number(row[i]), 0)]).toEqual([table.id, table.total?.[i]]);
      }
      const { byStatus, recipients } = stats.campaigns;
      expect(Object.values(byStatus).reduce((a, b) => a + b, 0)).toBe(recipients);
    }
  });

  it('exports the same numbers for the same period however often it is asked, even after officers act on its tips', async () => {
    const actor = { address: { channel: 'telegram' as const, chatId: '-9004' }, userId: '44', adminId: '44', name: 'Trực ban' };
    await env.desks.register(actor.address, env.desks.inviteCodeFor('cap-p4'), 'Trực ban', now);
    const before = await env.stats.compute({ kind: 'unit', unit: unit('cap-p4') }, november.kind, november.period, now);
    const firstCsv = await fileOf(await presentStats(await env.stats.command(actor, 'thangtruoc', now), { t: vi(), lang: 'vi', catalog: env.catalog }), '.csv');

    // Officers act on November's tips in December: close one, assess another, forward a third.
    const later = new Date('2026-12-03T03:00:00Z');
    const [drugs, fraud, loan] = await Promise.all(['drugs', 'fraud', 'loan_sharking'].map((category) => env.models.reports.findOne({ category, createdAt: { $lt: november.period.to } }).lean()));
    await env.models.reports.updateOne({ _id: drugs?._id }, { $set: { status: 'closed', outcome: 'handled', closedAt: later }, $push: { statusHistory: { status: 'closed', at: later } } });
    await env.models.reports.updateOne({ _id: fraud?._id }, { $set: { assessment: 'not_valuable', assessedAt: later } });
    await env.models.reports.updateOne({ _id: loan?._id }, { $set: { unitIds: ['cap-vts'] }, $push: { forwards: { fromUnitId: 'cap-p4', toUnitId: 'cap-vts', reason: 'x', by: 'x', at: later } } });

    // Not from the kept figures: computed again from the reports as they are now.
    await env.models.statsSnapshots.deleteMany({});
    const after = await env.stats.compute({ kind: 'unit', unit: unit('cap-p4') }, november.kind, november.period, later);
    expect(after.reports).toEqual(before.reports);
    expect(after.campaigns).toEqual(before.campaigns);
    expect(await fileOf(await presentStats(await env.stats.command(actor, 'thang truoc', later), { t: vi(), lang: 'vi', catalog: env.catalog }), '.csv')).toEqual(firstCsv);
    expect(await env.models.auditLog.countDocuments({ action: 'export_stats', unitId: 'cap-p4' })).toBe(2);
  });

  it('keeps an ended period’s figures and answers from them; a period under way is computed afresh', async () => {
    await env.models.statsSnapshots.deleteMany({});
    const first = await env.stats.compute({ kind: 'unit', unit: unit('cap-p4') }, november.kind, november.period, now);
    expect(await env.models.statsSnapshots.countDocuments({ _id: `cap-p4|${november.period.from.toISOString()}|${november.period.to.toISOString()}` })).toBe(1);
    // Rewrite November's history behind the service's back: the kept figures still answer.
    const drugs = { category: 'drugs', createdAt: { $lt: november.period.to } };
    await env.models.reports.updateOne(drugs, { $set: { group: 'economic' } });
    const again = await env.stats
      .compute({ kind: 'unit', unit: unit('cap-p4') }, november.kind, november.period, new Date('2026-12-05T00:00:00Z'))
      .finally(() => env.models.reports.updateOne(drugs, { $set: { group: 'social_evils' } }));
    expect(again.reports).toEqual(first.reports);
    expect(again.asOf).toEqual(november.period.to);
    // December is under way: nothing is kept for it, and what changed shows at once.
    const december = parseStatsPeriod('thangnay', now);
    if (!december) throw new Error('period');
    const live = await env.stats.compute({ kind: 'all' }, december.kind, december.period, now);
    expect(live.reports.tips.received).toBe(1);
    expect(await env.models.statsSnapshots.countDocuments({ _id: { $regex: /^\*\|2026-11-30T17/ } })).toBe(0);
  });

  it('sends a summary in the chat, a CSV and an .xlsx that read back to the same tables, and a PNG chart of the expected size', async () => {
    const actor = { address: { channel: 'telegram' as const, chatId: '-9004' }, userId: '44', adminId: '44', name: 'Trực ban' };
    await env.desks.register(actor.address, env.desks.inviteCodeFor('cap-p4'), 'Trực ban', now);
    const messages = await presentStats(await env.stats.command(actor, 'tu 01/11/2026 den 30/11/2026', now), { t: vi(), lang: 'vi', catalog: env.catalog });
    const summary = messages[0].text;
    expect(summary).toContain('📊 Thống kê Công an Phường 4');
    expect(summary).toContain('Kỳ: tùy chọn, 01/11/2026 – 30/11/2026');
    expect(summary).toContain('Tin báo: 7 (có giá trị 2 · không có giá trị 1 · chưa đánh giá 4)');
    expect(summary).toContain('An ninh chính trị 1 · Tội phạm hình sự 4 · Tệ nạn xã hội 2');
    expect(summary).toContain('Quá hạn: 4 (chưa tiếp nhận 2 · chưa có kết quả 2)');
    expect(summary).toContain('Thời gian trung vị đến khi tiếp nhận: 2 giờ · đến khi kết thúc: 3,1 ngày');
    expect(summary).toContain('Đã chuyển đơn vị khác: 1');
    expect(summary).toContain('Chiến dịch: 1 lượt gửi của 1 chiến dịch, 5 người nhận: đã gửi 3');

    const stats = await env.stats.compute({ kind: 'unit', unit: unit('cap-p4') }, 'custom', november.period, now);
    const tables = statsTables(stats, { t: vi(), lang: 'vi', catalog: env.catalog });

    const csv = await fileOf(messages, '.csv');
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parseCsv(csv.toString('utf8').slice(1));
    for (const table of tables) {
      const at = rows.findIndex((r) => r.length === 1 && r[0] === table.title);
      expect(at).toBeGreaterThan(0);
      const expected = [table.header, ...table.rows, ...(table.total ? [table.total] : [])].map((r) => r.map(String));
      expect(rows.slice(at + 1, at + 1 + expected.length)).toEqual(expected);
    }
    const byGroup = rows.slice(rows.findIndex((r) => r[0] === 'Tin báo theo nhóm'));
    expect(byGroup.slice(1, 8)).toEqual([['Nhóm tin báo', 'Số lượng'], ['An ninh chính trị', '1'], ['Tội phạm hình sự', '4'], ['Tệ nạn xã hội', '2'], ['Kinh tế', '0'], ['Khác', '0'], ['Tổng', '7']]);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await fileOf(messages, '.xlsx')) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(tables.map((t, i) => `${i + 1}. ${t.title}`.slice(0, 31).trim()));
    tables.forEach((table, i) => {
      const sheet = book.worksheets[i];
      const read = (row: number) => table.header.map((_, c) => sheet.getRow(row).getCell(c + 1).value ?? '');
      expect(read(1)).toEqual(table.header);
      table.rows.forEach((row, r) => expect(read(r + 2)).toEqual(row));
      if (table.total) expect(read(table.rows.length + 2)).toEqual(table.total);
    });

    const chart = messages[1];
    expect(chart.attachments?.[0]).toMatchObject({ kind: 'photo', mime: 'image/png' });
    const png = await fileOf(messages, '.png');
    const image = await loadImage(png);
    expect([image.width, image.height]).toEqual([CHART.width, CHART.height]);
    // Inside the plot: bars in the colour of criminal tips, none in the colour of economic tips (there were none).
    const canvas = createCanvas(image.width, image.height);
    const g = canvas.getContext('2d');
    g.drawImage(image, 0, 0);
    const { left, top, right, bottom } = CHART.plot;
    const pixels = g.getImageData(left, top, right - left, bottom - top).data;
    const count = (hex: string) => {
      const [r, gr, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === r && pixels[i + 1] === gr && pixels[i + 2] === b) n += 1;
      return n;
    };
    const groups = env.catalog.groups;
    expect(count(GROUP_COLOURS[groups.indexOf('criminal')])).toBeGreaterThan(1000);
    expect(count(GROUP_COLOURS[groups.indexOf('economic')])).toBe(0);
  });

  it('answers a mediation team with its disputes and no tip chart, and explains the syntax of a period it cannot read', async () => {
    const team = { channel: 'telegram' as const, chatId: '-9104' };
    await env.desks.register(team, env.desks.inviteCodeFor('hg-p4'), 'Tổ hòa giải', now);
    const messages = await presentStats(await env.stats.command({ address: team, userId: '66', adminId: '66', name: null }, 'thangtruoc', now), { t: vi(), lang: 'vi', catalog: env.catalog });
    expect(messages).toHaveLength(1);
    expect(messages[0].text).toContain('Hòa giải: 5 vụ việc (thành 1 · không thành 2, trong đó chuyển cơ quan có thẩm quyền 1 · đang giải quyết 2)');
    expect(messages[0].text).not.toContain('Tin báo:');

    const en = await presentStats(await env.stats.command({ address: team, userId: '66', adminId: '66', name: null }, 'last month', now), { t: env.i18n.forLanguage('en'), lang: 'en', catalog: env.catalog });
    expect(en[0].text).toContain('Mediation: 5 cases (settled 1');
    for (const nonsense of ['{"$gt": ""}', 'hom qua', '31/02/2026 01/03/2026']) {
      expect(await presentStats(await env.stats.command({ address: team, userId: '66', adminId: '66', name: null }, nonsense, now), { t: vi(), lang: 'vi', catalog: env.catalog })).toEqual([{ text: vi()('stats.usage') }]);
    }
  });
});

async function fileOf(messages: OutboundMessage[], ending: string): Promise<Buffer> {
  const attachment = messages.flatMap((m) => m.attachments ?? []).find((a) => a.fileName?.endsWith(ending));
  if (!attachment) throw new Error(`no ${ending} attachment`);
  return attachment.load();
}
