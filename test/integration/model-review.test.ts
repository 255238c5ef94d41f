import ExcelJS from 'exceljs';
import { presentStats } from '../../src/conversation/presenters/stats/stats-render';
import { statsTables } from '../../src/conversation/presenters/stats/stats-tables';
import type { ModelActivity } from '../../src/storage/models/model-activity.model';
import { parseStatsPeriod } from '../../src/shared/vietnam-period';
import type { OutboundMessage } from '../../src/core/chat';
import { openServices } from '../support/services';
import { communityModel } from '../support/seed-model';
import { seedReport } from '../support/seed-reports';
import { parseCsv } from '../support/csv';

/**
 * The review's "Mô hình tự quản" table and its cases and subjects, on a
 * fixture worked out by hand: Phường 4's two models in November, their tips
 * (valuable, closed with subjects), and what their leaders recorded, with
 * records and tips just outside the month, another unit's model, and a
 * model dissolved before the month.
 */
describe('the review by self-management model', () => {
  let env: Awaited<ReturnType<typeof openServices>>;
  const now = new Date('2026-12-02T03:00:00Z');
  const november = parseStatsPeriod('thangtruoc', now);
  if (!november) throw new Error('period');
  const vi = () => env.i18n.forLanguage('vi');
  const p4 = () => {
    const unit = env.units.byId('cap-p4');
    if (!unit) throw new Error('cap-p4');
    return { kind: 'unit' as const, unit };
  };

  const A = { id: 'model-a', name: 'Tổ liên gia số 5' };
  const B = { id: 'model-b', name: 'Nhà trọ tự quản 12' };

  beforeAll(async () => {
    env = await openServices('model_review');
    await env.models.communityModels.insertMany([
      communityModel('MH-AAAAA2', { _id: A.id, name: A.name }),
      communityModel('MH-BBBBB3', { _id: B.id, name: B.name, wardId: 'q3-p5', kind: 'boarding_house', status: 'review' }),
      communityModel('MH-CCCCC4', { _id: 'model-c', name: 'Camera an ninh hẻm 7', kind: 'security_camera', status: 'dissolved', dissolved: { reason: 'sáp nhập', at: new Date('2026-10-15T00:00:00Z'), by: 'x' } }),
      communityModel('MH-DDDDD5', { _id: 'model-d', name: 'Tổ tuần tra P9', unitId: 'cap-p9', wardId: 'q3-p9', kind: 'patrol_team' }),
    ]);
    const reports = env.models.reports;
    const valuable = { as: 'valuable' as const, afterHours: 2 };
    await seedReport(reports, { createdAt: '2026-11-03T02:00:00Z', model: A, category: 'theft_robbery', group: 'criminal', acceptedAfterHours: 1, assessment: valuable, closed: { outcome: 'handled', afterHours: 30 }, subjects: 2 });
    await seedReport(reports, { createdAt: '2026-11-10T02:00:00Z', model: A, category: 'drugs', group: 'social_evils', acceptedAfterHours: 1, assessment: valuable, closed: { outcome: 'prosecuted', afterHours: 50 }, subjects: 3 });
    await seedReport(reports, { createdAt: '2026-11-20T02:00:00Z', model: A });
    // October, Vietnam time: not November's.
    await seedReport(reports, { createdAt: '2026-10-31T16:00:00Z', model: A, acceptedAfterHours: 1, assessment: valuable, closed: { outcome: 'handled', afterHours: 2 }, subjects: 9 });
    await seedReport(reports, { createdAt: '2026-11-12T02:00:00Z', model: B, category: 'fraud', group: 'criminal', acceptedAfterHours: 1, assessment: { as: 'not_valuable', afterHours: 2 }, closed: { outcome: 'no_basis', afterHours: 3 } });
    await seedReport(reports, { createdAt: '2026-11-14T02:00:00Z', model: B, category: 'fraud', group: 'criminal', acceptedAfterHours: 1, assessment: valuable, closed: { outcome: 'handled', afterHours: 3 }, subjects: 0 });
    // No model: counts for the unit's cases, not in the model table.
    await seedReport(reports, { createdAt: '2026-11-05T02:00:00Z', category: 'gambling', group: 'social_evils', acceptedAfterHours: 1, closed: { outcome: 'handled', afterHours: 3 }, subjects: 1 });

    let n = 0;
    const record = (modelId: string, unitId: string, at: string, activity: ModelActivity) => ({ _id: `act-${(n += 1)}`, modelId, unitId, activity, at: new Date(at), by: 'leader' });
    await env.models.modelActivities.insertMany([
      record(A.id, 'cap-p4', '2026-11-04T02:00:00Z', { kind: 'dispute', disputeKind: 'noise', result: 'resolved' }),
      record(A.id, 'cap-p4', '2026-11-18T02:00:00Z', { kind: 'dispute', disputeKind: 'land', result: 'referred' }),
      record(A.id, 'cap-p4', '2026-11-06T02:00:00Z', { kind: 'propaganda', form: 'meeting', attendees: 40 }),
      record(A.id, 'cap-p4', '2026-11-07T02:00:00Z', { kind: 'propaganda', form: 'loudspeaker', attendees: 300 }),
      record(A.id, 'cap-p4', '2026-11-08T13:00:00Z', { kind: 'patrol', people: 6, hours: 4 }),
      record(A.id, 'cap-p4', '2026-11-22T13:00:00Z', { kind: 'patrol', people: 5, hours: 3 }),
      record(A.id, 'cap-p4', '2026-11-09T02:00:00Z', { kind: 'pledges', households: 30 }),
      // 1 December, 00:30 Vietnam time, and 31 October, 23:00: outside November.
      record(A.id, 'cap-p4', '2026-11-30T17:30:00Z', { kind: 'patrol', people: 8, hours: 4 }),
      record(A.id, 'cap-p4', '2026-10-31T16:00:00Z', { kind: 'pledges', households: 99 }),
      record(B.id, 'cap-p4', '2026-11-15T02:00:00Z', { kind: 'propaganda', form: 'leaflet', attendees: 25 }),
      record(B.id, 'cap-p4', '2026-11-16T02:00:00Z', { kind: 'pledges', households: 12 }),
      record('model-d', 'cap-p9', '2026-11-16T02:00:00Z', { kind: 'pledges', households: 50 }),
    ]);
  });

  afterAll(() => env.database.close());

  it('gives each model of the unit its tips, cases and subjects and what its leaders recorded in the period, with totals', async () => {
    const stats = await env.stats.compute(p4(), november.kind, november.period, now);
    const table = statsTables(stats, { t: vi(), lang: 'vi', catalog: env.catalog }).find((t) => t.id === 'models');
    expect(table?.header).toEqual([
      'Mô hình', 'Loại mô hình', 'Phường/xã', 'Tình trạng', 'Tin báo', 'Có giá trị', 'Vụ việc', 'Đối tượng', 'Mâu thuẫn phát hiện', 'Giải quyết tại cơ sở',
      'Buổi tuyên truyền', 'Lượt người dự', 'Lượt phát loa', 'Ca tuần tra', 'Lượt người tuần tra', 'Hộ ký cam kết',
    ]);
    expect(table?.rows).toEqual([
      ['MH-AAAAA2 Tổ liên gia số 5', 'Tổ liên gia tự quản', 'Phường 4', '🟢 đang hoạt động', 3, 2, 2, 5, 2, 1, 2, 340, 1, 2, 11, 30],
      ['MH-BBBBB3 Nhà trọ tự quản 12', 'Nhà trọ tự quản', 'Phường 5', '🟡 hoạt động cầm chừng, cần rà soát', 2, 1, 1, 0, 0, 0, 1, 25, 0, 0, 0, 12],
    ]);
    expect(table?.total).toEqual(['Tổng', '', '', '', 5, 3, 3, 5, 2, 1, 3, 365, 1, 2, 11, 42]);

    const cases = statsTables(stats, { t: vi(), lang: 'vi', catalog: env.catalog }).find((t) => t.id === 'cases');
    expect(cases?.rows).toContainEqual(['Tội phạm hình sự', 2, 2]);
    expect(cases?.rows).toContainEqual(['Tệ nạn xã hội', 2, 4]);
    expect(cases?.total).toEqual(['Tổng', 4, 6]);
  });

  it('says it in the summary, and puts the table in the CSV and its own .xlsx sheet', async () => {
    const actor = { address: { channel: 'telegram' as const, chatId: '-9104' }, userId: '44', adminId: '44', name: 'Trực ban' };
    await env.desks.register(actor.address, env.desks.inviteCodeFor('cap-p4'), 'Trực ban', now);
    const messages = await presentStats(await env.stats.command(actor, 'thangtruoc', now), { t: vi(), lang: 'vi', catalog: env.catalog });
    const summary = messages[0].text;
    expect(summary).toContain('Vụ việc đã xử lý (đã xử lý, đã khởi tố): 4 vụ với 6 đối tượng');
    expect(summary).toContain(
      'Mô hình tự quản: 2 mô hình · 5 tin báo (3 có giá trị) · 2 vụ mâu thuẫn phát hiện (1 giải quyết tại cơ sở) · 3 buổi tuyên truyền (365 lượt người) · 1 lượt phát loa · 2 ca tuần tra (11 lượt người) · 42 hộ ký cam kết',
    );
    expect(summary).toContain('Hoạt động cầm chừng, cần rà soát: MH-BBBBB3 Nhà trọ tự quản 12');

    const rows = parseCsv((await fileOf(messages, '.csv')).toString('utf8').slice(1));
    const at = rows.findIndex((r) => r.length === 1 && r[0] === 'Mô hình tự quản');
    expect(rows[at + 2]).toEqual(['MH-AAAAA2 Tổ liên gia số 5', 'Tổ liên gia tự quản', 'Phường 4', '🟢 đang hoạt động', '3', '2', '2', '5', '2', '1', '2', '340', '1', '2', '11', '30']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await fileOf(messages, '.xlsx')) as unknown as ArrayBuffer);
    const sheet = book.worksheets.find((s) => s.name.endsWith('Mô hình tự quản'));
    expect(sheet?.getRow(4).getCell(5).value).toBe(5);
  });

  it('counts across every unit in the all-units review, and reads figures kept before models were counted as none', async () => {
    const all = await env.stats.compute({ kind: 'all' }, november.kind, november.period, now);
    expect(all.models.map((m) => m.code)).toEqual(['MH-AAAAA2', 'MH-BBBBB3', 'MH-DDDDD5']);
    expect(all.models.find((m) => m.code === 'MH-DDDDD5')?.activity.pledgeHouseholds).toBe(50);

    const october = parseStatsPeriod('tu 01/10/2026 den 31/10/2026', now);
    if (!october) throw new Error('period');
    const key = `cap-p4|${october.period.from.toISOString()}|${october.period.to.toISOString()}`;
    const legacy = await env.stats.compute(p4(), october.kind, october.period, now);
    await env.models.statsSnapshots.deleteMany({ _id: key });
    const { handled: _h, handledByGroup: _g, byModel: _m, ...oldTips } = legacy.reports.tips;
    await env.models.statsSnapshots.create({ _id: key, reports: { ...legacy.reports, tips: oldTips }, campaigns: legacy.campaigns, computedAt: now });
    const kept = await env.stats.compute(p4(), october.kind, october.period, now);
    expect(kept.reports.tips.handled).toEqual({ cases: 0, subjects: 0 });
    // What leaders recorded in October is computed for it: Tổ liên gia số 5's 99 pledges of 31 October.
    expect(kept.models.find((m) => m.code === 'MH-AAAAA2')?.activity.pledgeHouseholds).toBe(99);
  });
});

async function fileOf(messages: OutboundMessage[], ending: string): Promise<Buffer> {
  const attachment = messages.flatMap((m) => m.attachments ?? []).find((a) => a.fileName?.endsWith(ending));
  if (!attachment) throw new Error(`no ${ending} attachment`);
  return attachment.load();
}
