import { openServices } from '../support/services';
import type { InboundEvent, OutboundMessage } from '../../src/core/chat';

type Services = Awaited<ReturnType<typeof openServices>>;

type EventBody = InboundEvent extends infer E ? (E extends InboundEvent ? Omit<E, 'key' | 'address' | 'isGroup' | 'senderId' | 'senderName'> : never) : never;

let counter = 0;
function event(chatId: string, body: EventBody & { key?: string; isGroup?: boolean }): InboundEvent {
  counter += 1;
  return { key: `test:${counter}`, address: { channel: 'webchat', chatId }, isGroup: false, senderId: chatId, senderName: null, ...body } as InboundEvent;
}
const text = (chatId: string, value: string, key?: string) => event(chatId, { kind: 'text', text: value, ...(key ? { key } : {}) });
const command = (chatId: string, name: string, args = '') => event(chatId, { kind: 'command', command: name, args });
const button = (chatId: string, payload: string) => event(chatId, { kind: 'button', payload });

function texts(replies: OutboundMessage[]): string {
  return replies.map((r) => r.text).join('\n---\n');
}

describe('the conversation engine on the real database', () => {
  let s: Services;
  let now: Date;

  beforeAll(async () => {
    now = new Date('2026-11-20T03:00:00Z');
    s = await openServices('conversation', { clock: () => now });
  });

  afterAll(() => s.database.close());

  async function consentedAtDescription(chatId: string): Promise<void> {
    await s.engine.handle(command(chatId, 'baotin'));
    await s.engine.handle(button(chatId, 'g:consent:yes'));
    await s.engine.handle(button(chatId, 's:category:theft_robbery'));
  }

  it('asks for consent before a tip and stores nothing personal until it is given', async () => {
    const replies = await s.engine.handle(command('c1', 'baotin'));
    expect(texts(replies)).toContain('Thông báo về dữ liệu cá nhân');
    expect(await s.models.residents.countDocuments({})).toBe(0);

    const declined = await s.engine.handle(button('c1', 'g:consent:no'));
    expect(texts(declined)).toContain('không lưu thông tin');
    expect(await s.models.residents.countDocuments({})).toBe(0);

    const accepted = await s.engine.handle(button('c1', 'g:consent:yes'));
    expect(texts(accepted)).toContain('Cảm ơn');
    expect(await s.models.residents.countDocuments({})).toBe(1);
  });

  it('starts the tip the resident asked for as soon as they consent', async () => {
    await s.engine.handle(command('c2', 'report'));
    const replies = await s.engine.handle(button('c2', 'g:consent:yes'));
    expect(texts(replies)).toContain('Bước 1/7');
  });

  it('applies a redelivered event once: a quick redelivery says nothing, one after the first handling had time to finish repeats its replies', async () => {
    await consentedAtDescription('c3');
    const once = text('c3', 'Kẻ gian bẻ khóa xe đạp điện.', 'redelivered-1');
    const first = await s.engine.handle(once);
    expect(texts(first)).toContain('Bước 3/7');
    expect(await s.engine.handle(once)).toEqual([]);
    now = new Date(now.getTime() + 61_000);
    const later = await s.engine.handle(once);
    expect(texts(later)).toContain('Bước 3/7');
    const state = await s.store.load(s.engine.keyOf(once.address));
    expect(state.step).toBe('location');
  });

  it('never skips or repeats a step when two events for one chat race (versioned state)', async () => {
    await consentedAtDescription('c4');
    const key = s.engine.keyOf({ channel: 'webchat', chatId: 'c4' });
    const before = await s.store.load(key);
    // Either answer reads as a place in Phường 9 (the ward is kept apart from the street address).
    const answers = ['Mất trộm xe máy trong bãi giữ xe, phường 9', '25 Trần Quốc Thảo, phường 9'];

    await Promise.all(answers.map((answer) => s.engine.handle(text('c4', answer))));

    // Whichever came first answered step 2 (what happened) and the other step 3 (where): each used exactly once.
    const after = await s.store.load(key);
    const draft = after.draft as { description: string; location: { kind: string; address: string; wardId: string } };
    expect(after.version).toBe(before.version + 2);
    expect(after.step).toBe('occurred');
    expect(draft.location.wardId).toBe('q3-p9');
    expect([draft.description, `${draft.location.address}, phường 9`].sort()).toEqual([...answers].sort());
    expect(await s.models.conversationStates.countDocuments({ _id: key })).toBe(1);
  });

  it('matches wards typed without diacritics or case', async () => {
    await consentedAtDescription('c5');
    await s.engine.handle(text('c5', 'Có người giật túi xách của tôi.'));
    const replies = await s.engine.handle(text('c5', 'PHƯỜNG VÕ THỊ SÁU'));
    expect(texts(replies)).toContain('Bước 4/7');
    const state = await s.store.load(s.engine.keyOf({ channel: 'webchat', chatId: 'c5' }));
    expect((state.draft as { location: { wardId: string } }).location.wardId).toBe('q3-vtsau');
    await s.engine.handle(command('c5', 'huy'));
  });

  it('keeps the draft encrypted in the stored conversation', async () => {
    await consentedAtDescription('c6');
    await s.engine.handle(text('c6', 'Bí mật: người tên Hùng bán hàng cấm ở chợ.'));
    const raw = await s.database.connection.collection('conversation_states').find({}).toArray();
    expect(JSON.stringify(raw)).not.toContain('Hùng');
    expect(JSON.stringify(raw)).not.toContain('"c6"');
  });

  it('expires an idle draft politely after 24 hours', async () => {
    await consentedAtDescription('c7');
    now = new Date(now.getTime() + 25 * 3_600_000);
    const replies = await s.engine.handle(text('c7', 'Tôi quay lại rồi'));
    expect(texts(replies)).toContain('quá 24 giờ');
    const state = await s.store.load(s.engine.keyOf({ channel: 'webchat', chatId: 'c7' }));
    expect(state.flow).toBeNull();
  });

  it('/dulieucuatoi shows the resident everything kept about them; /xoadulieu deletes it and detaches them from their reports', async () => {
    const chat = 'c8';
    await consentedAtDescription(chat);
    await s.engine.handle(text(chat, 'Trộm chó ban đêm bằng xe máy.'));
    await s.engine.handle(button(chat, 's:location:unknown'));
    await s.engine.handle(button(chat, 's:location_ward:none'));
    await s.engine.handle(button(chat, 's:occurred:unknown'));
    await s.engine.handle(button(chat, 's:evidence:done'));
    await s.engine.handle(button(chat, 's:suspects:skip'));
    await s.engine.handle(button(chat, 's:anonymity:named'));
    await s.engine.handle(text(chat, '0903 111 222'));
    // The web chat gives no name: the bot asks for one.
    await s.engine.handle(text(chat, 'Nguyễn Văn Bảy'));
    const receipt = await s.engine.handle(button(chat, 's:review:send'));
    const code = /TB-\w{6}/.exec(texts(receipt))?.[0];
    const key = s.engine.keyOf({ channel: 'webchat', chatId: chat });
    expect((await s.models.reports.findOne({ code }).lean())?.reporter?.residentKey).toBe(key);

    // First the resident asks what is kept about them: everything, decrypted, in their chat.
    const mine = texts(await s.engine.handle(command(chat, 'dulieucuatoi')));
    for (const kept of ['Dữ liệu bot đang lưu về bạn', 'Đồng ý xử lý dữ liệu', 'Web chat', `${code} · gửi lúc`, 'Trộm chó ban đêm bằng xe máy.', 'Nguyễn Văn Bảy · SĐT 0903111222', 'Không đăng ký nhận cảnh báo']) {
      expect(mine).toContain(kept);
    }

    const confirm = await s.engine.handle(command(chat, 'xoadulieu'));
    expect(texts(confirm)).toContain('Xóa dữ liệu cá nhân');
    const done = await s.engine.handle(button(chat, 'g:forget:yes'));
    expect(texts(done)).toContain('tách 1 tin báo');

    expect(await s.models.residents.countDocuments({ _id: key })).toBe(0);
    // What is left of the conversation is its version and language: no flow, no draft.
    expect(await s.models.conversationStates.findOne({ _id: key }).lean()).toMatchObject({ flow: null, step: null, draftEnc: null, pendingFlow: null });
    const report = await s.reportRepository.byCode(code ?? '');
    expect(report?.reporter).toBeNull();
    expect(JSON.stringify(report)).not.toContain('0903111222');
    expect(report?.description).toBe('Trộm chó ban đêm bằng xe máy.');
    // And nothing is kept about them any more.
    const after = texts(await s.engine.handle(command(chat, 'dulieucuatoi')));
    expect(after).toContain('Bot không lưu dữ liệu cá nhân nào của bạn');
    expect(after).not.toContain(code);
  });

  it('refuses to take tips in a group chat', async () => {
    const replies = await s.engine.handle(event('g1', { kind: 'command', command: 'baotin', args: '', isGroup: true }));
    expect(texts(replies)).toContain('nhắn riêng');
    const ignored = await s.engine.handle(event('g1', { kind: 'text', text: 'hello', isGroup: true }));
    expect(ignored).toEqual([]);
  });

  it('speaks English after /language, and goes back to Vietnamese', async () => {
    await s.engine.handle(command('c9', 'ngonngu'));
    const en = await s.engine.handle(button('c9', 'g:lang:en'));
    expect(texts(en)).toContain('Switched to English');
    const help = await s.engine.handle(command('c9', 'help'));
    expect(texts(help)).toContain('Commands');
    const vi = await s.engine.handle(button('c9', 'g:lang:vi'));
    expect(texts(vi)).toContain('tiếng Việt');
  });

  it('tells a resident that a button from an earlier step no longer works', async () => {
    await consentedAtDescription('c10');
    const replies = await s.engine.handle(button('c10', 's:category:drugs'));
    expect(texts(replies)).toContain('không còn dùng được');
    expect(texts(replies)).toContain('Bước 2/7');
  });
});

