import { moduleLogger } from '../shared/logger';
import type { FlowRunner } from './flow-runner';
import type { ConversationStates } from '../core/conversation-state';

const log = moduleLogger('idle-sweeper');

/**
 * Drops drafts left idle longer than CONVERSATION_TTL_HOURS, with their
 * evidence files, so unfinished tips do not linger. The conversation keeps a
 * note, and the resident's next message is told politely. Run by node-cron;
 * never throws out of a tick.
 */
export async function sweepIdleConversations(deps: {
  store: ConversationStates;
  runner: FlowRunner;
  idleTimeoutMs: number;
  now: Date;
}): Promise<number> {
  let swept = 0;
  try {
    const cutoff = new Date(deps.now.getTime() - deps.idleTimeoutMs);
    for (const key of await deps.store.findIdleSince(cutoff, 500)) {
      let begun;
      try {
        begun = await deps.store.begin(key, null, deps.now);
      } catch (error) {
        log.info({ err: error }, 'conversation moving on while sweeping; left as is');
        continue;
      }
      if (begun.kind !== 'claimed') continue;
      const { claim } = begun;
      const { state } = claim;
      if (!state.flow || state.updatedAt >= cutoff) {
        await deps.store.release(claim, { event: false });
        continue;
      }
      await deps.store.save(claim, { flow: null, step: null, draft: null, pendingFlow: null, expiredFlow: state.flow }, deps.now);
      const flow = deps.runner.get(state.flow);
      if (flow?.abandon && state.draft) await flow.abandon(state.draft);
      swept += 1;
    }
  } catch (error) {
    log.error({ err: error }, 'idle sweep failed');
  }
  return swept;
}
