/**
 * Runs tasks for one chat strictly one after another, in the order they were
 * queued, while different chats proceed in parallel. Telegraf's polling
 * handles a batch of updates concurrently; this is what keeps one resident's
 * messages in order.
 */
export class ChatQueue {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(chatKey: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chatKey) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(chatKey, tail);
    void tail.then(() => {
      if (this.tails.get(chatKey) === tail) this.tails.delete(chatKey);
    });
    return result;
  }

  /** Resolves when every queued task has finished (for shutdown). */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
