import { forgetConfirmation } from '../../messages';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/** /xoadulieu (/forget): asks to confirm before erasing the resident's personal data. */
export const forgetCommand: Command<AccountDeps> = {
  id: 'forget',
  names: { vi: ['xoadulieu'], en: ['forget'] },
  where: ['private'],
  async handle(turn) {
    turn.say(forgetConfirmation(turn.t));
  },
};
