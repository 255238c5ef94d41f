import { LEDGER_RETENTION_MS, pruneLedgers } from '../../src/storage/housekeeping';
import { openDatabase, type Database } from '../../src/storage/database';
import { testDatabaseUri } from '../support/test-env';

describe('ledger housekeeping', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('housekeeping'));
  });

  afterAll(() => db.close());

  it('prunes processed events and delivery claims older than the retention, keeping recent and unfinished ones', async () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const old = new Date(now.getTime() - LEDGER_RETENTION_MS - 1000);
    const recent = new Date(now.getTime() - 1000);
    await db.models.inbox.create([
      { _id: 'telegram:1', status: 'done', receivedAt: old, doneAt: old },
      { _id: 'telegram:2', status: 'processing', receivedAt: old, doneAt: null },
      { _id: 'telegram:3', status: 'done', receivedAt: recent, doneAt: recent },
    ]);
    await db.models.deliveryClaims.create([
      { _id: 'a#1', claimedAt: old },
      { _id: 'b#1', claimedAt: recent },
    ]);

    expect(await pruneLedgers(db.models, now)).toEqual({ inbox: 1, claims: 1 });
    expect((await db.models.inbox.find({}).lean()).map((d) => d._id).sort()).toEqual(['telegram:2', 'telegram:3']);
    expect((await db.models.deliveryClaims.find({}).lean()).map((d) => d._id)).toEqual(['b#1']);
  });
});
