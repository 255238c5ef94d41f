import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';
import type { ChatAddress } from '../../src/core/chat';

type Services = Awaited<ReturnType<typeof openServices>>;

/**
 * An officer's change is written with what it owes: its audit entry, the
 * reporter's notice, every desk's card edited, the new unit's card. A process
 * that dies at any point between those leaves either nothing or, once the
 * sweep has run, all of it, each part once.
 */
describe('an officer change interrupted between its parts', () => {
  let s: Services;
  let now = new Date('2026-12-02T03:00:00Z');
  const desk = { channel: 'webchat' as const, chatId: 'faults-desk-p4' };
  const p9Desk = { channel: 'webchat' as const, chatId: 'faults-desk-p9' };
  const officer = { address: desk, userId: 'o1', name: 'Hạnh' };
  const reporter: ChatAddress = { channel: 'webchat', chatId: 'faults-reporter' };

  beforeAll(async () => {
    s = await openServices('officer_change_faults', { clock: () => now });
    await s.desks.register(desk, s.desks.inviteCodeFor('cap-p4'), null, now);
    await s.desks.register(p9Desk, s.desks.inviteCodeFor('cap-p9'), null, now);
    await s.residents.recordConsent(s.engine.keyOf(reporter), reporter, 'vi', now);
  });

  afterAll(() => s.database.close());

  async function fileTip(): Promise<string> {
    const { id } = await s.reports.submitTip(tipSubmission({ residentKey: s.engine.keyOf(reporter) }), now);
    await s.deliveries.runRound();
    return id;
  }

  /** The next call of `method` on `target` throws, as a process killed right there would stop. */
  function dieAt<T extends object, K extends keyof T>(target: T, method: K): void {
    const original = target[method];
    target[method] = (async () => {
      target[method] = original;
      throw new Error('killed');
    }) as T[K];
  }

  const noticesTo = (words: string): number => s.outbox.filter((o) => o.address.chatId === reporter.chatId && o.messages.some((m) => m.text.includes(words))).length;
  const cardEditsFor = (address: ChatAddress, code: string, words: string): number =>
    s.outbox.filter((o) => o.address.chatId === address.chatId && o.messages.some((m) => m.text.includes(code) && m.text.includes(words))).length;
  const audits = (reportId: string, action: string): Promise<number> => s.models.auditLog.countDocuments({ reportId, action });

  /** Runs the sweep after its grace time, twice: the second run must find nothing left to do. */
  async function sweepLater(): Promise<void> {
    now = new Date(now.getTime() + 31_000);
    await s.changes.sweep();
    expect(await s.changes.sweep()).toBe(0);
    expect(await s.models.reportChanges.countDocuments({})).toBe(0);
  }

  it('dies before the tip is written: nothing happened, and the record of it is dropped', async () => {
    const id = await fileTip();
    dieAt(s.reportRepository, 'update');
    await expect(s.triage.handle(officer, id, 'accept')).rejects.toThrow('killed');
    expect(await s.models.reportChanges.countDocuments({ reportId: id })).toBe(1);

    // Within the lease the record stays (its writer may yet write); long after, it goes, and nothing was done.
    await sweepLaterUntilDropped(id);
    expect((await s.models.reports.findOne({ _id: id }).lean())?.status).toBe('received');
    expect(await audits(id, 'accept')).toBe(0);
    expect(noticesTo('tiếp nhận')).toBe(0);
  });

  async function sweepLaterUntilDropped(reportId: string): Promise<void> {
    now = new Date(now.getTime() + 31_000);
    expect(await s.changes.sweep()).toBe(0);
    expect(await s.models.reportChanges.countDocuments({ reportId })).toBe(1);
    now = new Date(now.getTime() + 11 * 60_000);
    expect(await s.changes.sweep()).toBe(0);
    expect(await s.models.reportChanges.countDocuments({ reportId })).toBe(0);
  }

  it('dies after the tip is written, before its audit entry: the sweep writes it, the notice and the cards, once', async () => {
    const id = await fileTip();
    const code = (await s.models.reports.findOne({ _id: id }).lean())?.code ?? '';
    dieAt(s.models.auditLog, 'create');
    await expect(s.triage.handle(officer, id, 'accept')).rejects.toThrow('killed');
    expect((await s.models.reports.findOne({ _id: id }).lean())?.status).toBe('accepted');
    expect(await audits(id, 'accept')).toBe(0);
    expect(noticesTo('tiếp nhận')).toBe(0);

    await sweepLater();
    expect(await audits(id, 'accept')).toBe(1);
    expect(noticesTo(code)).toBe(1);
    expect(cardEditsFor(desk, code, 'Đã tiếp nhận xử lý')).toBeGreaterThanOrEqual(1);
  });

  it('dies after the audit entry, before the notice: the notice goes once, the audit entry stays one', async () => {
    const id = await fileTip();
    const code = (await s.models.reports.findOne({ _id: id }).lean())?.code ?? '';
    await s.triage.handle(officer, id, 'accept');
    const told = noticesTo(code);
    dieAt(s.notices, 'enqueue');
    await expect(s.triage.handle(officer, id, 'close:handled')).rejects.toThrow('killed');
    expect(await audits(id, 'close:handled')).toBe(1);
    expect(noticesTo(code)).toBe(told);

    await sweepLater();
    expect(await audits(id, 'close:handled')).toBe(1);
    expect(noticesTo(code)).toBe(told + 1);
  });

  it('dies after the notice went, before the record is removed: nothing is told or audited twice', async () => {
    const id = await fileTip();
    const code = (await s.models.reports.findOne({ _id: id }).lean())?.code ?? '';
    dieAt(s.models.reportChanges, 'deleteOne');
    await expect(s.triage.handle(officer, id, 'accept')).rejects.toThrow('killed');
    expect(noticesTo(code)).toBe(1);

    await sweepLater();
    expect(noticesTo(code)).toBe(1);
    expect(await audits(id, 'accept')).toBe(1);
  });

  it('a forward interrupted before the new unit gets the card: the sweep delivers it, once', async () => {
    const id = await fileTip();
    const code = (await s.models.reports.findOne({ _id: id }).lean())?.code ?? '';
    dieAt(s.deliveries, 'plan');
    await expect(s.triage.forward(officer, id, 'cap-p9', 'Thuộc Phường 9')).rejects.toThrow('killed');
    expect((await s.models.reports.findOne({ _id: id }).lean())?.unitIds).toEqual(['cap-p9']);
    // Only the Phường 4 desk's card so far.
    expect(await s.models.deskDeliveries.countDocuments({ reportId: id })).toBe(1);

    await sweepLater();
    expect(await s.models.deskDeliveries.countDocuments({ reportId: id })).toBe(2);
    await s.deliveries.runRound();
    await s.deliveries.runRound();
    expect(s.outbox.filter((o) => o.address.chatId === p9Desk.chatId && o.messages.some((m) => m.text.includes(code))).length).toBe(1);
    expect(await audits(id, 'forward')).toBe(1);
    expect(noticesTo(code)).toBe(1);
  });

  it('a message to the reporter interrupted before its notice: the thread, the audit entry and the notice, once each', async () => {
    const id = await fileTip();
    dieAt(s.notices, 'enqueue');
    await expect(s.followups.relayToReporter(officer, id, 'Anh chị nhớ biển số xe không?')).rejects.toThrow('killed');
    expect(noticesTo('biển số xe')).toBe(0);

    await sweepLater();
    expect(noticesTo('biển số xe')).toBe(1);
    expect(await audits(id, 'reply_to_reporter')).toBe(1);
    expect((await s.followups.threadOf(id)).map((m) => m.text)).toEqual(['Anh chị nhớ biển số xe không?']);
  });
});
