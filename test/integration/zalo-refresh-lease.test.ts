import { createHash } from 'node:crypto';
import { ZaloTokens } from '../../src/channels/zalo/zalo-tokens';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { openDatabase, type Database } from '../../src/storage/database';
import { FakeZaloServer, ZALO_APP_ID, ZALO_APP_SECRET } from '../support/fake-zalo-server';
import { testDatabaseUri } from '../support/test-env';

/**
 * The Zalo token refresh is one at a time across instances, under a leased
 * lock. An instance that died holding the lock (between the claim and saving
 * the new pair) blocks the refresh only until the lease runs out: then the
 * next caller takes the lock over and refreshes, once.
 */
describe('a Zalo token refresh whose holder died', () => {
  let db: Database;
  let zalo: FakeZaloServer;
  let now = new Date('2026-12-02T03:00:00Z');

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('zalo_refresh_lease'));
    zalo = new FakeZaloServer();
    await zalo.start();
  });

  afterAll(async () => {
    await zalo.stop();
    await db.close();
  });

  it('waits while the lock is fresh, and refreshes once after its lease', async () => {
    const base = zalo.serviceEnv().ZALO_OAUTH_BASE ?? '';
    const tokens = new ZaloTokens(
      db.models.zaloTokens,
      db.models.leases,
      createPiiCipher(Buffer.alloc(32, 5)),
      { oauthBase: base, appId: ZALO_APP_ID, appSecret: ZALO_APP_SECRET, bootstrap: { accessToken: zalo.initialTokens.access, refreshToken: zalo.initialTokens.refresh }, timeoutMs: 2000 },
      () => now,
    );
    expect(await tokens.accessToken()).toBe(zalo.initialTokens.access);
    // Another instance claimed the refresh and died before saving the new pair: its lock is left behind.
    const lockId = `zalo-refresh:${createHash('sha256').update(zalo.initialTokens.refresh).digest('hex').slice(0, 32)}`;
    await db.models.leases.create({ _id: lockId, expiresAt: new Date(now.getTime() + 2 * 60_000) });

    const before = zalo.refreshes;
    await expect(tokens.refresh(zalo.initialTokens.access)).rejects.toThrow(/Another instance is refreshing/);
    expect(zalo.refreshes).toBe(before);

    now = new Date(now.getTime() + 2 * 60_000 + 1000);
    const fresh = await tokens.refresh(zalo.initialTokens.access);
    expect(fresh).not.toBe(zalo.initialTokens.access);
    expect(zalo.refreshes).toBe(before + 1);
    // Refreshed: a caller with the old token gets the new one, with no second exchange.
    expect(await tokens.refresh(zalo.initialTokens.access)).toBe(fresh);
    expect(zalo.refreshes).toBe(before + 1);
  }, 30_000);
});
