/**
 * The one retry policy for writes that lost to another writer (a report's
 * version claimed first, a conversation saved first by another instance).
 * The winner's own write lands some milliseconds after its claim (more on a
 * loaded machine), so each retry waits longer before reading again.
 */

/** What a try returns when another writer got there first. */
export const LOST = Symbol('lost to another writer');

/** Tries in all; the waits between them double from 10 ms (about 1.3 s in all). */
const ATTEMPTS = 8;
const FIRST_WAIT_MS = 10;

/** Runs `tryOnce` until it does not return LOST, at most ATTEMPTS times; LOST when every try lost. */
export async function untilWon<T>(tryOnce: () => Promise<T | typeof LOST>): Promise<T | typeof LOST> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, FIRST_WAIT_MS * 2 ** (attempt - 1)));
    const result = await tryOnce();
    if (result !== LOST) return result;
  }
  return LOST;
}
