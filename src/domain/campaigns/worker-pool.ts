/**
 * Runs `tasks` with at most `concurrency` at once, in order of start, until
 * all ran or `stopped()` says to stop. A task that throws counts as false
 * (reported to `onError`); one never started stays false.
 */
export async function runPool(tasks: (() => Promise<boolean>)[], concurrency: number, stopped: () => boolean, onError: (error: unknown) => void): Promise<boolean[]> {
  const results = new Array<boolean>(tasks.length).fill(false);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !stopped()) {
      const index = next++;
      results[index] = await tasks[index]().catch((error: unknown) => {
        onError(error);
        return false;
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
