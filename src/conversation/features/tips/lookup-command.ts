import { statusMessage } from '../../messages';
import type { Command } from '../../registry/command';
import type { TipsDeps } from './deps';

/** /tracuu [mã] (/status): where a tip or dispute stands, by its receipt code; asks for the code when none is given. */
export const lookupCommand: Command<TipsDeps> = {
  id: 'lookup',
  names: { vi: ['tracuu'], en: ['status'] },
  bareWords: ['tra cuu', 'tracuu'],
  where: ['private'],
  async handle(turn, args, { reports }, { runner }) {
    if (!args.trim()) return runner.start(turn, 'lookup', { askerKey: turn.key });
    turn.say(statusMessage(turn.t, turn.lang, await reports.statusByCode(args, turn.key), args.trim()));
  },
};
