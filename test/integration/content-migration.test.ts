import { sealStoredContent } from '../../src/storage/content-migrations';
import { openServices } from '../support/services';
import { seedReport } from '../support/seed-reports';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

/**
 * A database written before content was encrypted: its reports, thread
 * messages and suspect index are brought under the data key at start-up,
 * and read and linked as before.
 */
describe('content stored before it was encrypted', () => {
  let s: Services;
  const now = new Date('2026-12-02T03:00:00Z');

  beforeAll(async () => {
    s = await openServices('content_migration', { clock: () => now });
  });

  afterAll(() => s.database.close());

  it('is sealed once, read the same, and still links a new tip to the old one by its phone number', async () => {
    const old = await seedReport(s.models.reports, { createdAt: '2026-11-01T01:00:00Z', unitIds: ['cap-p4'] });
    await s.models.reports.updateOne(
      { _id: old._id },
      {
        $set: {
          description: 'Cờ bạc trong quán cà phê Hồng Nhung',
          'location.address': '45 Kỳ Đồng',
          'suspects.text': 'Chủ quán, SĐT 0903 111 222',
          'suspects.identifiers': [{ type: 'phone', value: '0903111222' }],
        },
      },
    );
    await s.models.suspectSightings.create({ _id: 'phone:0903111222', sightings: [{ code: old.code, unitIds: ['cap-p4'], at: old.createdAt }] });
    await s.models.reportMessages.create({ _id: 'm-old', reportId: old._id, direction: 'from_reporter', unitId: null, text: 'Quán mở tới 2 giờ sáng', evidenceId: null, at: now });
    await s.models.migrations.deleteMany({ _id: { $in: ['suspect-sightings-hashed', 'reports-sealed', 'report-messages-encrypted'] } });

    await sealStoredContent(s.models, s.cipher, now);
    // A second start finds nothing to do.
    await sealStoredContent(s.models, s.cipher, now);

    const raw = JSON.stringify([await s.models.reports.findOne({ _id: old._id }).lean(), await s.models.suspectSightings.find({}).lean(), await s.models.reportMessages.find({}).lean()]);
    for (const plain of ['Hồng Nhung', 'Kỳ Đồng', '0903', 'Quán mở tới']) expect(raw).not.toContain(plain);

    const read = await s.reportRepository.byId(old._id);
    expect(read).toMatchObject({ description: 'Cờ bạc trong quán cà phê Hồng Nhung', location: { address: '45 Kỳ Đồng' }, suspects: { identifiers: [{ type: 'phone', value: '0903111222' }] } });
    expect((await s.followups.threadOf(old._id)).map((m) => m.text)).toEqual(['Quán mở tới 2 giờ sáng']);

    const { code } = await s.reports.submitTip(tipSubmission({ suspectsText: 'Gọi từ +84 903 111 222' }), now);
    expect((await s.reportRepository.byCode(code))?.relatedCodes).toEqual([old.code]);
  });
});
