import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

/**
 * An officer's action claims the change first, then writes the tip. A
 * process that dies between the two must not leave the tip wedged: after
 * the claim's lease, the same action succeeds, once.
 */
describe('a claim whose holder died before writing', () => {
  let s: Services;
  let now = new Date('2026-12-02T03:00:00Z');
  const desk = { channel: 'webchat' as const, chatId: 'wedge-desk' };
  const officer = { address: desk, userId: 'o1', name: 'Hạnh' };

  beforeAll(async () => {
    s = await openServices('wedged_claims', { clock: () => now });
    await s.desks.register(desk, s.desks.inviteCodeFor('cap-p4'), null, now);
  });

  afterAll(() => s.database.close());

  /** The next write to a tip dies (the process was killed between its claims and its write). */
  function dieAtNextWrite(): void {
    const update = s.reportRepository.update.bind(s.reportRepository);
    s.reportRepository.update = async () => {
      s.reportRepository.update = update;
      throw new Error('killed');
    };
  }

  async function fileTip(): Promise<string> {
    const { id } = await s.reports.submitTip(tipSubmission({ anonymous: true, contact: null, suspectsText: null }), now);
    return id;
  }

  it('accept: refused while the dead claim is fresh, made once after its lease', async () => {
    const id = await fileTip();
    dieAtNextWrite();
    await expect(s.triage.handle(officer, id, 'accept')).rejects.toThrow('killed');
    expect((await s.models.reports.findOne({ _id: id }).lean())?.status).toBe('received');

    // Within the lease the claim stands (its holder may still be writing).
    expect((await s.triage.handle(officer, id, 'accept')).kind).not.toBe('done');

    now = new Date(now.getTime() + 61_000);
    expect((await s.triage.handle(officer, id, 'accept')).kind).toBe('done');
    expect((await s.triage.handle(officer, id, 'accept')).kind).toBe('already_done');
    const report = await s.models.reports.findOne({ _id: id }).lean();
    expect(report?.status).toBe('accepted');
    expect(report?.statusHistory.filter((h) => h.status === 'accepted')).toHaveLength(1);
    expect(await s.models.auditLog.countDocuments({ reportId: id, action: 'accept' })).toBe(1);
  });

  it('assess and close: the same, and an assessment made is never taken over', async () => {
    const id = await fileTip();
    expect((await s.triage.handle(officer, id, 'accept')).kind).toBe('done');
    dieAtNextWrite();
    await expect(s.triage.handle(officer, id, 'valuable')).rejects.toThrow('killed');
    now = new Date(now.getTime() + 61_000);
    expect((await s.triage.handle(officer, id, 'valuable')).kind).toBe('done');
    // Completed: a later press in the same round is refused, however long after.
    now = new Date(now.getTime() + 3_600_000);
    expect((await s.triage.handle(officer, id, 'not_valuable')).kind).toBe('already_done');
    expect((await s.models.reports.findOne({ _id: id }).lean())?.assessment).toBe('valuable');

    dieAtNextWrite();
    await expect(s.triage.handle(officer, id, 'close:handled')).rejects.toThrow('killed');
    now = new Date(now.getTime() + 61_000);
    expect((await s.triage.handle(officer, id, 'close:handled')).kind).toBe('done');
    expect((await s.models.reports.findOne({ _id: id }).lean())?.status).toBe('closed');
  });

  it('forward: made once after the lease', async () => {
    const id = await fileTip();
    dieAtNextWrite();
    await expect(s.triage.forward(officer, id, 'cap-p9', 'Thuộc Phường 9')).rejects.toThrow('killed');
    expect(await s.triage.forward(officer, id, 'cap-p9', 'Thuộc Phường 9')).not.toBe('forwarded');
    now = new Date(now.getTime() + 61_000);
    expect(await s.triage.forward(officer, id, 'cap-p9', 'Thuộc Phường 9')).toBe('forwarded');
    const report = await s.models.reports.findOne({ _id: id }).lean();
    expect(report?.unitIds).toEqual(['cap-p9']);
    expect(report?.forwards).toHaveLength(1);
  });
});
