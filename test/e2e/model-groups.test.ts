import { startApp, type RunningApp } from '../../src/app';
import { chatKey } from '../../src/conversation/chat-key';
import { Audience } from '../../src/domain/campaigns/audience';
import { ResidentService } from '../../src/domain/residents/resident-service';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { openDatabase, type Database } from '../../src/storage/database';
import { ReportRepository } from '../../src/storage/report-repository';
import type { ChatAddress } from '../../src/core/chat';
import { FAKE_BOT_TOKEN, FakeTelegramServer } from '../support/fake-telegram-server';
import { FakeZaloServer } from '../support/fake-zalo-server';
import { seedCampaign, seedTelegramSubscribers } from '../support/seed-audience';
import { broadcastServiceEnv, buildServiceForChildProcess, exited, spawnService } from '../support/service-process';
import { TEST_KEY, eventually, testDatabaseUri, testEnv } from '../support/test-env';
import { TelegramUser } from '../support/telegram-user';
import { ZaloUser } from '../support/zalo-user';
import { communityModel } from '../support/seed-model';

const GROUP_ADMIN = '3000000000000000001';
const GROUP_MEMBER = '3000000000000000002';


/**
 * A model's chat groups, where the movement lives: a Zalo group the OA was
 * added to (Group Message Framework) and a Telegram group, each registered
 * with /nhom <mã mô hình> by an admin of that group.
 */
describe('a self-management model’s Zalo and Telegram groups', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let app: RunningApp;

  beforeAll(async () => {
    telegram = new FakeTelegramServer();
    zalo = new FakeZaloServer();
    const apiRoot = await telegram.start();
    await zalo.start();
    app = await startApp(testEnv('model_groups', { TELEGRAM_BOT_TOKEN: FAKE_BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, ...zalo.serviceEnv() }));
    await app.database.models.communityModels.insertMany([communityModel('MH-GRPZL2', { _id: 'id-MH-GRPZL2', name: 'Tổ liên gia số 9' })]);
    zalo.groupMembers.set('g-zalo-9', [
      { user_id: GROUP_ADMIN, name: 'Trưởng nhóm', is_admin: true },
      { user_id: GROUP_MEMBER, name: 'Thành viên', is_admin: false },
    ]);
  });

  afterAll(async () => {
    await app.stop();
    await telegram.stop();
    await zalo.stop();
  });

  const groupSaid = (groupId: string, needle: string) => eventually(`“${needle}” in Zalo group ${groupId}`, () => zalo.textsToGroup(groupId).find((t) => t.includes(needle)));

  it('registers a Zalo group only at the word of one of its admins, as the GMF member list says; ids stay strings', async () => {
    const member = new ZaloUser(app.url, zalo, GROUP_MEMBER);
    expect((await member.groupText('g-zalo-9', '/nhom MH-GRPZL2')).status).toBe(200);
    await groupSaid('g-zalo-9', 'Chỉ quản trị viên của nhóm');
    expect(await app.database.models.broadcastGroups.countDocuments({})).toBe(0);

    const admin = new ZaloUser(app.url, zalo, GROUP_ADMIN);
    expect((await admin.groupText('g-zalo-9', '/nhom mh-grpzl2')).status).toBe(200);
    await groupSaid('g-zalo-9', 'là nhóm của mô hình “Tổ liên gia số 9”');
    const group = await app.database.models.broadcastGroups.findOne({}).lean();
    expect(group).toMatchObject({ wardId: 'q3-p4', modelId: 'id-MH-GRPZL2', modelKind: 'household_group', registeredBy: GROUP_ADMIN });
    // The group is kept only encrypted.
    expect(JSON.stringify(group)).not.toContain('g-zalo-9');
  });

  it('registers a Telegram group with the same command', async () => {
    telegram.chatAdmins.set('-6300', new Set(['6301']));
    const admin = new TelegramUser(telegram, 6301, 'Trưởng nhóm', -6300);
    admin.text('/nhom MH-GRPZL2');
    await eventually('registered', () => telegram.textsTo(-6300).some((t) => t.includes('là nhóm của mô hình “Tổ liên gia số 9”')));
    expect(await app.database.models.broadcastGroups.countDocuments({ modelId: 'id-MH-GRPZL2' })).toBe(2);
  });

  it('takes no tip in the group, and tells the member how to report privately under the model, in both groups', async () => {
    const member = new ZaloUser(app.url, zalo, GROUP_MEMBER);
    await member.groupText('g-zalo-9', '/baotin');
    await groupSaid('g-zalo-9', 'gửi: /start MH-GRPZL2');
    new TelegramUser(telegram, 6302, 'Thành viên', -6300).text('/baotin');
    await eventually('told in the Telegram group', () => telegram.textsTo(-6300).some((t) => t.includes('/start MH-GRPZL2')));
    // With a button that opens the private chat already started with the model's code.
    const refusal = telegram.callsOf('sendMessage', -6300).find((c) => String(c.params.text).includes('/start MH-GRPZL2'));
    expect(JSON.stringify(refusal?.params.reply_markup)).toContain('"url":"https://t.me/tinbao_test_bot?start=MH-GRPZL2"');
    expect(await app.database.models.reports.countDocuments({})).toBe(0);
  });

  it('counts a Zalo member who writes /start with the model’s code to the OA privately', async () => {
    const member = new ZaloUser(app.url, zalo, GROUP_MEMBER);
    await member.step(() => member.text('/start MH-GRPZL2'), 'Bạn đến từ mô hình “Tổ liên gia số 9”');
    expect(await app.database.models.modelMembers.countDocuments({ modelId: 'id-MH-GRPZL2' })).toBe(1);
  });
});

