import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

describe('two different officer actions on one tip at the same moment', () => {
  let s: Services;

  beforeAll(async () => {
    s = await openServices('triage_races');
  });

  afterAll(() => s.database.close());

  it('lets exactly one of "accept" and "forward" change the tip, and keeps its history whole', async () => {
    const deskA = { channel: 'webchat' as const, chatId: 'desk-a' };
    const deskB = { channel: 'webchat' as const, chatId: 'desk-b' };
    await s.desks.register(deskA, s.desks.inviteCodeFor('cap-p4'), null, new Date());
    await s.desks.register(deskB, s.desks.inviteCodeFor('cap-p4'), null, new Date());

    for (let round = 0; round < 5; round += 1) {
      const { id } = await s.reports.submitTip(
        tipSubmission({ category: 'theft_robbery', anonymous: true, contact: null, suspectsText: null }),
        new Date(),
      );

      const [accepted, forwarded] = await Promise.all([
        s.triage.handle({ address: deskA, userId: 'a', name: 'An' }, id, 'accept'),
        s.triage.forward({ address: deskB, userId: 'b', name: 'Bình' }, id, 'cap-p9', 'Thuộc địa bàn Phường 9'),
      ]);

      const report = await s.models.reports.findOne({ _id: id }).lean();
      const history = report?.statusHistory.map((h) => h.status);
      const acceptWon = accepted.kind === 'done';
      const forwardWon = forwarded === 'forwarded';
      expect(acceptWon !== forwardWon).toBe(true);
      if (acceptWon) {
        expect(report).toMatchObject({ status: 'accepted', unitIds: ['cap-p4'], version: 1 });
        expect(history).toEqual(['received', 'accepted']);
        expect(forwarded).toEqual({ kind: 'refused', reason: 'changed_meanwhile' });
      } else {
        expect(report).toMatchObject({ status: 'received', unitIds: ['cap-p9'], assignee: null, version: 1 });
        expect(history).toEqual(['received', 'forwarded']);
      }
      expect(await s.models.auditLog.countDocuments({ reportId: id, action: { $in: ['accept', 'forward'] } })).toBe(1);
    }
  });

  it('never loses a deadline extension made while another officer acts on the tip', async () => {
    const deskA = { channel: 'webchat' as const, chatId: 'desk-a' };
    for (let round = 0; round < 5; round += 1) {
      const { id, code } = await s.reports.submitTip(
        tipSubmission({ anonymous: true, contact: null, suspectsText: null }),
        new Date(),
      );
      const [accepted, extended] = await Promise.all([
        s.triage.handle({ address: deskA, userId: 'a', name: 'An' }, id, 'accept'),
        s.deadlines.extend({ address: deskA, userId: 'c', name: 'Cường' }, `${code} 5 Chờ sao kê ngân hàng`, new Date()),
      ]);
      const report = await s.models.reports.findOne({ _id: id }).lean();
      expect(extended.kind).toBe('extended');
      expect(report?.deadlines.extensions).toHaveLength(1);
      const acceptWon = accepted.kind === 'done';
      expect(report?.status).toBe(acceptWon ? 'accepted' : 'received');
      expect(report?.version).toBe(acceptWon ? 2 : 1);
    }
  });
});

