import type { FastifyInstance } from 'fastify';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { InboundPipeline, InboundResult } from '../../conversation/inbound-pipeline';
import { moduleLogger } from '../../shared/logger';
import { sameSecret } from '../../shared/secrets';
import { telegramUpdateToEvent } from './telegram-inbound';
import type { ChatAddress, InboundEvent } from '../../core/chat';
import { isDeskPayload } from '../../core/payloads';

const log = moduleLogger('telegram');

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Past a turn's lease (60 s): an update held by a turn that died is then taken over. */
const PENDING_RETRY_MS = 65_000;

export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  webhook: { url: string; secret: string } | null;
  polling: boolean;
  /** How long one Bot API call may take (telegraf's own limit is 500 s). */
  callTimeoutMs: number;
}

/**
 * The Telegram transport: long polling by default, or a webhook checked
 * against TELEGRAM_WEBHOOK_SECRET. Every update goes through the inbound
 * pipeline; a pressed button is acknowledged and its keyboard removed so
 * old buttons cannot be pressed again by mistake.
 */
export class TelegramBot {
  readonly bot: Telegraf;
  /** Outcome of updates being handled through the webhook, so a failure can answer 500 and Telegram redelivers. */
  private readonly outcomes = new Map<number, InboundResult | null>();

  /** Called when the bot leaves a chat or loses the right to write in it. */
  onRemovedFromChat: ((address: ChatAddress) => Promise<void>) | null = null;

  constructor(
    private readonly options: TelegramBotOptions,
    private readonly pipeline: InboundPipeline,
  ) {
    this.bot = new Telegraf(options.token, { telegram: { apiRoot: options.apiRoot, webhookReply: false } });
    limitCallTime(this.bot.telegram, options.callTimeoutMs);
    this.bot.use(async (ctx, next) => {
      // The bot removed from a group, or its rights taken: the group stops receiving campaigns.
      const member = ctx.update && 'my_chat_member' in ctx.update ? ctx.update.my_chat_member : null;
      if (member) {
        const status = member.new_chat_member.status;
        const lostRights = status === 'left' || status === 'kicked' || (status === 'restricted' && !member.new_chat_member.can_send_messages);
        if (lostRights) await this.onRemovedFromChat?.({ channel: 'telegram', chatId: String(member.chat.id) }).catch((error: unknown) => log.warn({ err: error }, 'group unregistration failed'));
        return;
      }
      await next();
    });
    this.bot.use(async (ctx) => {
      const event = telegramUpdateToEvent(ctx.update, ctx.telegram);
      // Hand the event on before any await, so one chat's updates keep their order.
      const processing = event ? this.pipeline.process(event) : null;
      const query = ctx.callbackQuery;
      if (query) {
        await ctx.answerCbQuery().catch((error: unknown) => log.warn({ err: error }, 'answerCallbackQuery failed'));
      }
      const result = await processing;
      if (this.outcomes.has(ctx.update.update_id)) this.outcomes.set(ctx.update.update_id, result);
      // Long polling acknowledges every update it was given: one held by an unfinished turn is tried again here, once that turn's lease is over.
      else if (result === 'pending' && event) this.retryLater(event);
      // Old buttons are removed once answered; desk cards are edited in place by triage instead.
      const deskCard = event?.kind === 'button' && isDeskPayload(event.payload);
      if (query && result === 'processed' && query.message && !deskCard) {
        // Not awaited: the webhook answer (and the next update of this chat) does not wait for a cosmetic edit.
        void ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
      }
    });
    this.bot.catch((error) => log.error({ err: error }, 'update handling failed'));
  }

  private retryLater(event: InboundEvent): void {
    setTimeout(() => {
      void this.pipeline.process(event).then((again) => {
        if (again === 'pending') this.retryLater(event);
      });
    }, PENDING_RETRY_MS).unref();
  }

  /** Starts polling or registers the webhook. Resolves once the bot is receiving updates. */
  async start(): Promise<void> {
    if (this.options.webhook) {
      this.bot.botInfo ??= await this.bot.telegram.getMe();
      await this.bot.telegram.setWebhook(this.options.webhook.url, {
        secret_token: this.options.webhook.secret,
        allowed_updates: ['message', 'callback_query', 'my_chat_member'],
      });
      log.info({ url: this.options.webhook.url }, 'telegram webhook set');
      return;
    }
    if (!this.options.polling) return;
    await new Promise<void>((resolve, reject) => {
      this.bot
        .launch({ allowedUpdates: ['message', 'callback_query', 'my_chat_member'] }, () => resolve())
        .catch((error: unknown) => {
          log.error({ err: error }, 'telegram polling stopped with an error');
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
    log.info({ username: this.bot.botInfo?.username }, 'telegram polling started');
  }

  stop(): void {
    try {
      this.bot.stop('shutdown');
    } catch {
      // Not polling (webhook mode): nothing to stop.
    }
  }

  /** POST /webhooks/telegram: 401 for a wrong secret, 400 for a body that is not an update. */
  registerWebhookRoute(app: FastifyInstance): void {
    const secret = this.options.webhook?.secret;
    if (!secret) return;
    app.post(
      TELEGRAM_WEBHOOK_PATH,
      {
        // Checked before the body is even parsed: a forged request learns nothing about our parsing.
        onRequest: async (request, reply) => {
          const header = request.headers['x-telegram-bot-api-secret-token'];
          if (typeof header !== 'string' || !sameSecret(header, secret)) await reply.code(401).send({ error: 'unauthorized' });
        },
      },
      async (request, reply) => {
        const update = request.body;
        if (!isUpdate(update)) return reply.code(400).send({ error: 'not_an_update' });
        this.outcomes.set(update.update_id, null);
        try {
          await this.bot.handleUpdate(update);
          // 500 makes Telegram deliver the update again later: the ledger released a failed one; a pending one is taken over past its lease.
          const outcome = this.outcomes.get(update.update_id);
          return outcome === 'failed' || outcome === 'pending' ? reply.code(500).send({ error: 'retry_later' }) : reply.code(200).send({ ok: true });
        } finally {
          this.outcomes.delete(update.update_id);
        }
      },
    );
  }
}

function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && Number.isSafeInteger((body as { update_id?: unknown }).update_id);
}

/**
 * Every Bot API call is abandoned after `timeoutMs` (an AbortError, handled
 * like any failed call: a card or notice is retried, a resident's answer is
 * replayed), instead of telegraf's fixed 500 s that would hold a chat. A call
 * that brings its own signal keeps it: long polling's getUpdates waits on
 * Telegram's side and is stopped by telegraf itself.
 */
function limitCallTime(telegram: Telegraf['telegram'], timeoutMs: number): void {
  const callApi = telegram.callApi.bind(telegram);
  type Signal = NonNullable<Parameters<typeof telegram.callApi>[2]>['signal'];
  // telegraf types its signal with the abort-controller shim; node-fetch takes Node's own AbortSignal.
  const limited: typeof telegram.callApi = (method, payload, options = {}) => callApi(method, payload, { ...options, signal: options.signal ?? (AbortSignal.timeout(timeoutMs) as unknown as Signal) });
  telegram.callApi = limited;
}
