import type { Model } from 'mongoose';
import { insertOnce } from './claims';
import type { DeliveryClaimDoc } from './models/delivery-claim.model';

/**
 * Claims the next attempt at sending a retried record (a desk card, a notice
 * to a reporter) by inserting "<record>#<attempt>" (unique): exactly one
 * worker, in any instance, makes each attempt.
 *
 * The winner moves the record's `nextAttemptAt` a lease ahead, so nobody
 * retries it while it is being sent. A worker that died mid-attempt leaves its
 * claim behind: once the lease has run out, the attempt is counted so the
 * next round can claim a fresh one. The record may then be sent twice, the
 * price of never losing it.
 *
 * @param setAttempts records the new attempt count (and, for the winner, the lease end) on the record
 */
export async function claimAttempt(
  claims: Model<DeliveryClaimDoc>,
  recordId: string,
  attemptsSoFar: number,
  now: Date,
  leaseMs: number,
  setAttempts: (attempts: number, nextAttemptAt: Date | null) => Promise<unknown>,
): Promise<boolean> {
  const attempt = attemptsSoFar + 1;
  const claimId = `${recordId}#${attempt}`;
  if (!(await insertOnce(claims, { _id: claimId, claimedAt: now }))) {
    const claim = await claims.findOne({ _id: claimId }).lean();
    if (claim && now.getTime() - claim.claimedAt.getTime() > leaseMs) await setAttempts(attempt, null);
    return false;
  }
  await setAttempts(attempt, new Date(now.getTime() + leaseMs));
  return true;
}

/** Exponential backoff from `baseMs`, doubling per failed attempt, capped at ten minutes. */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(2 ** (attempt - 1) * baseMs, 10 * 60_000);
}
