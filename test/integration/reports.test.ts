import { buildDeskCard } from '../../src/conversation/presenters/desk-card';
import { randomReceiptCode } from '../../src/domain/reports/receipt-code';
import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';
import type { ReportDoc } from '../../src/core/report';

type Services = Awaited<ReturnType<typeof openServices>>;

describe('filing tips in the real database', () => {
  let s: Services;
  let codes: string[];

  beforeAll(async () => {
    // A generator that repeats itself, so concurrent submissions collide on purpose.
    codes = ['TB-AAAAAA', 'TB-AAAAAA', 'TB-BBBBBB', 'TB-AAAAAA', 'TB-BBBBBB', 'TB-CCCCCC'];
    let i = 0;
    s = await openServices('reports', { receiptCodes: () => (i < codes.length ? codes[i++] : randomReceiptCode('TB')) });
  });

  afterAll(() => s.database.close());

  it('gives every tip a different receipt code, even when codes collide under concurrent submissions', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => s.reports.submitTip(tipSubmission(), new Date())));
    const distinct = new Set(results.map((r) => r.code));
    expect(distinct.size).toBe(12);
    expect(await s.models.reports.countDocuments({})).toBe(12);
  });

  it('files one report for one draft, however often it is submitted', async () => {
    const input = tipSubmission();
    const [a, b, c] = await Promise.all([s.reports.submitTip(input, new Date()), s.reports.submitTip(input, new Date()), s.reports.submitTip(input, new Date())]);
    expect(new Set([a.code, b.code, c.code]).size).toBe(1);
    expect(await s.models.reports.countDocuments({ submissionKey: input.submissionKey })).toBe(1);
  });

  it('stores the reporter contact only encrypted: the raw collection never shows the phone or name', async () => {
    const { code } = await s.reports.submitTip(tipSubmission(), new Date());
    const raw = await s.database.connection.collection('reports').findOne({ code });
    const text = JSON.stringify(raw);
    expect(text).not.toContain('0912345678');
    expect(text).not.toContain('Nguyễn Thị Lan');
    expect(raw?.reporter.contactEnc).toMatch(/^v2:/);
    const report = await s.models.reports.findOne({ code }).lean();
    expect(report && s.reports.contactOf(report)).toEqual({ phone: '0912345678', name: 'Nguyễn Thị Lan' });
  });

  it('keeps no contact at all for an anonymous tip', async () => {
    const { code } = await s.reports.submitTip(tipSubmission({ anonymous: true }), new Date());
    const report = await s.models.reports.findOne({ code }).lean();
    expect(report?.reporter?.contactEnc).toBeNull();
    expect(report && s.reports.contactOf(report)).toBeNull();
  });

  it('shows status to a code holder without content or identity, and ignores what cannot be a code', async () => {
    const { code } = await s.reports.submitTip(tipSubmission(), new Date());
    const view = await s.reports.statusByCode(` ${code.toLowerCase().replace('-', ' ')} `);
    expect(view).toMatchObject({ code, category: 'fraud', status: 'received' });
    expect(JSON.stringify(view)).not.toContain('OTP');
    expect(await s.reports.statusByCode('{"$gt": ""}')).toBeNull();
    expect(await s.reports.statusByCode('TB-000000')).toBeNull();
  });
});

describe('linking tips that share a suspect identifier', () => {
  let s: Services;

  beforeAll(async () => {
    s = await openServices('linking');
  });

  afterAll(() => s.database.close());

  it('links a new tip to earlier tips of the same unit sharing a phone number, account, link or plate, newest first', async () => {
    const p4 = { kind: 'ward' as const, wardId: 'q3-p4', address: null, lat: null, lon: null };
    const first = await s.reports.submitTip(tipSubmission({ location: p4, suspectsText: 'Gọi từ số 0987.654.321' }), new Date('2026-11-01T01:00:00Z'));
    const second = await s.reports.submitTip(tipSubmission({ location: p4, suspectsText: 'STK 19035555888 chủ TK Nguyen Van B' }), new Date('2026-11-02T01:00:00Z'));
    const elsewhere = await s.reports.submitTip(
      tipSubmission({ location: { ...p4, wardId: 'q3-p9' }, suspectsText: '+84 987 654 321' }),
      new Date('2026-11-03T01:00:00Z'),
    );
    const third = await s.reports.submitTip(tipSubmission({ location: p4, suspectsText: '+84987654321 và tài khoản 19035555888' }), new Date('2026-11-04T01:00:00Z'));

    const linked = await s.models.reports.findOne({ code: third.code }).lean();
    expect(linked?.relatedCodes).toEqual([second.code, first.code]);
    expect(linked?.relatedCodes).not.toContain(elsewhere.code);
    expect((await s.models.reports.findOne({ code: first.code }).lean())?.relatedCodes).toEqual([]);

    const card = buildDeskCard(linked as ReportDoc, null, { catalog: s.catalog, units: s.units, t: s.i18n.forLanguage('vi'), evidence: s.evidence });
    expect(card.text).toContain(`Liên quan: ${second.code}, ${first.code}`);
  });
});
