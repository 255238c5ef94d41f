import type { Turn } from '../../turn';
import type { ConversationTools, Command, GlobalButton } from '../../registry/command';
import type { TipsDeps } from './deps';
import { followupKey } from '../../presenters/followup-words';

/** /bosung <mã> [nội dung] (/followup, /add): adds to one's own tip at once, or asks for what to add. */
export const followupCommand: Command<TipsDeps> = {
  id: 'followup',
  names: { vi: ['bosung'], en: ['followup', 'add'] },
  where: ['private'],
  handle: (turn, args, deps, tools) => addToTip(turn, args, deps, tools),
};

/** "Trả lời" under an officer's message: asks what to add to that tip. */
export const followupButton: GlobalButton<TipsDeps> = {
  action: 'followup',
  async handle(turn, code, deps, tools) {
    if (code) await tools.runner.start(turn, 'followup', { code });
    else await addToTip(turn, '', deps, tools);
  },
};

async function addToTip(turn: Turn, args: string, { followups }: TipsDeps, { runner }: ConversationTools): Promise<void> {
  const [code, ...rest] = args.trim().split(/\s+/);
  if (!code) {
    turn.say({ text: turn.t('followup.usage') });
    return;
  }
  const text = rest.join(' ').trim();
  if (!text) return runner.start(turn, 'followup', { code });
  const result = await followups.addFromReporter(turn.key, code, { text: text.slice(0, 4000), evidence: null });
  turn.say({ text: turn.t(followupKey(result, code), { code }) });
}
