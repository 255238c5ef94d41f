import { parseZaloJson } from './zalo-json';
import { ZaloApiError } from './zalo-errors';
import type { ZaloTokens } from './zalo-tokens';

/** A consultation message body, as Zalo's /v3.0/oa/message/cs takes it. */
export type ZaloMessage =
  | { text: string }
  | { text?: string; attachment: { type: 'template'; payload: Record<string, unknown> } }
  | { attachment: { type: 'file'; payload: { token: string } } };

const RATE_LIMIT_RETRIES = 2;
/** Members read per page of a group's member list. */
const GROUP_PAGE = 50;

/** A member of a Zalo group as its member list gives it (the OA itself has `oa_id` instead of `user_id`). */
interface GroupMember {
  user_id?: string | number;
  is_admin?: boolean;
  role?: string;
}

interface ZaloEnvelope<T> {
  error?: number;
  message?: string;
  data?: T;
}

/**
 * A small typed client for the Zalo Official Account API on `fetch` (no
 * maintained SDK exists). Zalo reports failures as HTTP 200 with
 * `error != 0`: those become ZaloApiError, an invalid or expired token
 * (-216, -220) is refreshed once and the call retried, and a rate limit (-32)
 * is waited out twice with backoff.
 */
export class ZaloClient {
  constructor(
    private readonly apiBase: string,
    private readonly tokens: Pick<ZaloTokens, 'accessToken' | 'refresh'>,
    /** Longest wait for one call's answer: a Zalo that accepts the connection and never answers fails the call, which is retried like any other failure. */
    private readonly timeoutMs = 30_000,
    private readonly backoffMs = 1000,
  ) {}

  /** Sends a consultation message; returns Zalo's message id. */
  async sendMessage(userId: string, message: ZaloMessage): Promise<string> {
    const data = await this.call<{ message_id?: string }>('/v3.0/oa/message/cs', () => JSON.stringify({ recipient: { user_id: userId }, message }), 'application/json');
    return String(data?.message_id ?? '');
  }

  /** Sends a promotion message (tin truyền thông: reaches every follower, counted against the quota); returns Zalo's message id. */
  async sendPromotion(userId: string, message: ZaloMessage): Promise<string> {
    const data = await this.call<{ message_id?: string }>('/v3.0/oa/message/promotion', () => JSON.stringify({ recipient: { user_id: userId }, message }), 'application/json');
    return String(data?.message_id ?? '');
  }

  /** Sends a message into a Zalo group the OA was added to (Group Message Framework); returns Zalo's message id. */
  async sendGroupMessage(groupId: string, message: ZaloMessage): Promise<string> {
    const data = await this.call<{ message_id?: string }>('/v3.0/oa/group/message', () => JSON.stringify({ recipient: { group_id: groupId }, message }), 'application/json');
    return String(data?.message_id ?? '');
  }

  /**
   * Whether a user administers a Zalo group (GMF member list, paged 50 at a
   * time). The member list marks the group's owner and deputies (phó nhóm);
   * this reads `is_admin` or a `role` of admin/owner/deputy.
   */
  async isGroupAdmin(groupId: string, userId: string): Promise<boolean> {
    for (let offset = 0; offset < 5_000; offset += GROUP_PAGE) {
      const query = new URLSearchParams({ group_id: groupId, offset: String(offset), count: String(GROUP_PAGE) });
      const data = await this.call<{ members?: GroupMember[]; total?: number }>(`/v3.0/oa/group/listmember?${query.toString()}`, null, null);
      const members = data?.members ?? [];
      const member = members.find((m) => String(m.user_id ?? '') === userId);
      if (member) return member.is_admin === true || ['admin', 'owner', 'deputy', 'creator'].includes(String(member.role ?? '').toLowerCase());
      if (members.length < GROUP_PAGE) return false;
    }
    return false;
  }

  /** Uploads an image; returns the attachment id to send it with. */
  async uploadImage(bytes: Buffer, mime: string, fileName: string): Promise<string> {
    const data = await this.call<{ attachment_id?: string }>('/v2.0/oa/upload/image', () => formWith(bytes, mime, fileName), null);
    return String(data?.attachment_id ?? '');
  }

  /** Uploads a file (PDF, DOC, DOCX); returns the token to send it with. */
  async uploadFile(bytes: Buffer, mime: string, fileName: string): Promise<string> {
    const data = await this.call<{ token?: string }>('/v2.0/oa/upload/file', () => formWith(bytes, mime, fileName), null);
    return String(data?.token ?? '');
  }

  /** A POST with the body `body` makes, or a GET when `body` is null. */
  private async call<T>(path: string, body: (() => string | FormData) | null, contentType: string | null): Promise<T | undefined> {
    let token = await this.tokens.accessToken();
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(`${this.apiBase}${path}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
        method: body ? 'POST' : 'GET',
        headers: { access_token: token, ...(contentType ? { 'content-type': contentType } : {}) },
        body: body ? body() : undefined,
      });
      if (!response.ok) throw new ZaloApiError(-response.status, `HTTP ${response.status}`);
      const envelope = parseZaloJson(await response.text()) as ZaloEnvelope<T>;
      if (!envelope.error) return envelope.data;
      const error = new ZaloApiError(envelope.error, envelope.message ?? 'unknown');
      if (error.kind === 'rate_limited' && attempt < RATE_LIMIT_RETRIES) {
        // Back off before trying again; callers with their own retries (notices, desk cards) take over after that.
        await new Promise((resolve) => setTimeout(resolve, this.backoffMs * 2 ** attempt));
        continue;
      }
      if (error.kind !== 'token' || attempt > 0) throw error;
      token = await this.tokens.refresh(token);
    }
  }
}

function formWith(bytes: Buffer, mime: string, fileName: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: mime }), fileName);
  return form;
}
