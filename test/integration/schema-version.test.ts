import { openDatabase } from '../../src/storage/database';
import { SCHEMA_VERSION, schemaVersion } from '../../src/storage/schema';
import { testDatabaseUri } from '../support/test-env';

/**
 * Index changes are made by `npm run db:migrate` (or the local mode's start),
 * not by every production start; a production start on any other schema
 * version refuses, saying what to run.
 */
describe('the schema version', () => {
  it('refuses a production start on a database never migrated, naming the command; runs once it is migrated', async () => {
    const uri = testDatabaseUri('schema_fresh');
    await expect(openDatabase(uri, undefined, { schema: 'require' })).rejects.toMatchObject({ code: 'schema_outdated', message: expect.stringContaining('npm run db:migrate') });

    const migrated = await openDatabase(uri, undefined, { schema: 'migrate' });
    expect(await schemaVersion(migrated.models)).toBe(SCHEMA_VERSION);
    expect(await migrated.models.reports.collection.indexExists('code_1')).toBe(true);
    await migrated.close();

    const production = await openDatabase(uri, undefined, { schema: 'require' });
    expect(await production.reachable(2000)).toBe(true);
    await production.close();
  });

  it('refuses a database an older version indexed until it is migrated, and one a newer version migrated always', async () => {
    const uri = testDatabaseUri('schema_versions');
    const db = await openDatabase(uri);
    await db.models.migrations.updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION - 1 } });
    await expect(openDatabase(uri, undefined, { schema: 'require' })).rejects.toMatchObject({ code: 'schema_outdated' });

    await db.models.migrations.deleteOne({ _id: 'schema' });
    // Indexed by a version from before the schema had a number: version 1.
    expect(await schemaVersion(db.models)).toBe(1);

    await db.models.migrations.updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION + 1, appliedAt: new Date() } }, { upsert: true });
    await expect(openDatabase(uri, undefined, { schema: 'require' })).rejects.toMatchObject({ code: 'schema_unknown' });
    await expect(openDatabase(uri, undefined, { schema: 'migrate' })).rejects.toMatchObject({ code: 'schema_unknown' });
    await db.close();
  });
});
