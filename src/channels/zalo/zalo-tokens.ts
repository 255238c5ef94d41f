import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { PiiCipher } from '../../shared/pii-cipher';
import { claimWithLease, insertOnce } from '../../storage/claims';
import type { LeaseDoc } from '../../storage/models/lease.model';
import { ZaloAuthError } from './zalo-errors';
import type { ZaloTokenDoc } from '../../storage/models/zalo-token.model';

const log = moduleLogger('zalo-tokens');
const DOC_ID = 'oa';
/** Refresh this long before the access token expires. */
const EARLY_MS = 10 * 60_000;
/** How long an instance that lost the refresh lock waits for the winner's new pair. */
const WAIT_FOR_OTHER_MS = 15_000;
/** How long a refresh may hold its lock: a process that stopped mid-exchange frees it after this. */
const REFRESH_LEASE_MS = 2 * 60_000;

export interface ZaloOauthConfig {
  oauthBase: string;
  appId: string;
  appSecret: string;
  /** First tokens, from ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN; used only when none is stored yet. */
  bootstrap: { accessToken?: string; refreshToken?: string };
  /** Longest wait for Zalo's answer to a token refresh. */
  timeoutMs?: number;
}

/**
 * The OA's access token, refreshed before it expires. Zalo's refresh token
 * is single use, so across every instance only one refresh runs per refresh
 * token (a leased lock named after it), and the new pair is saved
 * before anyone uses it; the others wait for it.
 */
export class ZaloTokens {
  constructor(
    private readonly tokens: Model<ZaloTokenDoc>,
    private readonly locks: Model<LeaseDoc>,
    private readonly cipher: PiiCipher,
    private readonly config: ZaloOauthConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async accessToken(): Promise<string> {
    const doc = await this.current();
    if (doc.accessTokenEnc && doc.expiresAt.getTime() - EARLY_MS > this.clock().getTime()) return this.cipher.decrypt(doc.accessTokenEnc);
    return this.refresh(doc.accessTokenEnc ? this.cipher.decrypt(doc.accessTokenEnc) : null);
  }

  /**
   * Gets a new pair, unless someone already replaced `staleAccessToken`
   * (then their token is used). Called when a token is near expiry or Zalo
   * said it is invalid (-216, -220).
   */
  async refresh(staleAccessToken: string | null): Promise<string> {
    const doc = await this.current();
    const access = doc.accessTokenEnc ? this.cipher.decrypt(doc.accessTokenEnc) : null;
    if (access && access !== staleAccessToken) return access;
    const refreshToken = this.cipher.decrypt(doc.refreshTokenEnc);
    const lockId = `zalo-refresh:${createHash('sha256').update(refreshToken).digest('hex').slice(0, 32)}`;
    // Leased: a process that stops mid-exchange frees the refresh for another after REFRESH_LEASE_MS.
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + REFRESH_LEASE_MS);
    if (!(await claimWithLease(this.locks, { _id: lockId, expiresAt }, { expired: { expiresAt: { $lte: now } }, takeOver: { $set: { expiresAt } } }))) {
      return this.waitForNewPair(refreshToken);
    }
    let pair: Awaited<ReturnType<ZaloTokens['exchange']>>;
    try {
      pair = await this.exchange(refreshToken);
    } catch (error) {
      // Not spent (or spent without us learning the new pair): let the next caller try again.
      await this.locks.deleteOne({ _id: lockId });
      throw error;
    }
    const savedAt = this.clock();
    // Saved before use: the old refresh token is spent from this moment.
    await this.tokens.updateOne(
      { _id: DOC_ID },
      { $set: { accessTokenEnc: this.cipher.encrypt(pair.accessToken), refreshTokenEnc: this.cipher.encrypt(pair.refreshToken), expiresAt: new Date(savedAt.getTime() + pair.expiresInS * 1000), updatedAt: savedAt } },
    );
    log.info({ expiresInS: pair.expiresInS }, 'Zalo access token refreshed');
    return pair.accessToken;
  }

  private async current(): Promise<ZaloTokenDoc> {
    const doc = await this.tokens.findOne({ _id: DOC_ID }).lean();
    if (doc) return doc;
    const { accessToken, refreshToken } = this.config.bootstrap;
    if (!refreshToken) throw new ZaloAuthError('No Zalo tokens stored and ZALO_REFRESH_TOKEN is not set');
    const now = this.clock();
    await insertOnce(this.tokens, {
      _id: DOC_ID,
      accessTokenEnc: accessToken ? this.cipher.encrypt(accessToken) : null,
      refreshTokenEnc: this.cipher.encrypt(refreshToken),
      // A bootstrap access token's age is unknown: trust it for an hour at most.
      expiresAt: new Date(now.getTime() + (accessToken ? 60 * 60_000 : 0)),
      updatedAt: now,
    });
    return (await this.tokens.findOne({ _id: DOC_ID }).lean()) as ZaloTokenDoc;
  }

  private async waitForNewPair(spentRefreshToken: string): Promise<string> {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    while (Date.now() < deadline) {
      const doc = await this.tokens.findOne({ _id: DOC_ID }).lean();
      if (doc?.accessTokenEnc && this.cipher.decrypt(doc.refreshTokenEnc) !== spentRefreshToken) return this.cipher.decrypt(doc.accessTokenEnc);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new ZaloAuthError('Another instance is refreshing the Zalo token and has not saved a new one');
  }

  private async exchange(refreshToken: string): Promise<{ accessToken: string; refreshToken: string; expiresInS: number }> {
    const response = await fetch(`${this.config.oauthBase}/v4/oa/access_token`, {
      signal: AbortSignal.timeout(this.config.timeoutMs ?? 30_000),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.config.appSecret },
      body: new URLSearchParams({ app_id: this.config.appId, grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { access_token?: string; refresh_token?: string; expires_in?: string | number; error?: number; error_description?: string };
    if (!response.ok || !body.access_token || !body.refresh_token) {
      throw new ZaloAuthError(`Zalo refused the token refresh (HTTP ${response.status}, error ${body.error ?? '?'}: ${body.error_description ?? 'no access_token'})`);
    }
    return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresInS: Number(body.expires_in ?? 90_000) };
  }
}
