import type { FakeTelegramServer } from '../../support/fake-telegram-server';

export const WEBHOOK_SECRET = 'chaos-secret_1';

/**
 * Telegram delivering webhook updates as it does: each update is posted
 * until the service answers 2xx, again after `retryMs` when it answered
 * otherwise or could not be reached (the service was killed, or refused it).
 * `url` can change (a restarted service on another port).
 */
export class WebhookDelivery {
  private nextUpdateId = 1;
  /** Deliveries answered 2xx, non-2xx, and not reached. */
  readonly counts = { accepted: 0, refused: 0, unreachable: 0, serverErrors: 0 };

  constructor(
    public url: string,
    private readonly retryMs = 1000,
  ) {}

  /** Delivers one update (a new update_id) until it is accepted. */
  async deliver(update: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify({ update_id: this.nextUpdateId++, ...update });
    for (;;) {
      try {
        const response = await fetch(`${this.url}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        await response.arrayBuffer();
        if (response.ok) {
          this.counts.accepted += 1;
          return;
        }
        this.counts.refused += 1;
        if (response.status >= 500) this.counts.serverErrors += 1;
      } catch {
        this.counts.unreachable += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }
}

let messageId = 1;
export function textUpdate(chat: number, text: string): Record<string, unknown> {
  const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]?.length ?? 0 }] : undefined;
  const group = chat < 0;
  return {
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: group ? { id: chat, type: 'supergroup', title: 'Trực ban' } : { id: chat, type: 'private', first_name: 'Dân' },
      from: { id: group ? 777_000_001 : chat, is_bot: false, first_name: 'Dân' },
      text,
      entities,
    },
  };
}

export function pressUpdate(chat: number, data: string): Record<string, unknown> {
  return {
    callback_query: {
      id: `cb${messageId++}`,
      from: { id: chat, is_bot: false, first_name: 'Dân' },
      chat_instance: 'ci',
      data,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: chat, type: 'private' }, text: '…' },
    },
  };
}

/** One step of a tip: what the resident sends, and words of the answer they wait for. */
export interface Step {
  name: string;
  update: (chat: number) => Record<string, unknown>;
  answer: string;
}

/** A whole anonymous tip over Telegram, as a resident sends it (button presses by their callback data). */
export function tipSteps(description: string): Step[] {
  return [
    { name: 'start', update: (c) => textUpdate(c, '/baotin'), answer: 'dữ liệu cá nhân' },
    { name: 'consent', update: (c) => pressUpdate(c, 'g:consent:yes'), answer: 'Bước 1/7' },
    { name: 'category', update: (c) => pressUpdate(c, 's:category:drugs'), answer: 'Bước 2/7' },
    { name: 'description', update: (c) => textUpdate(c, description), answer: 'Bước 3/7' },
    { name: 'place', update: (c) => textUpdate(c, 'hẻm 12 Trần Văn Đặng, phường 4'), answer: 'Bước 4/7' },
    { name: 'time', update: (c) => pressUpdate(c, 's:occurred:today'), answer: 'Bước 5/7' },
    { name: 'evidence', update: (c) => pressUpdate(c, 's:evidence:done'), answer: 'Bước 6/7' },
    { name: 'suspects', update: (c) => pressUpdate(c, 's:suspects:skip'), answer: 'Bước 7/7' },
    { name: 'anonymity', update: (c) => pressUpdate(c, 's:anonymity:anonymous'), answer: 'Kiểm tra lại' },
    { name: 'send', update: (c) => pressUpdate(c, 's:review:send'), answer: 'Mã biên nhận' },
  ];
}

/** What a resident went through. */
export interface Journey {
  chat: number;
  /** Receipt codes the resident was shown (more than one: they filed twice). */
  receipts: string[];
  /** Times they did a step again because no answer came. */
  repeats: number;
  /** Seconds from each step sent to its answer. */
  latencies: number[];
}

/**
 * A resident going through `steps`: each step sent, then its answer awaited
 * as a person would (up to `patienceMs`); with no answer, they do the step
 * again (a new update), as people do. `beforeStep` may hold them (a barrier).
 */
export async function walk(
  telegram: FakeTelegramServer,
  delivery: WebhookDelivery,
  chat: number,
  steps: Step[],
  options: { patienceMs: number; maxRepeats: number; beforeStep?: (step: Step) => Promise<void> },
): Promise<Journey> {
  const journey: Journey = { chat, receipts: [], repeats: 0, latencies: [] };
  for (const step of steps) {
    await options.beforeStep?.(step);
    for (let tries = 0; ; tries += 1) {
      const seen = telegram.textsTo(chat).length;
      const started = Date.now();
      await delivery.deliver(step.update(chat));
      const answered = await until(() => telegram.textsTo(chat).slice(seen).some((t) => t.includes(step.answer)), options.patienceMs);
      if (answered) {
        journey.latencies.push((Date.now() - started) / 1000);
        break;
      }
      if (tries >= options.maxRepeats) return finish(telegram, journey);
      journey.repeats += 1;
    }
  }
  return finish(telegram, journey);
}

function finish(telegram: FakeTelegramServer, journey: Journey): Journey {
  const codes = telegram.textsTo(journey.chat).flatMap((t) => [...t.matchAll(/Mã biên nhận: (TB-[2-9A-HJ-NP-Z]{6})/g)].map((m) => m[1] ?? ''));
  journey.receipts = [...new Set(codes)];
  return journey;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
}
