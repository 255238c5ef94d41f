import type { InboundEvent, OutboundMessage } from '../../src/core/chat';
import { openServices } from '../support/services';
import { communityModel } from '../support/seed-model';

const WEEK = 7 * 24 * 3_600_000;
const ADMIN = '7201';

/**
 * "Thanh loại 8 mô hình hoạt động cầm chừng": a model with nothing recorded
 * for MODEL_DORMANT_WEEKS is flagged for its unit to review, which keeps it
 * (the clock starts again) or dissolves it; a leader's record revives it.
 */
describe('dormant self-management models', () => {
  let s: Awaited<ReturnType<typeof openServices>>;
  const now = new Date('2026-12-02T03:00:00Z');
  const ago = (weeks: number) => new Date(now.getTime() - weeks * WEEK);
  let counter = 0;
  const admin = (body: Record<string, unknown>): Promise<OutboundMessage[]> => {
    counter += 1;
    const event = { key: `dormancy:${counter}`, address: { channel: 'telegram', chatId: ADMIN }, isGroup: false, senderId: ADMIN, senderName: 'Thượng úy Hùng', ...body } as InboundEvent;
    return s.engine.handle(event);
  };

  beforeAll(async () => {
    s = await openServices('model_dormancy', { clock: () => now, systemAdmins: [ADMIN] });
    await s.models.communityModels.insertMany([
      communityModel('MH-QUIET2', { createdAt: ago(20) }),
      communityModel('MH-BUSY23', { createdAt: ago(20) }),
      communityModel('MH-NEW234', { createdAt: ago(3) }),
      communityModel('MH-KEPT34', { createdAt: ago(20), keptAt: ago(1) }),
      communityModel('MH-GONE45', { createdAt: ago(20), status: 'dissolved', dissolved: { reason: 'x', at: ago(10), by: null } }),
    ]);
    await s.models.modelActivities.insertMany([
      { _id: 'busy-recent', modelId: 'MH-BUSY23', unitId: 'cap-p4', activity: { kind: 'pledges', households: 4 }, at: ago(2), by: 'l' },
      { _id: 'quiet-long-ago', modelId: 'MH-QUIET2', unitId: 'cap-p4', activity: { kind: 'pledges', households: 4 }, at: ago(9), by: 'l' },
    ]);
  });

  afterAll(() => s.database.close());

  it('flags only a model with nothing recorded for the whole period, once, and audits it', async () => {
    expect(await s.communityModels.flagDormant(8, now)).toEqual(['MH-QUIET2']);
    expect(await s.communityModels.flagDormant(8, now)).toEqual([]);
    const statuses = Object.fromEntries((await s.models.communityModels.find({}).lean()).map((m) => [m.code, m.status]));
    expect(statuses).toEqual({ 'MH-QUIET2': 'review', 'MH-BUSY23': 'active', 'MH-NEW234': 'active', 'MH-KEPT34': 'active', 'MH-GONE45': 'dissolved' });
    expect(await s.models.auditLog.countDocuments({ action: 'model_flagged_dormant' })).toBe(1);
  });

  it('lists it as barely active for the unit admin, who keeps it: not flagged again until another quiet period has passed', async () => {
    const list = (await admin({ kind: 'command', command: 'mohinh', args: '' })).map((m) => m.text).join('\n');
    expect(list).toContain('MH-QUIET2 · Tổ liên gia tự quản “Tổ MH-QUIET2” · Phường 4 · 🟡 hoạt động cầm chừng, cần rà soát');
    const card = await admin({ kind: 'command', command: 'mohinh', args: 'MH-QUIET2' });
    const keep = card.flatMap((m) => m.buttons ?? []).flat().find((b) => b.label === '🟢 Giữ lại');
    expect(keep).toBeDefined();
    const kept = await admin({ kind: 'button', payload: keep?.payload ?? '' });
    expect(kept.map((m) => m.text).join('\n')).toContain('được giữ lại');
    // Seven weeks on, the others have had their own quiet period; the one kept has not.
    expect(await s.communityModels.flagDormant(8, new Date(now.getTime() + 7 * WEEK))).not.toContain('MH-QUIET2');
    expect(await s.communityModels.flagDormant(8, new Date(now.getTime() + 9 * WEEK))).toContain('MH-QUIET2');
  });
});
