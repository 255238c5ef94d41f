/**
 * How many messages one private chat may send in a minute before the bot
 * stops handling its messages for the rest of that minute (a flood: a stuck
 * key, a script). Kept in this instance's memory: behind several instances
 * each counts what it receives, which bounds a flood as well. The first
 * message over the limit is answered once, politely; the rest are dropped
 * without touching the database, so one chat cannot slow everyone else.
 */
export class ChatRateLimit {
  private readonly windows = new Map<string, { startedAt: number; count: number; told: boolean }>();

  constructor(
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  /** 'ok' to handle the message; 'tell' for the first one over the limit in its window; 'drop' after that. */
  check(chatKey: string, nowMs: number): 'ok' | 'tell' | 'drop' {
    this.forgetIdle(nowMs);
    let window = this.windows.get(chatKey);
    if (!window || nowMs - window.startedAt >= this.windowMs) {
      window = { startedAt: nowMs, count: 0, told: false };
      this.windows.set(chatKey, window);
    }
    window.count += 1;
    if (window.count <= this.perMinute) return 'ok';
    if (window.told) return 'drop';
    window.told = true;
    return 'tell';
  }

  /** Windows long over are dropped, so memory follows the chats active in the last minute. */
  private forgetIdle(nowMs: number): void {
    if (this.windows.size < 10_000) return;
    for (const [key, window] of this.windows) if (nowMs - window.startedAt >= this.windowMs) this.windows.delete(key);
  }
}
