import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Model } from 'mongoose';
import type { InboundPipeline } from '../../conversation/inbound-pipeline';
import { insertOnce } from '../../storage/claims';
import { moduleLogger } from '../../shared/logger';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { ZaloChannel } from './zalo-channel';
import { toInboundEvent, zaloEventKey, zaloEventSchema, type ZaloEvent } from './zalo-inbound';
import { parseZaloJson } from './zalo-json';
import type { ZaloEventDoc } from '../../storage/models/zalo-event.model';

const log = moduleLogger('zalo-webhook');
/** A recorded event not handled after this long (its process stopped) is handled by the recovery round. */
const RECOVER_AFTER_MS = 30_000;
/**
 * How old a Zalo event may be when it arrives (by its signed `timestamp`),
 * and how far ahead of our clock. An older one is a replay: `zalo_events`
 * keeps each event's id only a little longer than this (housekeeping), so
 * the window, not the ledger, is what refuses replays after that.
 */
export const ZALO_EVENT_FRESH_MS = 24 * 3_600_000;
const ZALO_CLOCK_SKEW_MS = 10 * 60_000;
const RECOVERY_BATCH_SIZE = 100;
const RECOVERY_BATCHES = 50;
const MAX_RECOVERY_ATTEMPTS = 10;
const MAX_RETRY_DELAY_MS = 3_600_000;
const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

export interface ZaloWebhookConfig {
  appId: string;
  oaSecretKey: string;
  /** Longest wait for a file a user sent: one that never arrives is given up and the user asked to send it again. */
  downloadTimeoutMs?: number;
}

/**
 * POST /webhooks/zalo. Checks Zalo's signature over the raw body (401 when
 * forged or missing), records the event in MongoDB (once, by message id),
 * answers 200 at once as Zalo expects within about 2 s, then hands the
 * event to the inbound pipeline. Events recorded but not handled (a crash
 * after the 200) are picked up by `recover()`.
 */
export class ZaloWebhook {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly config: ZaloWebhookConfig,
    private readonly events: Model<ZaloEventDoc>,
    private readonly cipher: PiiCipher,
    private readonly channel: Pick<ZaloChannel, 'noteInbound'>,
    private readonly pipeline: Pick<InboundPipeline, 'process'>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  register(http: FastifyInstance): void {
    void http.register(async (scope) => {
      // The signature covers the exact bytes Zalo sent: read the body raw, parse it here.
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.post('/webhooks/zalo', async (request, reply) => {
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let json: unknown;
        try {
          json = parseZaloJson(raw.toString('utf8'));
        } catch {
          return reply.code(400).send({ error: 'malformed_json' });
        }
        const timestamp = typeof json === 'object' && json !== null && 'timestamp' in json ? String((json as { timestamp: unknown }).timestamp) : '';
        if (!this.signatureValid(raw, timestamp, request.headers['x-zevent-signature'])) return reply.code(401).send({ error: 'bad_signature' });
        const sentAt = /^\d{10,16}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
        if (!Number.isFinite(sentAt)) return reply.code(400).send({ error: 'bad_timestamp' });
        const skew = sentAt - this.clock().getTime();
        if (skew < -ZALO_EVENT_FRESH_MS || skew > ZALO_CLOCK_SKEW_MS) {
          // Signed by Zalo but not sent now: a replay, or a retry long past. Acknowledged so nothing retries it, and not processed.
          log.warn({ skewMs: skew }, 'Zalo event outside the freshness window ignored');
          return reply.code(200).send({ ok: true, ignored: 'stale' });
        }
        const parsed = zaloEventSchema.safeParse(json);
        if (!parsed.success) return reply.code(400).send({ error: 'bad_event' });
        const key = zaloEventKey(parsed.data);
        if (key && (await this.record(key, raw))) this.track(new Promise<void>((resolve) => setImmediate(() => void this.handle(key, parsed.data).then(() => resolve()))));
        return reply.code(200).send({ ok: true });
      });
    });
  }

  /** Resolves once every event handed over so far is handled (used when stopping). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** Handles events recorded but left pending (their process stopped after answering Zalo). Never throws. */
  async recover(): Promise<number> {
    const round = this.recoverRound();
    this.track(round.then(() => undefined));
    return round;
  }

