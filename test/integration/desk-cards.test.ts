import { randomUUID } from 'node:crypto';
import type { InboundEvent } from '../../src/core/chat';
import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';
import { reportIdFor } from '../../src/domain/reports/file-report';

type Services = Awaited<ReturnType<typeof openServices>>;

/** Cards reach desks without anything reading the case history to find them. */
describe('desk cards', () => {
  let s: Services;
  let now = new Date('2026-12-02T03:00:00Z');
  const desk = { channel: 'webchat' as const, chatId: 'p9-desk' };
  const cardsFor = (code: string) => s.outbox.filter((o) => o.address.chatId === desk.chatId).flatMap((o) => o.messages).filter((m) => m.text.includes(code)).length;

  beforeAll(async () => {
    s = await openServices('desk_cards', { clock: () => now });
  });

  afterAll(() => s.database.close());

  it('gives a desk that registers after a tip was filed for its unit that tip once; the same draft sent again makes no second card', async () => {
    const submission = tipSubmission({ submissionKey: randomUUID(), location: { kind: 'ward', wardId: 'q3-p9', address: null, lat: null, lon: null }, suspectsText: null });
    const filed = await s.reports.submitTip(submission, now);
    await s.deliveries.runRound();

    const register: InboundEvent = { key: `reg-${randomUUID()}`, address: desk, isGroup: false, senderId: 'officer', senderName: null, kind: 'command', command: 'trucban', args: s.desks.inviteCodeFor('cap-p9') };
    await s.engine.handle(register);
    await s.deliveries.runRound();
    expect(cardsFor(filed.code)).toBe(1);

    expect(await s.reports.submitTip(submission, now)).toEqual(filed);
    s.deliveries.poke();
    await s.deliveries.runRound();
    await s.deliveries.runRound();
    expect(cardsFor(filed.code)).toBe(1);
    expect(await s.models.deskDeliveries.countDocuments({ reportId: filed.id })).toBe(1);
  });

  it('sends a card planned for a case still being stored on the round after its filing, not a retry later', async () => {
    const p4 = { channel: 'webchat' as const, chatId: 'p4-desk' };
    await s.desks.register(p4, s.desks.inviteCodeFor('cap-p4'), null, now);
    const submission = tipSubmission({ submissionKey: randomUUID(), suspectsText: null });
    const id = reportIdFor(submission.submissionKey);
    await s.deliveries.plan(id, ['cap-p4']); // planned; the case is not stored yet
    s.deliveries.poke(); // another case's round comes first
    await s.deliveries.idle();
    expect(await s.models.deskDeliveries.findOne({ reportId: id }).lean()).toMatchObject({ status: 'pending', attempts: 1, lastError: null });

    const filed = await s.reports.submitTip(submission, now);
    s.deliveries.poke(); // what filing does
    await s.deliveries.idle();
    expect(await s.models.deskDeliveries.findOne({ reportId: id }).lean()).toMatchObject({ status: 'sent', attempts: 1 });
    expect(s.outbox.filter((o) => o.address.chatId === p4.chatId).flatMap((o) => o.messages).filter((m) => m.text.includes(filed.code))).toHaveLength(1);
  });

  it('gets a case to every one of its desks when planning its cards failed half-way: the resident’s retried "Gửi" completes the plan', async () => {
    const p4 = { channel: 'webchat' as const, chatId: 'p4-desk-2' };
    const drugs = { channel: 'webchat' as const, chatId: 'drug-team-desk' };
    await s.desks.register(p4, s.desks.inviteCodeFor('cap-p4'), null, now);
    await s.desks.register(drugs, s.desks.inviteCodeFor('q3-drugs'), null, now);
    const submission = tipSubmission({ submissionKey: randomUUID(), category: 'drugs', suspectsText: null });
    const id = reportIdFor(submission.submissionKey);

    // The insert of the card records lands for one desk only, then the database fails.
    const plan = s.deskDeliveries.plan.bind(s.deskDeliveries);
    let failOnce = true;
    s.deskDeliveries.plan = async (reportId, targets, at, leaseMs, urgent) => {
      if (!failOnce) return plan(reportId, targets, at, leaseMs, urgent);
      failOnce = false;
      await plan(reportId, targets.slice(0, 1), at, leaseMs, urgent);
      throw new Error('connection reset');
    };
    try {
      await expect(s.reports.submitTip(submission, now)).rejects.toThrow('connection reset');
      expect(await s.models.reports.countDocuments({ _id: id })).toBe(0);
      const filed = await s.reports.submitTip(submission, now);
      await s.deliveries.runRound();
      // The first desk's record, left held by the failed attempt, is sent once its hold runs out.
      now = new Date(now.getTime() + 61_000);
      await s.deliveries.runRound();
      const cardsIn = (chatId: string) => s.outbox.filter((o) => o.address.chatId === chatId).flatMap((o) => o.messages).filter((m) => m.text.includes(filed.code)).length;
      expect([cardsIn(p4.chatId), cardsIn(drugs.chatId)]).toEqual([1, 1]);
    } finally {
      s.deskDeliveries.plan = plan;
    }
  });
});
