import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InboundEvent, OutboundMessage } from '../../src/core/chat';
import type { CampaignDoc } from '../../src/storage/models/campaign.model';
import { ROOT, openServices } from '../support/services';

type Services = Awaited<ReturnType<typeof openServices>>;

const P4_ADMIN = '7001';
const SYSTEM_ADMIN_CAMPAIGN = 'CD-SYSAD';
const GROUP_ADMIN_CAMPAIGN = 'CD-GROUP';

/** A unit admin reaches only their unit's wards and sees only their unit's campaigns (issue #14, item 13). */
describe('the reach of a unit admin’s campaigns', () => {
  let s: Services;
  let counter = 0;
  const admin = (body: Record<string, unknown>): InboundEvent => {
    counter += 1;
    return { key: `scope:${counter}`, address: { channel: 'telegram', chatId: P4_ADMIN }, isGroup: false, senderId: P4_ADMIN, senderName: 'Quản trị P4', ...body } as InboundEvent;
  };
  const say = async (body: Record<string, unknown>) => (await s.engine.handle(admin(body))).map((m: OutboundMessage) => m.text).join('\n---\n');

  beforeAll(async () => {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-config-'));
    cpSync(path.join(ROOT, 'config'), configDir, { recursive: true });
    const unitsFile = path.join(configDir, 'units.json');
    const units = JSON.parse(readFileSync(unitsFile, 'utf8')) as { units: { id: string; adminTelegramIds?: string[] }[] };
    const p4 = units.units.find((u) => u.id === 'cap-p4');
    if (!p4) throw new Error('config/units.json has no cap-p4');
    p4.adminTelegramIds = [P4_ADMIN];
    writeFileSync(unitsFile, JSON.stringify(units));
    s = await openServices('campaign_scope', { configDir });

    const base: Omit<CampaignDoc, '_id' | 'audience' | 'authorId' | 'unitId'> = { topic: 'scam', messages: [{ text: 'Cảnh báo', image: null }], schedule: { kind: 'once', at: new Date('2027-01-01T01:00:00Z') }, quiet: null, status: 'active', authorAddressEnc: 'x', scheduledThrough: new Date(), createdAt: new Date() };
    const seeded: CampaignDoc[] = [
      { ...base, _id: SYSTEM_ADMIN_CAMPAIGN, audience: { wards: ['*'], residents: true, groups: true, ownGroupsOf: null }, authorId: '900', unitId: null },
      { ...base, _id: GROUP_ADMIN_CAMPAIGN, audience: { wards: [], residents: false, groups: true, ownGroupsOf: '555' }, authorId: '555', unitId: null },
    ];
    await s.models.campaigns.insertMany(seeded);
  });

  afterAll(() => s.database.close());

  async function toWardsStep(): Promise<string> {
    await say({ kind: 'command', command: 'chiendich', args: '' });
    await say({ kind: 'button', payload: `s:topic:${s.catalog.campaigns.topics[0].id}` });
    await say({ kind: 'text', text: 'Cảnh báo: kẻ gian giả danh công an gọi điện yêu cầu chuyển tiền.' });
    return say({ kind: 'button', payload: 's:more:next' });
  }

  it('offers "every ward of my unit", and sends there only, not to every ward of the district', async () => {
    const wardsPrompt = await toWardsStep();
    expect(wardsPrompt).toContain('Gửi đến phường nào?');
    await say({ kind: 'button', payload: 's:wards:all' });
    await say({ kind: 'button', payload: 's:recipients:both' });
    await say({ kind: 'button', payload: 's:group_kind:all' });
    await say({ kind: 'text', text: '25/12/2026 08:00' });
    await say({ kind: 'button', payload: 's:quiet:none' });
    expect(await say({ kind: 'button', payload: 's:preview:activate' })).toContain('CD-');
    const created = await s.models.campaigns.findOne({ authorId: P4_ADMIN }).lean();
    expect(created?.audience.wards.sort()).toEqual(['q3-p4', 'q3-p5']);
    expect(created?.unitId).toBe('cap-p4');
  });

  it('aims a campaign at the groups of one kind of self-management model, and says so in the preview', async () => {
    await toWardsStep();
    await say({ kind: 'text', text: 'Phường 4' });
    expect(await say({ kind: 'button', payload: 's:recipients:groups' })).toContain('Gửi tới nhóm nào?');
    await say({ kind: 'text', text: 'to lien gia' });
    await say({ kind: 'text', text: '26/12/2026 08:00' });
    expect(await say({ kind: 'button', payload: 's:quiet:none' })).toContain('(chỉ nhóm của mô hình Tổ liên gia tự quản)');
    await say({ kind: 'button', payload: 's:preview:activate' });
    const created = await s.models.campaigns.findOne({ authorId: P4_ADMIN, 'audience.wards': ['q3-p4'] }).lean();
    expect(created?.audience).toMatchObject({ wards: ['q3-p4'], residents: false, groups: true, modelKinds: ['household_group'] });
  });

  it('refuses a ward outside the unit when typed', async () => {
    await toWardsStep();
    const refused = await say({ kind: 'text', text: 'Phường 9' });
    expect(refused).toContain('chỉ gửi được đến các phường của đơn vị mình');
    await say({ kind: 'command', command: 'huy', args: '' });
  });

  it('lists and changes only the unit’s own campaigns', async () => {
    const list = await say({ kind: 'command', command: 'chiendich', args: 'ds' });
    expect(list).not.toContain(GROUP_ADMIN_CAMPAIGN);
    expect(list).not.toContain(SYSTEM_ADMIN_CAMPAIGN);
    expect(await say({ kind: 'command', command: 'chiendich', args: `${SYSTEM_ADMIN_CAMPAIGN} tamdung` })).toContain('Không tìm thấy');
    expect((await s.models.campaigns.findOne({ _id: SYSTEM_ADMIN_CAMPAIGN }).lean())?.status).toBe('active');
  });
});
