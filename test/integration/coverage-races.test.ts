import { CoverageStore } from '../../src/storage/coverage-store';
import { openServices } from '../support/services';

type Services = Awaited<ReturnType<typeof openServices>>;

/** Two admins change what one unit covers at the same moment: one its wards, the other its categories. */
describe('coverage edits at the same moment', () => {
  let s: Services;
  const admin = (id: string) => ({ address: { channel: 'telegram' as const, chatId: id }, telegramUserId: id, name: `Admin ${id}` });

  beforeAll(async () => {
    s = await openServices('coverage_races', { systemAdmins: ['801', '802'] });
  });

  afterAll(() => s.database.close());

  it('keeps both the ward edit and the category edit, every time', async () => {
    const rounds: [string[], string[]][] = [
      [['q3-p9'], ['drugs']],
      [['q3-p9', 'q3-p11'], ['fraud', 'gambling']],
      [['q3-p12'], ['theft_robbery']],
      [['q3-p14', 'q3-p9'], ['drugs', 'fraud']],
      [['q3-p11'], ['gambling']],
    ];
    for (const [wards, categories] of rounds) {
      const results = await Promise.all([
        s.unitAdmin.setCoverage(admin('801'), `cap-p9 phuong ${wards.join(' ')}`, new Date()),
        s.unitAdmin.setCoverage(admin('802'), `cap-p9 loai ${categories.join(' ')}`, new Date()),
      ]);
      expect(results).toEqual(['updated', 'updated']);
      expect((await s.unitAdmin.coverage()).get('cap-p9')).toEqual({ wards, categories });
    }
  });

  it('still reads coverage saved in the first layout (one document per unit), a later field edit overriding it', async () => {
    await s.models.unitCoverage.create({ _id: 'cap-p4', wards: ['q3-p5'], categories: ['drugs'], updatedBy: 'old', updatedAt: new Date() });
    const store = new CoverageStore(s.models.unitCoverage);
    expect((await store.all()).get('cap-p4')).toEqual({ wards: ['q3-p5'], categories: ['drugs'] });
    await store.set('cap-p4', 'categories', ['*'], 'new', new Date());
    expect((await store.all()).get('cap-p4')).toEqual({ wards: ['q3-p5'], categories: ['*'] });
  });
});
