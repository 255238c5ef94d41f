/** What a Zalo error code means for the caller. */
export type ZaloErrorKind = 'token' | 'not_follower' | 'outside_window' | 'rate_limited' | 'quota' | 'night' | 'other';

const KINDS: Record<number, ZaloErrorKind> = {
  [-216]: 'token',
  [-220]: 'token',
  [-213]: 'not_follower',
  [-230]: 'outside_window',
  [-232]: 'outside_window',
  [-32]: 'rate_limited',
  [-211]: 'quota',
  [-218]: 'quota',
  [-234]: 'night',
};

/** Zalo answers HTTP 200 with `error != 0` on failure; this carries the code and what it means. */
export class ZaloApiError extends Error {
  readonly kind: ZaloErrorKind;

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Zalo API error ${code}: ${message}`);
    this.name = 'ZaloApiError';
    this.kind = KINDS[code] ?? 'other';
  }
}

/** The OAuth server refused to refresh the token pair (a refresh token can be used once only). */
export class ZaloAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZaloAuthError';
  }
}
