import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

describe('a statistics request slower than a chat should wait for', () => {
  let s: Services;

  beforeAll(async () => {
    // Every answer counts as slow here, so the late path is what runs.
    s = await openServices('late_replies', { lateReplyAfterMs: 0 });
  });

  afterAll(() => s.database.close());

  it('says the figures are coming and ends the turn, then posts them to the same chat when ready', async () => {
    const t = s.i18n.forLanguage('vi');
    const desk = { channel: 'webchat' as const, chatId: 'desk-p4' };
    await s.desks.register(desk, s.desks.inviteCodeFor('cap-p4'), null, new Date());
    await s.reports.submitTip(tipSubmission({ anonymous: true, contact: null, suspectsText: null }), new Date());
    const before = s.outbox.length;

    const replies = await s.engine.handle({ key: 'late:1', address: desk, isGroup: false, senderId: 'desk-p4', senderName: 'Trực ban', kind: 'command', command: 'thongke', args: '' });
    expect(replies.map((r) => r.text)).toEqual([t('stats.computing')]);

    await s.lateReplies.drain();
    const late = s.outbox.slice(before).filter((o) => o.address.chatId === desk.chatId).flatMap((o) => o.messages);
    expect(late[0].text).toMatch(/^📊 Thống kê Công an Phường 4/);
    expect(late[0].text).toContain('Tin báo: 1');
    expect(late[0].attachments?.map((a) => a.mime)).toEqual(['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(await s.models.auditLog.countDocuments({ action: 'export_stats' })).toBe(1);
  });
});
