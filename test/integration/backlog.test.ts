import { randomUUID } from 'node:crypto';
import type { InboundEvent } from '../../src/core/chat';
import type { ReportDoc } from '../../src/core/report';
import type { DeskDeliveryDoc } from '../../src/storage/models/desk-delivery.model';
import { openServices } from '../support/services';
import { seedReport } from '../support/seed-reports';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STUCK = 1000;

/**
 * Workers that find due work (reminders, card retries) make progress on
 * every due item however large the backlog, and a new item is handled in
 * the first cycle after it falls due, never behind a thousand old ones.
 */
describe('a backlog of a thousand stuck cases', () => {
  let s: Services;
  let now = new Date('2026-10-01T02:00:00Z');
  const desk = { channel: 'webchat' as const, chatId: 'backlog-p4-desk' };
  // Phường 9's desk chat refuses every card (the bot was removed from it).
  const brokenDesk = { channel: 'webchat' as const, chatId: 'backlog-p9-removed' };
  let refusals = 0;
  const textsToDesk = () => s.outbox.filter((o) => o.address.chatId === desk.chatId).flatMap((o) => o.messages.map((m) => m.text));

  beforeAll(async () => {
    s = await openServices('backlog', { clock: () => now, refuse: (address) => address.chatId === brokenDesk.chatId && (refusals += 1) > 0 });
    for (const [address, unitId] of [[desk, 'cap-p4'], [brokenDesk, 'cap-p9']] as const) {
      const register: InboundEvent = { key: `reg-${randomUUID()}`, address, isGroup: false, senderId: 'officer', senderName: null, kind: 'command', command: 'trucban', args: s.desks.inviteCodeFor(unitId) };
      await s.engine.handle(register);
    }
  });

  afterAll(() => s.database.close());

  it('reminds a new overdue tip in the first run after 1,000 long-overdue tips, and reads none of them', async () => {
    // A thousand tips of Phường 4 that nobody accepted, their deadlines long past and their reminders long sent.
    const model = await seedReport(s.models.reports, { createdAt: new Date(now.getTime() - 30 * DAY), unitIds: ['cap-p4'] });
    const old: ReportDoc[] = Array.from({ length: STUCK }, (_, i) => ({
      ...model,
      _id: randomUUID(),
      code: `TB-B${String(i).padStart(5, '0')}`,
      submissionKey: randomUUID(),
      deadlines: { ...model.deadlines, remindAt: null },
    }));
    await s.models.reports.deleteOne({ _id: model._id });
    await s.models.reports.insertMany(old);

    const fresh = await s.reports.submitTip(tipSubmission({ submissionKey: randomUUID() }), now);
    await s.deliveries.runRound();
    expect(textsToDesk().some((t) => t.includes(fresh.code))).toBe(true);

    now = new Date(now.getTime() + 25 * HOUR);
    const about = (code: string) => textsToDesk().filter((t) => t.includes(code) && t.includes('quá hạn tiếp nhận'));
    // One run: the new tip is reminded (once: it was not reminded "soon" either, being found already overdue).
    expect(await s.deadlines.remind(now)).toBe(1);
    expect(about(fresh.code)).toHaveLength(1);
    // Nothing about the old ones was sent or claimed, and nothing is left due: the next run reads nothing.
    expect(await s.models.reminders.countDocuments({ reportId: { $in: old.map((r) => r._id) } })).toBe(0);
    expect(await s.models.reports.countDocuments({ 'deadlines.remindAt': { $lte: now } })).toBe(0);
    expect(await s.deadlines.remind(now)).toBe(0);
    expect(about(fresh.code)).toHaveLength(1);
  });

  it('catches up, once each, on cases whose reminders fell due while the job was not running', async () => {
    const missed = await Promise.all(
      Array.from({ length: 30 }, () => s.reports.submitTip(tipSubmission({ submissionKey: randomUUID() }), new Date(now.getTime() - 3 * DAY))),
    );
    await s.deliveries.runRound();
    expect(await s.deadlines.remind(now)).toBe(30);
    for (const { code } of missed) expect(textsToDesk().filter((t) => t.includes(code) && t.includes('quá hạn tiếp nhận'))).toHaveLength(1);
    expect(await s.deadlines.remind(now)).toBe(0);
  });

  it('delivers a card due for a retry in the first round after 1,000 older cards for a desk that refuses them, trying that desk once', async () => {
    const p9 = await s.reports.submitTip(tipSubmission({ submissionKey: randomUUID(), location: { kind: 'ward', wardId: 'q3-p9', address: null, lat: null, lon: null } }), now);
    const brokenDeskId = `webchat:${brokenDesk.chatId}`;
    await s.deliveries.runRound();
    await s.models.deskDeliveries.deleteMany({ reportId: p9.id });
    const stuck: DeskDeliveryDoc[] = Array.from({ length: STUCK }, (_, i) => ({
      _id: `stuck-${i}`,
      reportId: p9.id,
      deskId: brokenDeskId,
      status: 'pending',
      attempts: 3,
      nextAttemptAt: new Date(now.getTime() - DAY + i),
      lastError: 'Forbidden: bot was kicked from the chat',
      sentAt: null,
      messageRef: null,
      createdAt: new Date(now.getTime() - DAY),
      onBehalfOf: null,
    }));
    await s.models.deskDeliveries.insertMany(stuck);

    // A new tip for Phường 4 whose first attempt failed: its record is due after all of them.
    const fresh = await s.reports.submitTip(tipSubmission({ submissionKey: randomUUID() }), now);
    await s.models.deskDeliveries.updateMany({ reportId: fresh.id }, { $set: { status: 'pending', nextAttemptAt: new Date(now.getTime() - 1), sentAt: null } });
    const cardsOfFresh = () => textsToDesk().filter((t) => t.includes(fresh.code)).length;
    const before = cardsOfFresh();
    refusals = 0;

    await s.deliveries.runRound();
    expect(cardsOfFresh()).toBe(before + 1);
    expect(refusals).toBe(1);
    // The refusing desk's cards wait for their retry, none lost and none due now.
    expect(await s.models.deskDeliveries.countDocuments({ deskId: brokenDeskId, status: 'pending' })).toBe(STUCK);
    expect(await s.models.deskDeliveries.countDocuments({ status: 'pending', nextAttemptAt: { $lte: now } })).toBe(0);
  });

  it('sends the card of a tip happening now before any other waiting card', async () => {
    // No suspects named: cards of linked tips would name each other's codes.
    const ordinary = [1, 2, 3].map(() => tipSubmission({ submissionKey: randomUUID(), occurred: { kind: 'today', text: null }, suspectsText: null }));
    const happening = tipSubmission({ submissionKey: randomUUID(), occurred: { kind: 'now', text: null }, suspectsText: null });
    // Four cards waiting together (their first attempts failed), the one happening now filed last.
    const filed: { id: string; code: string }[] = [];
    for (const submission of [...ordinary, happening]) filed.push(await s.reports.submitTip(submission, now));
    await s.deliveries.runRound();
    await s.models.deskDeliveries.updateMany({ reportId: { $in: filed.map((f) => f.id) } }, { $set: { status: 'pending', sentAt: null, nextAttemptAt: new Date(now.getTime() - 1) } });
    const start = textsToDesk().length;
    await s.deliveries.runRound();
    const order = textsToDesk()
      .slice(start)
      .map((t) => filed.findIndex((f) => t.includes(f.code)))
      .filter((i) => i >= 0);
    expect(order[0]).toBe(3);
    expect(textsToDesk().slice(start).find((t) => t.includes(filed[3].code))?.startsWith('⚡ ĐANG DIỄN RA')).toBe(true);
  });
});