describe('a campaign to the groups of one kind of model survives kill -9', () => {
  let telegram: FakeTelegramServer;
  let zalo: FakeZaloServer;
  let database: Database;
  let mainJs: string;
  const uri = testDatabaseUri('model_groups_crash');
  const RESIDENTS = 300;

  beforeAll(async () => {
    mainJs = buildServiceForChildProcess();
    telegram = new FakeTelegramServer();
    zalo = new FakeZaloServer();
    await telegram.start();
    await zalo.start();
    database = await openDatabase(uri);
  }, 120_000);

  afterAll(async () => {
    await database.close();
    await telegram.stop();
    await zalo.stop();
  });

  it('reaches each group of the kind once, in Zalo and Telegram; other groups not; a group out of quota is recorded failed, not retried', async () => {
    const { models } = database;
    await models.communityModels.insertMany([communityModel('MH-KILLA2', { _id: 'id-MH-KILLA2' }), communityModel('MH-KILLB3', { _id: 'id-MH-KILLB3', kind: 'boarding_house' }), communityModel('MH-KILLC4', { _id: 'id-MH-KILLC4' })]);
    const cipher = createPiiCipher(Buffer.from(TEST_KEY, 'base64'));
    const audience = new Audience({ subscriptions: models.subscriptions, groups: models.broadcastGroups }, new ResidentService(models.residents, new ReportRepository(models.reports, models.reportActions, cipher), cipher), cipher);
    const register = (address: ChatAddress, modelDoc: { id: string; kind: string } | null) => audience.registerGroup(chatKey(cipher, address), address, 'q3-p4', '1', new Date(), modelDoc);
    await register({ channel: 'telegram', chatId: '-6401' }, { id: 'id-MH-KILLA2', kind: 'household_group' });
    await register({ channel: 'zalo', chatId: 'group:z-kill-a' }, { id: 'id-MH-KILLA2', kind: 'household_group' });
    await register({ channel: 'zalo', chatId: 'group:z-kill-b' }, { id: 'id-MH-KILLB3', kind: 'boarding_house' });
    await register({ channel: 'telegram', chatId: '-6402' }, null);
    await register({ channel: 'zalo', chatId: 'group:z-kill-c' }, { id: 'id-MH-KILLC4', kind: 'household_group' });
    zalo.groupsOverQuota.add('z-kill-c');
    await seedTelegramSubscribers(models, 940_000, RESIDENTS, 'q3-p4', ['scams']);
    await seedCampaign(models, 'CD-MODELS', {
      schedule: { kind: 'once', at: new Date(Date.now() - 1000) },
      audience: { wards: ['q3-p4'], residents: true, groups: true, ownGroupsOf: null, modelKinds: ['household_group'] },
    });
    const env = broadcastServiceEnv(uri, telegram.apiRoot, 8, zalo.serviceEnv());
    const campaignTexts = () => telegram.callsOf('sendMessage').filter((c) => String(c.params.text).includes('Cảnh báo CD-MODELS'));

    const first = spawnService(mainJs, env);
    try {
      await eventually('first process halfway', () => campaignTexts().length >= RESIDENTS / 3, 30_000);
    } finally {
      first.kill('SIGKILL');
      await exited(first);
    }
    const second = spawnService(mainJs, env);
    try {
      await eventually('every delivery settled', async () => (await models.broadcastOutcomes.countDocuments({ campaignId: 'CD-MODELS' })) === RESIDENTS + 3, 60_000);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }

    expect(campaignTexts().filter((c) => String(c.params.chat_id) === '-6401')).toHaveLength(1);
    expect(campaignTexts().filter((c) => String(c.params.chat_id) === '-6402')).toHaveLength(0);
    expect(zalo.textsToGroup('z-kill-a').filter((t) => t.includes('Cảnh báo CD-MODELS'))).toHaveLength(1);
    expect(zalo.textsToGroup('z-kill-b')).toEqual([]);
    // Out of quota: one attempt per process at most, recorded as failed, counted in the run's figures.
    expect(zalo.groupRefusals.get('z-kill-c') ?? 0).toBeLessThanOrEqual(2);
    const outcomes = await models.broadcastOutcomes.find({ campaignId: 'CD-MODELS' }).lean();
    expect(outcomes.filter((o) => o.status === 'failed')).toHaveLength(1);
    expect(await models.broadcastDeliveries.countDocuments({ campaignId: 'CD-MODELS', 'recipient.kind': 'group' })).toBe(3);
  }, 120_000);
});
