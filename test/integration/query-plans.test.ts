import { openDatabase, type Database } from '../../src/storage/database';
import { HOT_QUERIES, explainHotQueries } from '../../src/storage/query-plans';
import { testDatabaseUri } from '../support/test-env';

/** The fields a filter constrains, per alternative: each $or clause is one alternative (with the fields outside the $or). */
function alternatives(filter: Record<string, unknown>): string[][] {
  const outside = Object.keys(filter).filter((key) => key !== '$or');
  const clauses = filter.$or as Record<string, unknown>[] | undefined;
  return clauses ? clauses.map((clause) => [...outside, ...Object.keys(clause)]) : [outside];
}

/**
 * Every hot query is served by an index: statically, each alternative of its
 * filter begins a declared index (or is by `_id`); and on MongoDB
 * (TEST_MONGODB_URI) the server's own plan reads only indexes.
 */
describe('the hot queries and their indexes', () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('query_plans'));
  });

  afterAll(() => db.close());

  it('has a declared index whose first field each hot query constrains, for every alternative of its filter', () => {
    const unserved = HOT_QUERIES.flatMap((query) => {
      const leading = new Set(['_id', ...db.models[query.collection].schema.indexes().map(([fields]) => Object.keys(fields)[0])]);
      return alternatives(query.filter)
        .filter((fields) => !fields.some((field) => leading.has(field)))
        .map((fields) => `${query.name}: {${fields.join(', ')}}`);
    });
    expect(unserved).toEqual([]);
  });

  it('is explained by the server for every hot query; MongoDB reads an index for each', async () => {
    const plans = await explainHotQueries(db.models);
    expect(plans.map((plan) => plan.name)).toEqual(HOT_QUERIES.map((query) => query.name));
    const info = (await db.connection.db?.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string } | undefined;
    if (info?.ferretdbVersion !== undefined) {
      // FerretDB v1 uses no secondary index; what it can do is take a lookup by `_id` to SQLite.
      for (const plan of plans.filter((p) => /state|event claim|a chunk/.test(p.name))) expect(plan).toMatchObject({ indexed: true });
    } else {
      expect(plans.filter((plan) => !plan.indexed).map((plan) => `${plan.name}: ${plan.stages.join(' ← ')}`)).toEqual([]);
    }
  });
});