describe('editing and idle drafts', () => {
  let s: Services;
  let now: Date;

  beforeAll(async () => {
    now = new Date('2026-11-20T03:00:00Z');
    s = await openServices('editing', { clock: () => now });
  });

  afterAll(() => s.database.close());

  async function toReview(chat: string): Promise<void> {
    await s.engine.handle(command(chat, 'baotin'));
    await s.engine.handle(button(chat, 'g:consent:yes'));
    await s.engine.handle(button(chat, 's:category:traffic'));
    await s.engine.handle(text(chat, 'Xe tải chở quá tải chạy ban đêm làm hỏng đường.'));
    await s.engine.handle(button(chat, 's:location:unknown'));
    await s.engine.handle(button(chat, 's:location_ward:none'));
    await s.engine.handle(button(chat, 's:occurred:today'));
    await s.engine.handle(button(chat, 's:evidence:done'));
    await s.engine.handle(button(chat, 's:suspects:skip'));
    await s.engine.handle(button(chat, 's:anonymity:anonymous'));
  }

  it('edits one answer from the review and comes straight back to the review', async () => {
    await toReview('e1');
    const fields = await s.engine.handle(button('e1', 's:review:edit'));
    expect(texts(fields)).toContain('Bạn muốn sửa mục nào?');
    await s.engine.handle(button('e1', 's:edit:location'));
    await s.engine.handle(button('e1', 's:location:pick_ward'));
    const review = await s.engine.handle(button('e1', 's:location_ward:q3-p9'));
    expect(texts(review)).toContain('Kiểm tra lại tin báo');
    expect(texts(review)).toContain('Địa điểm: Phường 9');
    expect(texts(review)).toContain('Sự việc: Xe tải chở quá tải');
  });

  it('cancels from the review, deleting the draft', async () => {
    await toReview('e2');
    const cancelled = await s.engine.handle(button('e2', 's:review:cancel'));
    expect(texts(cancelled)).toContain('Đã hủy');
    const state = await s.store.load(s.engine.keyOf({ channel: 'webchat', chatId: 'e2' }));
    expect(state.draft).toBeNull();
    expect(await s.models.reports.countDocuments({})).toBe(0);
  });

  it('answers "Gửi" pressed again after the tip was filed with its receipt code, and files nothing more', async () => {
    await toReview('e5');
    const receipt = await s.engine.handle(button('e5', 's:review:send'));
    const code = /TB-\w{6}/.exec(texts(receipt))?.[0] ?? '?';
    const before = await s.models.reports.countDocuments({});
    const again = await s.engine.handle(button('e5', 's:review:send'));
    expect(texts(again)).toContain(`Bạn đã gửi tin này rồi. Mã biên nhận: ${code}`);
    // Kept in the stored state (another instance, or the service after a restart, reads it from there).
    expect((await s.store.load(s.engine.keyOf({ channel: 'webchat', chatId: 'e5' }))).filed).toEqual({ flow: 'tip', code });
    expect(await s.models.reports.countDocuments({})).toBe(before);
    // Other stale buttons still say so.
    expect(texts(await s.engine.handle(button('e5', 's:occurred:today')))).toContain('Nút này thuộc bước trước');
  });

  it('sweeps drafts idle for a day, and tells the resident on their next message', async () => {
    const { sweepIdleConversations } = await import('../../src/conversation/idle-sweeper');
    await toReview('e3');
    const key = s.engine.keyOf({ channel: 'webchat', chatId: 'e3' });
    const swept = await sweepIdleConversations({ store: s.store, runner: s.engine.runner, idleTimeoutMs: 24 * 3_600_000, now: new Date(now.getTime() + 25 * 3_600_000) });
    expect(swept).toBeGreaterThanOrEqual(1);
    const raw = await s.models.conversationStates.findOne({ _id: key }).lean();
    expect(raw).toMatchObject({ flow: null, draftEnc: null, expiredFlow: 'tip' });

    now = new Date(now.getTime() + 26 * 3_600_000);
    const replies = await s.engine.handle(text('e3', 'xin chào'));
    expect(texts(replies)).toContain('quá 24 giờ');
  });
});