  /**
   * Tries every pending event whose retry is due, oldest due first, in
   * batches until none is left: each try marks its event done, schedules its
   * next try with backoff, or gives it up, so events that keep failing never
   * starve newer ones and are not read again before their time.
   */
  private async recoverRound(): Promise<number> {
    let handled = 0;
    try {
      for (let batch = 0; batch < RECOVERY_BATCHES; batch += 1) {
        const now = this.clock();
        const due = await this.events
          .find({
            status: 'pending',
            // Events recorded before retries were scheduled carry no retryAt: they are due once stale.
            $or: [{ retryAt: { $lte: now } }, { retryAt: { $exists: false }, receivedAt: { $lt: new Date(now.getTime() - RECOVER_AFTER_MS) } }],
          })
          .sort({ retryAt: 1 })
          .limit(RECOVERY_BATCH_SIZE)
          .lean();
        for (const doc of due) {
          const parsed = zaloEventSchema.safeParse(parseZaloJson(this.cipher.decrypt(doc.bodyEnc)));
          const done = parsed.success ? await this.handle(doc._id, parsed.data) : true;
          if (!parsed.success) await this.events.updateOne({ _id: doc._id }, { $set: { status: 'failed' } });
          else if (!done) await this.retryLater(doc._id, (doc.attempts ?? 0) + 1);
          handled += 1;
        }
        if (due.length < RECOVERY_BATCH_SIZE) break;
      }
    } catch (error) {
      log.error({ err: error }, 'Zalo recovery round failed');
    }
    return handled;
  }

  private async retryLater(key: string, attempts: number): Promise<void> {
    if (attempts >= MAX_RECOVERY_ATTEMPTS) {
      log.error({ event: key, attempts }, 'Zalo event given up after repeated failures');
      await this.events.updateOne({ _id: key }, { $set: { status: 'failed', attempts } });
      return;
    }
    const delayMs = Math.min(RECOVER_AFTER_MS * 2 ** attempts, MAX_RETRY_DELAY_MS);
    await this.events.updateOne({ _id: key }, { $set: { attempts, retryAt: new Date(this.clock().getTime() + delayMs) } });
  }

  /** "mac=" + sha256hex(appId + body + timestamp + OA secret key), compared in constant time. */
  private signatureValid(raw: Buffer, timestamp: string, header: string | string[] | undefined): boolean {
    if (typeof header !== 'string') return false;
    const mac = createHash('sha256').update(this.config.appId).update(raw).update(timestamp).update(this.config.oaSecretKey).digest('hex');
    const expected = Buffer.from(`mac=${mac}`);
    const given = Buffer.from(header.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** True when this is the first time the event is recorded (a retried one is already there). */
  private async record(key: string, raw: Buffer): Promise<boolean> {
    const now = this.clock();
    return insertOnce(this.events, { _id: key, bodyEnc: this.cipher.encrypt(raw.toString('utf8')), status: 'pending', receivedAt: now, retryAt: new Date(now.getTime() + RECOVER_AFTER_MS), attempts: 0 });
  }

  /** Handles one recorded event; false when it must be tried again. */
  private async handle(key: string, event: ZaloEvent): Promise<boolean> {
    try {
      const inbound = toInboundEvent(event, (url) => download(url, this.config.downloadTimeoutMs ?? 30_000));
      if (inbound) {
        await this.channel.noteInbound(inbound.address.chatId);
        const result = await this.pipeline.process(inbound);
        if (result === 'failed' || result === 'pending') return false;
      }
      await this.events.updateOne({ _id: key }, { $set: { status: 'done' } });
      return true;
    } catch (error) {
      log.error({ err: error, event: key }, 'Zalo event not handled; the recovery round will retry it');
      return false;
    }
  }
}

/** Fetches a file a Zalo user sent, from Zalo's (expiring) URL. */
async function download(url: string, timeoutMs: number): Promise<Buffer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`Zalo file download failed: HTTP ${response.status}`);
  // Refused before reading when the size is declared; a body without one is still capped below.
  if (Number(response.headers.get('content-length') ?? 0) > MAX_DOWNLOAD_BYTES) throw new Error('Zalo file too large');
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_DOWNLOAD_BYTES) throw new Error('Zalo file too large');
  return bytes;
}
