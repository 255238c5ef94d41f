/** Limits a broadcast's pace: overall messages per second, spacing per chat, messages per minute per group. */
export interface RateLimits {
  perSecond: number;
  chatIntervalMs: number;
  groupPerMinute: number;
}

const SAFETY = 0.97;

/** Telegram's documented limits for bots. */
export const TELEGRAM_LIMITS: RateLimits = { perSecond: 30, chatIntervalMs: 1000, groupPerMinute: 20 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Paces sends: a token bucket for the overall rate (this instance's share of
 * it, when several instances send at once)
 * (reserved in order, so concurrent senders never exceed it), a minimum gap
 * between two messages to one chat, a sliding minute per group, and a pause
 * for everyone when the platform answers 429 with retry_after.
 */
export class RateLimiter {
  private nextSlot = 0;
  private pausedUntil = 0;
  private readonly lastByChat = new Map<string, number>();
  private readonly groupSends = new Map<string, number[]>();
  /** When the last calls actually left, for the final check just before each call. */
  private readonly departures: number[] = [];
  /** This instance's part of the overall rate: 1 / the number of instances sending. */
  private share = 1;

  constructor(private readonly limits: RateLimits) {}

  /** Several instances are sending: each keeps to its part of the overall rate. */
  setShare(share: number): void {
    this.share = Math.min(1, Math.max(0.01, share));
  }

  private get perSecond(): number {
    return this.limits.perSecond * this.share;
  }

  /** Waits until this chat may get its next message; `group` applies the per-minute group limit too. */
  async acquire(chat: string, group: boolean): Promise<void> {
    for (;;) {
      const now = Date.now();
      const wait = Math.max(this.pausedUntil - now, (this.lastByChat.get(chat) ?? -Infinity) + this.limits.chatIntervalMs - now, group ? this.groupWait(chat, now) : 0);
      if (wait <= 0) break;
      await sleep(wait);
    }
    // Reserve the next overall slot: evenly spaced, never two in one slot, with a 3% margin so
    // network jitter never bunches more than the limit into one second at the platform.
    const interval = 1000 / (this.perSecond * SAFETY);
    const slot = Math.max(Date.now(), this.nextSlot);
    this.nextSlot = slot + interval;
    this.lastByChat.set(chat, slot);
    if (group) this.groupSends.set(chat, [...(this.groupSends.get(chat) ?? []).filter((t) => t > slot - 60_000), slot]);
    if (slot > Date.now()) await sleep(slot - Date.now());
    if (this.lastByChat.size > 50_000) this.forgetOld(Date.now());
  }

  /**
   * The last check, right before the platform call: however the time between
   * taking a slot and calling varied (a database write in between), never
   * more calls than the limit leave within any one second.
   */
  async depart(): Promise<void> {
    const cap = Math.max(1, Math.floor(this.perSecond * SAFETY));
    for (;;) {
      const now = Date.now();
      while (this.departures.length > 0 && this.departures[0] <= now - 1000) this.departures.shift();
      if (this.departures.length < cap) break;
      await sleep(this.departures[0] + 1001 - now);
    }
    this.departures.push(Date.now());
  }

  /** The platform said "too many requests": nobody sends until the retry time. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private groupWait(chat: string, now: number): number {
    const recent = (this.groupSends.get(chat) ?? []).filter((t) => t > now - 60_000);
    return recent.length < this.limits.groupPerMinute ? 0 : recent[0] + 60_000 - now;
  }

  /** Memory stays flat with audience size: chats not written to for a while are forgotten. */
  private forgetOld(now: number): void {
    for (const [chat, at] of this.lastByChat) if (at < now - Math.max(this.limits.chatIntervalMs, 60_000)) this.lastByChat.delete(chat);
    for (const [chat, times] of this.groupSends) if (times.every((t) => t < now - 60_000)) this.groupSends.delete(chat);
  }
}
