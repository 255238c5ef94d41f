/** Why a send failed, in the terms a broadcast dispatcher acts on. */
export type SendFailure =
  | { kind: 'rate_limited'; retryAfterMs: number }
  /** The user blocked the bot, or the bot left or was removed from the group. */
  | { kind: 'blocked' }
  /** The platform's rules forbid sending now (Zalo's 7-day window). */
  | { kind: 'outside_window' }
  | { kind: 'transient' }
  | { kind: 'permanent' };
