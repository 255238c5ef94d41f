import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CONTINUED } from '../../src/channels/zalo/zalo-render';

export const ZALO_APP_ID = '4321098765432109876';
export const ZALO_APP_SECRET = 'test-app-secret';
export const ZALO_OA_SECRET_KEY = 'test-oa-secret-key';

/** One consultation message the OA sent, with the recipient id exactly as it was in the JSON. */
export interface ZaloSent {
  userId: string;
  message: { text?: string; attachment?: { type: string; payload: { template_type?: string; elements?: { title?: string }[]; buttons?: { title: string; payload: string }[] } } };
}

/**
 * A small Zalo OA API on 127.0.0.1: consultation and promotion messages, image and file
 * upload, OAuth token refresh with single-use refresh tokens, the error
 * codes the bot must handle (-216 invalid token, -230 outside the window,
 * -32 rate limit), and file downloads for what users "send".
 */
export class FakeZaloServer {
  readonly sent: ZaloSent[] = [];
  /** Promotion messages (tin truyền thông) the OA sent: they reach followers outside the 7-day window. */
  readonly promotions: ZaloSent[] = [];
  readonly uploads: { kind: 'image' | 'file'; size: number }[] = [];
  refreshes = 0;
  /** How many of the next message calls answer -32 (rate limit). */
  rateLimitNext = 0;
  /** Users Zalo says are outside the 7-day window (-230). */
  readonly outsideWindow = new Set<string>();
  /** Messages the OA sent into Zalo groups (Group Message Framework), with the group id exactly as it was in the JSON. */
  readonly groupSent: { groupId: string; message: ZaloSent['message'] }[] = [];
  /** Each group's members as its member list gives them (the admins marked). */
  readonly groupMembers = new Map<string, { user_id: string; name: string; is_admin: boolean }[]>();
  /** Groups whose GMF package has run out: messages to them answer a quota error (-211). */
  readonly groupsOverQuota = new Set<string>();
  /** Group messages refused for quota, per group: a sender that retried forever would show here. */
  readonly groupRefusals = new Map<string, number>();
  private accessToken = 'access-1';
  private refreshToken = 'refresh-1';
  private generation = 1;
  private readonly files = new Map<string, Buffer>();
  private readonly server = http.createServer((req, res) => void this.route(req, res));
  private base = '';

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.base;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The Zalo settings of a service that talks to this fake (after start). */
  serviceEnv(): Record<string, string> {
    return {
      ZALO_APP_ID,
      ZALO_APP_SECRET,
      ZALO_OA_SECRET_KEY,
      ZALO_API_BASE: this.base,
      ZALO_OAUTH_BASE: this.base,
      ZALO_ACCESS_TOKEN: this.initialTokens.access,
      ZALO_REFRESH_TOKEN: this.initialTokens.refresh,
    };
  }

  /** The first pair the service is given (ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN). */
  get initialTokens(): { access: string; refresh: string } {
    return { access: 'access-1', refresh: 'refresh-1' };
  }

  get currentRefreshToken(): string {
    return this.refreshToken;
  }

  /** The access token stops working now (as after its ~25 h), mid-conversation. */
  expireAccessToken(): void {
    this.accessToken = `expired-${this.generation}`;
  }

  /** A file a user "sends": Zalo gives the bot a URL to download it. */
  addFile(name: string, bytes: Buffer): string {
    this.files.set(name, bytes);
    return `${this.base}/files/${name}`;
  }
  /** The URL of a file whose download never gets an answer. */
  hangingFileUrl(name: string): string {
    return `${this.base}/hanging/${name}`;
  }


  /** What a Zalo group reads from the OA: each text (a picture's caption included). */
  textsToGroup(groupId: string): string[] {
    return this.groupSent.filter((s) => s.groupId === groupId).flatMap((s) => (s.message.text !== undefined ? [s.message.text] : []));
  }

  /** What the user reads: each text, and the question a list template carries as its title. */
  textsTo(userId: string): string[] {
    return this.sent.filter((s) => s.userId === userId).flatMap((s) => {
      const title = s.message.attachment?.payload.template_type === 'list' ? s.message.attachment.payload.elements?.[0]?.title : undefined;
      if (s.message.text !== undefined) return [s.message.text];
      return title !== undefined && title !== CONTINUED ? [title] : [];
    });
  }

