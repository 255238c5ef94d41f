import { randomUUID } from 'node:crypto';
import type { InboundEvent, OutboundMessage } from '../../src/core/chat';
import type { DisputeSubmission } from '../../src/domain/mediation/dispute-intake';
import { openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';
import { PNG_1X1 } from '../support/seed-audience';

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

  /** A dispute filed in Phường 4 from the web chat; a spec gives what it is about. */
  const fileDispute = (fields: Omit<DisputeSubmission, 'submissionKey' | 'tried' | 'wardId' | 'channel' | 'lang'> & Partial<DisputeSubmission>) =>
    s.intake.submit({ submissionKey: randomUUID(), tried: null, wardId: 'q3-p4', channel: 'webchat', lang: 'vi', ...fields }, now);

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

  it('takes words like "constructor" for what they are: no language, no menu entry', async () => {
    const chat = 'edges-proto';
    expect(texts(await command(chat, 'ngonngu', 'constructor'))).toContain(s.i18n.forLanguage('vi')('language.prompt'));
    expect((await s.store.load(s.engine.keyOf({ channel: 'webchat', chatId: chat }))).lang).toBe('vi');
    expect(texts(await button(chat, 'g:menu:constructor'))).toContain('Các lệnh:');
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

  it('says which unit holds a related tip the desk cannot open', async () => {
    const nowhere = { kind: 'unknown' as const, wardId: null, address: null, lat: null, lon: null };
    const drugTeamOnly = await s.reports.submitTip(tipSubmission({ category: 'drugs', location: nowhere, suspectsText: 'Giao hàng từ số 0977 111 222' }), now);
    const p4 = await s.reports.submitTip(tipSubmission({ category: 'drugs', suspectsText: 'Người bán dùng số 0977111222' }), now);
    await s.deliveries.runRound();
    expect(lastCard(p4.code)).toContain(`Liên quan: ${drugTeamOnly.code} (do Đội Cảnh sát điều tra tội phạm về ma túy Quận 3 giữ)`);
  });

  it('tells the reporter looking up their closed tip how it ended, in Vietnamese and in English; nobody else', async () => {
    const { id, code } = await s.reports.submitTip(tipSubmission({ residentKey: s.engine.keyOf({ channel: 'webchat', chatId: 'edges-lookup' }) }), now);
    await button(desk.chatId, `d:${id}:accept`, { id: 'officer-2', name: 'Tuấn' });
    await button(desk.chatId, `d:${id}:close:prosecuted`, { id: 'officer-2', name: 'Tuấn' });
    await s.engine.handle(from(desk.chatId, { kind: 'text', text: '1' }, { id: 'officer-2', name: 'Tuấn' }));

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
    const { code } = await fileDispute({
      kind: 'noise',
      description: 'Hàng xóm hát karaoke đến 1 giờ sáng mỗi ngày.',
      since: '3 tháng',
      otherParty: 'Nhà số 14',
      otherPartyAgrees: 'unknown',
      address: '12 Trần Văn Đang',
      requester: { name: 'Lê Văn Bình', birthYear: 1980, address: '10 Trần Văn Đang', phone: '0912000111' },
      desiredOutcome: 'Chỉ hát đến 22 giờ',
      residentKey: 'edges-requester',
    });
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
    const { code } = await fileDispute({
      kind: 'rent',
      description: 'Chủ nhà giữ tiền cọc dù đã trả phòng đúng hạn.',
      since: '2 tuần',
      tried: 'Đã nói chuyện một lần',
      otherParty: 'Chủ nhà trọ số 5',
      otherPartyAgrees: 'yes',
      address: '5 Trần Văn Đang',
      requester: { name: 'Phạm Thu', birthYear: 1995, address: '5 Trần Văn Đang', phone: '0912000222' },
      desiredOutcome: 'Trả lại tiền cọc',
      residentKey: s.engine.keyOf({ channel: 'webchat', chatId: requester }),
    });
    await s.deliveries.runRound();
    const told = texts(await command(requester, 'bosung', `${code} Tôi có ảnh biên nhận tiền cọc`));
    expect(told).toContain(`vụ việc ${code} đến tổ hòa giải`);
    expect(told).not.toContain('tin báo');
    const atTeam = s.outbox.filter((o) => o.address.chatId === team.chatId).flatMap((o) => o.messages.map((m) => m.text));
    expect(atTeam).toContain(`📨 Người yêu cầu hòa giải #${code} bổ sung:\n«Tôi có ảnh biên nhận tiền cọc»`);
  });

  it('offers to pass a stray message on to the team handling the writer’s open case, instead of not understanding it', async () => {
    const chat = 'edges-requester-4';
    await text(chat, 'xin chào');
    await button(chat, 'g:consent:yes');
    expect(texts(await text(chat, 'Cho tôi hỏi'))).toContain('Mình chưa hiểu ý bạn');

    const { code } = await fileDispute({
      kind: 'noise',
      description: 'Xưởng gỗ chạy máy cưa sau 22 giờ.',
      since: '2 tháng',
      otherParty: 'Xưởng gỗ số 30',
      otherPartyAgrees: 'unknown',
      address: '30 Trần Văn Đang',
      requester: { name: 'Hồ Nam', birthYear: 1988, address: '28 Trần Văn Đang', phone: '0912000555' },
      desiredOutcome: 'Không chạy máy sau 21 giờ',
      residentKey: s.engine.keyOf({ channel: 'webchat', chatId: chat }),
    });
    await s.deliveries.runRound();
    const reply = 'Tôi bận tối 4/12, xin đổi sang tối 5/12 được không?';
    const offered = await text(chat, reply);
    expect(texts(offered)).toContain(`chuyển nó đến tổ hòa giải đang giải quyết vụ việc ${code}`);
    expect(offered.flatMap((m) => m.buttons ?? []).flat().map((b) => b.label)).toContain('📨 Gửi đến tổ hòa giải');

    expect(texts(await button(chat, 's:confirm:send'))).toContain(`vụ việc ${code} đến tổ hòa giải`);
    const atTeam = s.outbox.filter((o) => o.address.chatId === 'edges-team-desk').flatMap((o) => o.messages.map((m) => m.text));
    expect(atTeam).toContain(`📨 Người yêu cầu hòa giải #${code} bổ sung:\n«${reply}»`);
  });

  it('records a mediation result only once the session has taken place, or after it was brought forward and when', async () => {
    const team = { channel: 'webchat' as const, chatId: 'edges-team-desk-2' };
    await s.desks.register(team, s.desks.inviteCodeFor('hg-p4'), null, now);
    const { id, code } = await fileDispute({
      kind: 'noise',
      description: 'Loa kéo hát đến khuya.',
      since: '1 tháng',
      otherParty: 'Nhà số 8',
      otherPartyAgrees: 'yes',
      address: '8 Trần Văn Đang',
      requester: { name: 'Đỗ Minh', birthYear: 1970, address: '6 Trần Văn Đang', phone: '0912000333' },
      desiredOutcome: 'Tắt loa trước 22 giờ',
      residentKey: 'edges-requester-2',
    });
    const mediator = { id: 'mediator-1', name: 'Hòa giải viên' };
    const officer = { address: team, userId: 'mediator-1', name: 'Hòa giải viên' };
    const roster = s.units.byId('hg-p4')?.mediators ?? [];
    expect((await s.mediation.apply(officer, id, { kind: 'assign', names: roster[0] ?? 'Nguyễn Văn A' })).kind).toBe('done');
    // The session is set for 19:00 on 04/12, two days ahead.
    expect((await s.mediation.apply(officer, id, { kind: 'schedule', text: '04/12/2026 19:00, Nhà văn hóa khu phố 3' })).kind).toBe('done');

    const early = texts(await button(team.chatId, `d:${id}:m_settled`, mediator));
    expect(early).toContain('Buổi hòa giải hẹn lúc 19:00 04/12/2026 chưa diễn ra');
    expect(await s.mediation.apply(officer, id, { kind: 'settle', agreement: 'Tắt loa trước 22 giờ' })).toEqual({ kind: 'refused', refusal: { why: 'before_session', at: expect.any(Date) } });
    expect((await s.models.reports.findOne({ _id: id }).lean())?.dispute?.result).toBeNull();

    // The parties met earlier, at 11:00 today (after the assignment at 10:00): the mediator records when, then the result.
    now = new Date('2026-12-02T06:00:00Z');
    expect(await s.mediation.apply(officer, id, { kind: 'schedule', text: '02/12/2026 09:00, Trụ sở khu phố' })).toMatchObject({ refusal: { why: 'schedule_past' } });
    expect((await s.mediation.apply(officer, id, { kind: 'schedule', text: '02/12/2026 11:00, Trụ sở khu phố' })).kind).toBe('done');
    expect((await s.mediation.apply(officer, id, { kind: 'settle', agreement: 'Tắt loa trước 22 giờ' })).kind).toBe('done');
    const settled = await s.models.reports.findOne({ code }).lean();
    expect(settled?.dispute).toMatchObject({ result: 'settled', session: { place: 'Trụ sở khu phố' } });
    expect(await s.models.auditLog.countDocuments({ reportId: id, action: 'mediation_schedule' })).toBe(2);
  });

  it('counts a dispute as the register does: referred is one kind of not settled, continued is still in progress', async () => {
    const team = { channel: 'webchat' as const, chatId: 'edges-team-desk-2' };
    const officer = { address: team, userId: 'mediator-1', name: 'Hòa giải viên' };
    const roster = s.units.byId('hg-p4')?.mediators ?? [];
    const file = (description: string) =>
      fileDispute({
        kind: 'land',
        description,
        since: '1 năm',
        otherParty: 'Nhà bên cạnh',
        otherPartyAgrees: 'unknown',
        address: '20 Trần Văn Đang',
        requester: { name: 'Vũ Lan', birthYear: 1965, address: '22 Trần Văn Đang', phone: '0912000444' },
        desiredOutcome: 'Xác định lại ranh giới',
        residentKey: 'edges-requester-3',
      });
    const referred = await file('Tranh chấp ranh giới đất, hai bên không nhường.');
    const continued = await file('Tranh chấp lối đi chung.');
    for (const { id } of [referred, continued]) {
      await s.mediation.apply(officer, id, { kind: 'assign', names: roster[0] ?? 'Nguyễn Văn A' });
      await s.mediation.apply(officer, id, { kind: 'schedule', text: '02/12/2026 15:00, Nhà văn hóa khu phố 3' });
    }
    now = new Date('2026-12-02T09:00:00Z');
    expect((await s.mediation.apply(officer, referred.id, { kind: 'refer', authority: 'UBND phường 4' })).kind).toBe('done');
    expect((await s.mediation.apply(officer, continued.id, { kind: 'continue' })).kind).toBe('done');

    const register = (await command(team.chatId, 'sohoagiai'))[0];
    const csv = (await register.attachments?.[0]?.load())?.toString('utf8') ?? '';
    const row = (code: string) => csv.split('\n').find((line) => line.includes(code)) ?? '';
    expect(row(referred.code)).toContain('Không thành');
    expect(row(continued.code)).toContain('Đang hòa giải');

    now = new Date('2026-12-02T09:05:00Z');
    const summary = texts(await command(team.chatId, 'thongke'));
    // Settled: the earlier case; not settled: the referred one; in progress: the continued one and the three earlier cases waiting for mediators.
    expect(summary).toContain('thành 1 · không thành 1, trong đó chuyển cơ quan có thẩm quyền 1 · đang giải quyết 4');
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

  it('writes cards and notices in the desk’s own language once it switched to English', async () => {
    const deskEn = { channel: 'webchat' as const, chatId: 'edges-desk-p4-en' };
    await command(deskEn.chatId, 'trucban', s.desks.inviteCodeFor('cap-p4'));
    expect(texts(await command(deskEn.chatId, 'ngonngu', 'en'))).toContain('English');
    const reporter = 'edges-reporter-en';
    await text(reporter, 'xin chào');
    await button(reporter, 'g:consent:yes');
    const { id, code } = await s.reports.submitTip(tipSubmission({ residentKey: s.engine.keyOf({ channel: 'webchat', chatId: reporter }) }), now);
    await s.deliveries.runRound();
    const cardIn = (chat: string) => [...s.outbox].reverse().flatMap((o) => (o.address.chatId === chat ? o.messages : [])).find((m) => m.text.includes(code))?.text ?? '';
    expect(cardIn(deskEn.chatId)).toContain(`NEW TIP ${code}`);
    expect(cardIn(deskEn.chatId)).toContain('Waiting to be accepted');
    // The Vietnamese desk of the same unit still reads Vietnamese.
    expect(cardIn(desk.chatId)).toContain(`TIN BÁO MỚI ${code}`);

    await button(deskEn.chatId, `d:${id}:accept`, { id: 'officer-en', name: 'Tuấn' });
    expect(cardIn(deskEn.chatId)).toContain(`📋 TIP ${code}`);
    await command(reporter, 'bosung', `${code} They came back tonight`);
    const notices = s.outbox.filter((o) => o.address.chatId === deskEn.chatId).flatMap((o) => o.messages.map((m) => m.text));
    expect(notices.some((t) => t.includes(code) && t.includes('They came back tonight') && !t.includes('Người báo tin'))).toBe(true);
  });

  it('asks a named reporter for their name when the platform gives none, and never points at a share button it may not have', async () => {
    const toContact = async (chat: string) => {
      await command(chat, 'baotin');
      await button(chat, 'g:consent:yes');
      await button(chat, 's:category:fraud');
      await text(chat, 'Có người gọi giả danh ngân hàng đòi mã OTP.');
      await button(chat, 's:location:unknown');
      await button(chat, 's:location_ward:none');
      await button(chat, 's:occurred:today');
      await button(chat, 's:evidence:done');
      await button(chat, 's:suspects:skip');
      return texts(await button(chat, 's:anonymity:named'));
    };
    const prompt = await toContact('edges-named-1');
    expect(prompt).toContain('Gõ số điện thoại của bạn, có thể kèm họ tên');
    expect(prompt).not.toContain('Chia sẻ số điện thoại');
    expect(texts(await text('edges-named-1', '0933 222 111'))).toContain('Họ tên của bạn là gì?');
    const review = texts(await text('edges-named-1', 'Trần Thị Mai'));
    expect(review).toContain('Trần Thị Mai');
    expect(review).toContain('0933222111');

    await toContact('edges-named-2');
    const oneMessage = texts(await text('edges-named-2', '0933 222 111 - Lê Văn Tám'));
    expect(oneMessage).not.toContain('Họ tên của bạn là gì?');
    expect(oneMessage).toContain('Lê Văn Tám');
  });

  it('decides what a file is from its bytes: a program renamed .jpg and an error page served as a PDF are refused, a PNG sent as JPEG is kept as PNG', async () => {
    const chat = 'edges-files';
    await command(chat, 'baotin');
    await button(chat, 'g:consent:yes');
    await button(chat, 's:category:fraud');
    await text(chat, 'Tin nhắn lừa đảo trúng thưởng kèm đường link lạ.');
    await button(chat, 's:location:unknown');
    await button(chat, 's:location_ward:none');
    await button(chat, 's:occurred:today');
    const send = (bytes: Buffer, mime: string, fileName: string) =>
      s.engine.handle(from(chat, { kind: 'media', media: { kind: mime.startsWith('image/') ? 'photo' : 'document', mime, size: bytes.length, fileName, platformFileId: null, fetch: async () => bytes } }));
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0x90)]);
    expect(texts(await send(exe, 'image/jpeg', 'anh-chup.jpg'))).toContain('Bot không nhận loại tệp này');
    expect(texts(await send(Buffer.from('{"error":-201,"message":"file not found"}'), 'application/pdf', 'sao-ke.pdf'))).toContain('Bot không nhận loại tệp này');
    expect(texts(await send(PNG_1X1, 'image/jpeg', 'man-hinh.jpg'))).toContain('Đã nhận tệp 1');
    const state = await s.store.load(s.engine.keyOf({ channel: 'webchat', chatId: chat }));
    expect((state.draft as { evidence: { kind: string; mime: string }[] }).evidence).toEqual([expect.objectContaining({ kind: 'photo', mime: 'image/png' })]);
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
