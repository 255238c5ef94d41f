import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { ROOT } from '../support/services';
import { TelegramUser } from '../support/telegram-user';
import { fileTelegramTip } from '../support/file-tip';
import { eventually, testEnv } from '../support/test-env';

const SYSTEM_ADMIN = 5001;
const P9_ADMIN = 5002;

describe('system and unit admins change what units cover, from the chat', () => {
  let telegram: FakeTelegramServer;
  let app: RunningApp;

  beforeAll(async () => {
    // A copy of config/ in which cap-p9 has a unit admin.
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-config-'));
    cpSync(path.join(ROOT, 'config'), configDir, { recursive: true });
    const unitsFile = path.join(configDir, 'units.json');
    const units = JSON.parse(readFileSync(unitsFile, 'utf8')) as { units: { id: string; adminTelegramIds?: string[] }[] };
    units.units.find((u) => u.id === 'cap-p9')!.adminTelegramIds = [String(P9_ADMIN)];
    writeFileSync(unitsFile, JSON.stringify(units));

    telegram = new FakeTelegramServer();
    const apiRoot = await telegram.start();
    app = await startApp(testEnv('unit_admin', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ADMIN_TELEGRAM_IDS: `${SYSTEM_ADMIN}`, CONFIG_DIR: configDir }));
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
  });

  const said = (user: TelegramUser, needle: string) => eventually(needle, () => telegram.textsTo(user.id).find((t) => t.includes(needle)));

  it('shows a system admin every unit with its desk code, and a unit admin only their own; others nothing', async () => {
    const admin = new TelegramUser(telegram, SYSTEM_ADMIN, 'Admin');
    admin.text('/donvi');
    const list = await said(admin, 'Đơn vị và phạm vi phụ trách');
    expect(list).toContain(`/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code}`);
    expect(list).toContain('Trực ban Công an Quận 3');

    const unitAdmin = new TelegramUser(telegram, P9_ADMIN, 'Trưởng CA P9');
    unitAdmin.text('/donvi');
    const own = await said(unitAdmin, 'Đơn vị và phạm vi phụ trách');
    expect(own).toContain('Công an Phường 9');
    expect(own).not.toContain('Công an Phường 4');

    const resident = new TelegramUser(telegram, 5003, 'Dân');
    resident.text('/donvi');
    await said(resident, 'Chỉ quản trị hệ thống hoặc quản trị đơn vị');
    resident.text('/phutrach cap-p4 phuong *');
    await said(resident, 'Bạn không quản trị đơn vị này');
  });

  it('routes new tips by coverage changed in the chat, and audits the change', async () => {
    const unitAdmin = new TelegramUser(telegram, P9_ADMIN, 'Trưởng CA P9');
    unitAdmin.text('/phutrach cap-p9 phường q3-p9 q3-p4');
    await said(unitAdmin, 'Đã cập nhật phạm vi phụ trách');
    unitAdmin.text('/phutrach cap-p4 phuong q3-p4');
    await said(unitAdmin, 'Bạn không quản trị đơn vị này');
    unitAdmin.text('/phutrach cap-p9 phuong q3-p99');
    await said(unitAdmin, 'không tồn tại');

    await fileTelegramTip(telegram, new TelegramUser(telegram, 5004, 'Tư'), { category: 'Cờ bạc, lô đề', description: 'Ghi lô đề công khai ở quán nước.', ward: 'Phường 4' });

    const report = await app.database.models.reports.findOne({}).sort({ createdAt: -1 }).lean();
    expect(report?.unitIds).toEqual(['cap-p4', 'cap-p9']);
    const audit = await app.database.models.auditLog.find({ action: 'set_coverage' }).lean();
    expect(audit).toEqual([
      expect.objectContaining({ reportId: null, unitId: 'cap-p9', actor: expect.objectContaining({ userId: String(P9_ADMIN) }), after: expect.objectContaining({ wards: ['q3-p9', 'q3-p4'] }) }),
    ]);
  });
});