  /** Buttons of the last list the user was shown (its templates: the titled one and any "…" ones after it). */
  lastButtons(userId: string): { title: string; payload: string }[] {
    const mine = this.sent.filter((s) => s.userId === userId);
    const group: { title: string; payload: string }[][] = [];
    for (let i = mine.length - 1; i >= 0; i -= 1) {
      const payload = mine[i].message.attachment?.payload;
      if (payload?.template_type !== 'list') {
        if (group.length > 0 || mine[i].message.text !== undefined) break;
        continue;
      }
      group.unshift(payload.buttons ?? []);
      if (payload.elements?.[0]?.title !== CONTINUED) break;
    }
    return group.flat();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = req.url ?? '';
    // A file server that takes the request and never answers.
    if (url.startsWith('/hanging/')) return;
    const file = /^\/files\/(.+)$/.exec(url);
    if (file) {
      const bytes = this.files.get(file[1]);
      res.writeHead(bytes ? 200 : 404).end(bytes);
      return;
    }
    if (url === '/v4/oa/access_token') return this.refresh(req, body, res);
    if (req.headers.access_token !== this.accessToken) return json(res, { error: -216, message: 'Access token is invalid' });
    if (url === '/v3.0/oa/message/cs') {
      // Read the recipient id from the raw text, so a lossy number would show.
      const userId = /"user_id"\s*:\s*"?(\d+)"?/.exec(body.toString('utf8'))?.[1] ?? '';
      if (this.rateLimitNext > 0) {
        this.rateLimitNext -= 1;
        return json(res, { error: -32, message: 'The request has exceeded the rate limit' });
      }
      if (this.outsideWindow.has(userId)) return json(res, { error: -230, message: 'User has not interacted with the OA in the last 7 days' });
      const parsed = JSON.parse(body.toString('utf8')) as { message: ZaloSent['message'] };
      this.sent.push({ userId, message: parsed.message });
      return json(res, { error: 0, message: 'Success', data: { message_id: `m${this.sent.length}`, user_id: userId } });
    }
    if (url === '/v3.0/oa/group/message') {
      const groupId = /"group_id"\s*:\s*"([^"]+)"/.exec(body.toString('utf8'))?.[1] ?? '';
      if (this.groupsOverQuota.has(groupId)) {
        this.groupRefusals.set(groupId, (this.groupRefusals.get(groupId) ?? 0) + 1);
        return json(res, { error: -211, message: 'Out of quota' });
      }
      const parsed = JSON.parse(body.toString('utf8')) as { message: ZaloSent['message'] };
      this.groupSent.push({ groupId, message: parsed.message });
      return json(res, { error: 0, message: 'Success', data: { message_id: `g${this.groupSent.length}`, group_id: groupId } });
    }
    if (url.startsWith('/v3.0/oa/group/listmember?') && req.method === 'GET') {
      const query = new URL(url, this.base).searchParams;
      const members = this.groupMembers.get(query.get('group_id') ?? '');
      if (!members) return json(res, { error: -201, message: 'group not found' });
      const offset = Number(query.get('offset') ?? 0);
      const count = Number(query.get('count') ?? 50);
      return json(res, { error: 0, data: { total: members.length, members: members.slice(offset, offset + count) } });
    }
    if (url === '/v3.0/oa/message/promotion') {
      const parsed = JSON.parse(body.toString('utf8')) as { recipient: { user_id: string }; message: ZaloSent['message'] };
      this.promotions.push({ userId: parsed.recipient.user_id, message: parsed.message });
      return json(res, { error: 0, message: 'Success', data: { message_id: `p${this.promotions.length}`, user_id: parsed.recipient.user_id } });
    }
    if (url === '/v2.0/oa/upload/image' || url === '/v2.0/oa/upload/file') {
      const kind = url.endsWith('image') ? 'image' : 'file';
      this.uploads.push({ kind, size: body.length });
      return json(res, { error: 0, data: kind === 'image' ? { attachment_id: `img${this.uploads.length}` } : { token: `tok${this.uploads.length}` } });
    }
    json(res, { error: -201, message: 'unknown endpoint' });
  }

  private refresh(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const form = new URLSearchParams(body.toString('utf8'));
    if (req.headers.secret_key !== ZALO_APP_SECRET || form.get('app_id') !== ZALO_APP_ID || form.get('grant_type') !== 'refresh_token') {
      return json(res, { error: -14002, error_description: 'invalid app' });
    }
    if (form.get('refresh_token') !== this.refreshToken) return json(res, { error: -14014, error_description: 'Invalid refresh token' });
    this.refreshes += 1;
    this.generation += 1;
    this.accessToken = `access-${this.generation}`;
    this.refreshToken = `refresh-${this.generation}`;
    json(res, { access_token: this.accessToken, refresh_token: this.refreshToken, expires_in: '90000' });
  }
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Signs a webhook body as Zalo does: "mac=" + sha256hex(appId + body + timestamp + OA secret key). */
export function zaloSignature(body: string, timestamp: string, oaSecretKey = ZALO_OA_SECRET_KEY): string {
  return `mac=${createHash('sha256').update(ZALO_APP_ID + body + timestamp + oaSecretKey).digest('hex')}`;
}
