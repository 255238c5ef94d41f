import { parseZaloJson } from './zalo-json';
import { ZaloApiError } from './zalo-errors';
import type { ZaloTokens } from './zalo-tokens';

/** A consultation message body, as Zalo's /v3.0/oa/message/cs takes it. */
export type ZaloMessage =
  | { text: string }
  | { text?: string; attachment: { type: 'template'; payload: Record<string, unknown> } }
  | { attachment: { type: 'file'; payload: { token: string } } };

const RATE_LIMIT_RETRIES = 2;

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

  private async call<T>(path: string, body: () => string | FormData, contentType: string | null): Promise<T | undefined> {
    let token = await this.tokens.accessToken();
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(`${this.apiBase}${path}`, {
        signal: AbortSignal.timeout(this.timeoutMs),
        method: 'POST',
        headers: { access_token: token, ...(contentType ? { 'content-type': contentType } : {}) },
        body: body(),
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
