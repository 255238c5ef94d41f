import { MAX_FILES_PER_CASE } from '../../src/domain/followup/followup-service';
import type { EvidenceRecord } from '../../src/core/report';
import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

/** Files added to a case later (/bosung) are capped, so a case's document stays bounded; words can still be added. */
describe('files added to a case later', () => {
  let s: Services;
  const now = new Date('2026-12-02T03:00:00Z');

  beforeAll(async () => {
    s = await openServices('case_files_cap', { clock: () => now });
  });

  afterAll(() => s.database.close());

  const file = (i: number): EvidenceRecord => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, kind: 'photo', mime: 'image/jpeg', size: 10, sha256: 'x', fileName: null, platform: null });

  it(`are taken up to ${MAX_FILES_PER_CASE}, then refused with a clear answer; text is still taken`, async () => {
    const { code, id } = await s.reports.submitTip(tipSubmission({ residentKey: 'cap-reporter' }), now);
    for (let i = 0; i < MAX_FILES_PER_CASE; i += 1) expect(await s.followups.addFromReporter('cap-reporter', code, { text: null, evidence: file(i) })).toBe('sent');
    expect(await s.followups.addFromReporter('cap-reporter', code, { text: null, evidence: file(999) })).toBe('too_many_files');
    expect(await s.followups.addFromReporter('cap-reporter', code, { text: 'Thêm: họ đi xe Wave đỏ', evidence: null })).toBe('sent');

    const report = await s.reportRepository.byId(id);
    expect(report?.evidence).toHaveLength(MAX_FILES_PER_CASE);
    // The refused file left nothing in the thread either.
    expect(await s.models.reportMessages.countDocuments({ reportId: id })).toBe(MAX_FILES_PER_CASE + 1);
    expect(s.i18n.forLanguage('vi')('followup.too_many_files', { code, max: MAX_FILES_PER_CASE })).toContain(`đã có đủ ${MAX_FILES_PER_CASE} tệp`);
  }, 60_000);
});
