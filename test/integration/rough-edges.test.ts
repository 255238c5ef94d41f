import { randomUUID } from 'node:crypto';
import type { InboundEvent, OutboundMessage } from '../../src/core/chat';
import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

/** What residents and officers tripped over (issue #14), each as they now see it. */
describe('rough edges residents and officers tripped over', () => {
  let s: Services;
  let now: Date;
  const desk = { channel: 'webchat' as const, chatId: 'edges-desk-p4' };

  let counter = 0;
  const from = (chatId: string, body: Record<string, unknown>, sender: { id: string | null; name: string | null } = { id: chatId, name: null }): InboundEvent => {
    counter += 1;
    return { key: `edges:${counter}`, address: { channel: 'webchat', chatId }, isGroup: false, senderId: sender.id, senderName: sender.name, ...body } as InboundEvent;
  };
  const text = (chatId: string, value: string) => s.engine.handle(from(chatId, { kind: 'text', text: value }));
  const command = (chatId: string, name: string, args = '') => s.engine.handle(from(chatId, { kind: 'command', command: name, args }));
  const button = (chatId: string, payload: string, sender?: { id: string | null; name: string | null }) => s.engine.handle(from(chatId, { kind: 'button', payload }, sender));
  const texts = (replies: OutboundMessage[]) => replies.map((r) => r.text).join('\n---\n');
  /** The last card (or card edit) the desk was sent for this code. */
  const lastCard = (code: string) => [...s.outbox].reverse().flatMap((o) => (o.address.chatId === desk.chatId ? o.messages : [])).find((m) => m.text.includes(code))?.text ?? '';

  beforeAll(async () => {
    now = new Date('2026-12-02T03:00:00Z');
    s = await openServices('rough_edges', { clock: () => now });
  });

  afterAll(() => s.database.close());

  it('registers a desk whose invite code was typed in capitals', async () => {
    const replies = await command(desk.chatId, 'trucban', s.desks.inviteCodeFor('cap-p4').toUpperCase());
    expect(texts(replies)).toContain('đã được đăng ký làm bàn trực ban của Công an Phường 4');
  });

  it('lists /bosung in help, and in a desk chat (private or group) the desk’s own commands, a mediation team’s its own', async () => {
    expect(texts(await command('edges-help', 'trogiup'))).toContain('/bosung <mã>');
    await button('edges-help', 'g:lang:en');
    expect(texts(await command('edges-help', 'help'))).toContain('/followup <code>');

    const deskHelp = texts(await command(desk.chatId, 'trogiup'));
    expect(deskHelp).toContain('Lệnh của bàn trực ban Công an Phường 4');
    expect(deskHelp).toContain('/quahan');
    const group = { channel: 'webchat' as const, chatId: 'edges-team-group' };
    await s.desks.register(group, s.desks.inviteCodeFor('hg-p4'), null, now);
    const inGroup = texts(await s.engine.handle({ ...from(group.chatId, { kind: 'command', command: 'trogiup', args: '' }), isGroup: true }));
    expect(inGroup).toContain('/sohoagiai');
    expect(inGroup).not.toContain('riêng');
  });

  it('starts a tip or a dispute from the words people type alone: baotin, hoagiai, report, dispute', async () => {
    for (const [chat, word] of [['edges-w1', 'baotin'], ['edges-w2', 'hoagiai'], ['edges-w3', 'report'], ['edges-w4', 'dispute'], ['edges-w5', 'Báo tin']]) {
      expect(texts(await text(chat, word))).toContain('Thông báo về dữ liệu cá nhân');
      const started = texts(await button(chat, 'g:consent:yes'));
      expect(started).toContain(['hoagiai', 'dispute'].includes(word) ? 'hòa giải' : 'Bước 1/7');
    }
  });

  it('shows a new card as waiting, an unnamed officer’s acceptance without a made-up name, and a closed card as closed', async () => {
    const { id, code } = await s.reports.submitTip(tipSubmission({ anonymous: true, contact: null }), now);
    await s.deliveries.runRound();
    expect(lastCard(code)).toContain(`TIN BÁO MỚI ${code}`);
    expect(lastCard(code)).toContain('Trạng thái: Chờ tiếp nhận');

    const officer = { id: 'officer-1', name: null };
    await button(desk.chatId, `d:${id}:accept`, officer);
    expect(lastCard(code)).toContain(`📋 TIN BÁO ${code}`);
    expect(lastCard(code)).toContain('Trạng thái: Đã tiếp nhận xử lý');
    expect(lastCard(code)).not.toContain('cán bộ một cán bộ khác');
    expect(lastCard(code)).not.toMatch(/cán bộ\s*(·|$|\n)/);

    await button(desk.chatId, `d:${id}:close:no_basis`, officer);
    expect(lastCard(code)).toContain(`TIN BÁO ${code} · ĐÃ KẾT THÚC`);
    expect(lastCard(code)).not.toContain('TIN BÁO MỚI');
  });

  it('tells the reporter looking up their closed tip how it ended, in Vietnamese and in English; nobody else', async () => {
    const { id, code } = await s.reports.submitTip(tipSubmission({ residentKey: s.engine.keyOf({ channel: 'webchat', chatId: 'edges-lookup' }) }), now);
    await button(desk.chatId, `d:${id}:accept`, { id: 'officer-2', name: 'Tuấn' });
    await button(desk.chatId, `d:${id}:close:prosecuted`, { id: 'officer-2', name: 'Tuấn' });

    const vi = texts(await command('edges-lookup', 'tracuu', code));
    expect(vi).toContain('Tình trạng: Đã kết thúc\nKết quả: Đã khởi tố');
    await button('edges-lookup', 'g:lang:en');
    const en = texts(await command('edges-lookup', 'status', code));
    expect(en).toContain('Status: Closed\nOutcome: Prosecuted');
    const someoneElse = texts(await command('edges-other', 'tracuu', code));
    expect(someoneElse).toContain('Tình trạng: Đã kết thúc');
    expect(someoneElse).not.toContain('Kết quả');
  });

  it('names a dispute’s kind in words when it is looked up, never its key', async () => {
    const { code } = await s.intake.submit(
      {
        submissionKey: randomUUID(),
        kind: 'noise',
        description: 'Hàng xóm hát karaoke đến 1 giờ sáng mỗi ngày.',
        since: '3 tháng',
        tried: null,
        otherParty: 'Nhà số 14',
        otherPartyAgrees: 'unknown',
        wardId: 'q3-p4',
        address: '12 Trần Văn Đang',
        requester: { name: 'Lê Văn Bình', birthYear: 1980, address: '10 Trần Văn Đang', phone: '0912000111' },
        desiredOutcome: 'Chỉ hát đến 22 giờ',
        residentKey: 'edges-requester',
        channel: 'webchat',
        lang: 'vi',
      },
      now,
    );
    const vi = texts(await command('edges-dispute-lookup', 'tracuu', code));
    expect(vi).toContain(`Vụ việc hòa giải ${code}`);
    expect(vi).toContain('Loại tranh chấp: Tiếng ồn');
    expect(vi).not.toContain('dispute_kind.');
    await button('edges-dispute-lookup', 'g:lang:en');
    const en = texts(await command('edges-dispute-lookup', 'status', code));
    expect(en).not.toMatch(/category\.|dispute_kind\./);
    expect(en).toContain(`Mediation case ${code}`);
  });

  it('speaks of mediation, not tips, to a mediation team and to the person who asked for mediation', async () => {
    const team = { channel: 'webchat' as const, chatId: 'edges-team-desk' };
    const registered = texts(await command(team.chatId, 'trucban', s.desks.inviteCodeFor('hg-p4')));
    expect(registered).toContain('bàn trực của Tổ hòa giải Phường 4');
    expect(registered).not.toContain('Tin báo');

    const requester = 'edges-requester-chat';
    const { code } = await s.intake.submit(
      {
        submissionKey: randomUUID(),
        kind: 'rent',
        description: 'Chủ nhà giữ tiền cọc dù đã trả phòng đúng hạn.',
        since: '2 tuần',
        tried: 'Đã nói chuyện một lần',
        otherParty: 'Chủ nhà trọ số 5',
        otherPartyAgrees: 'yes',
        wardId: 'q3-p4',
        address: '5 Trần Văn Đang',
        requester: { name: 'Phạm Thu', birthYear: 1995, address: '5 Trần Văn Đang', phone: '0912000222' },
        desiredOutcome: 'Trả lại tiền cọc',
        residentKey: s.engine.keyOf({ channel: 'webchat', chatId: requester }),
        channel: 'webchat',
        lang: 'vi',
      },
      now,
    );
    await s.deliveries.runRound();
    const told = texts(await command(requester, 'bosung', `${code} Tôi có ảnh biên nhận tiền cọc`));
    expect(told).toContain(`vụ việc ${code} đến tổ hòa giải`);
    expect(told).not.toContain('tin báo');
    const atTeam = s.outbox.filter((o) => o.address.chatId === team.chatId).flatMap((o) => o.messages.map((m) => m.text));
    expect(atTeam).toContain(`📨 Người yêu cầu hòa giải #${code} bổ sung:\n«Tôi có ảnh biên nhận tiền cọc»`);
  });

  it('says the new deadline when an officer extends one', async () => {
    const { code } = await s.reports.submitTip(tipSubmission(), now);
    const report = await s.models.reports.findOne({ code }).lean();
    const replies = texts(await command(desk.chatId, 'giahan', `${code} 10 Chờ kết quả giám định`));
    const due = new Date((report?.deadlines.outcomeDueAt.getTime() ?? 0) + 10 * 24 * 3_600_000);
    const dueInVietnam = new Date(due.getTime() + 7 * 3_600_000);
    const day = `${String(dueInVietnam.getUTCDate()).padStart(2, '0')}/${String(dueInVietnam.getUTCMonth() + 1).padStart(2, '0')}/${dueInVietnam.getUTCFullYear()}`;
    expect(replies).toContain(`Đã gia hạn xử lý ${code} đến`);
    expect(replies).toContain(day);
  });

  it('tells a median time under an hour in minutes, not as 0 hours', async () => {
    const filedAt = now;
    const { id } = await s.reports.submitTip(tipSubmission({ category: 'drugs' }), filedAt);
    now = new Date(filedAt.getTime() + 5 * 60_000);
    await button(desk.chatId, `d:${id}:accept`, { id: 'officer-3', name: 'Hà' });
    const summary = texts(await command(desk.chatId, 'thongke'));
    expect(summary).toMatch(/đến khi tiếp nhận: \d+ phút/);
    expect(summary).not.toContain('tiếp nhận: 0 giờ');
  });
});
