import { insertManyOnce } from '../../src/storage/claims';
import { openDatabase, type Database } from '../../src/storage/database';
import { testDatabaseUri } from '../support/test-env';

describe('claims by unique insert', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('claims'));
  });

  afterAll(() => db.close());

  it('inserts in one command each document not there yet, and says which were there (so a card planned twice is sent once)', async () => {
    const doc = (id: string) => ({ _id: id, claimedAt: new Date('2026-12-01T00:00:00Z') });
    expect(await insertManyOnce(db.models.deliveryClaims, [doc('a'), doc('b')])).toEqual([]);
    expect(await insertManyOnce(db.models.deliveryClaims, [doc('a'), doc('c'), doc('b'), doc('d')])).toEqual(['a', 'b']);
    expect(await insertManyOnce(db.models.deliveryClaims, [doc('c')])).toEqual(['c']);
    expect((await db.models.deliveryClaims.find({}).lean()).map((d) => d._id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
