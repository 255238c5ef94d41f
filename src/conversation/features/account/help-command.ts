import { isMediation } from '../../../config/units';
import { mainMenu } from '../../messages';
import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/**
 * /trogiup (/help): in a desk chat, the desk's own commands (a mediation
 * team's are its own); elsewhere what the bot does for residents, with the
 * main menu. A group that is not a desk is told to write privately.
 */
export const helpCommand: Command<AccountDeps> = {
  id: 'help',
  names: { vi: ['trogiup'], en: ['help'] },
  bareWords: ['tro giup', 'trogiup', 'help'],
  where: ['private', 'group'],
  async handle(turn, _args, { desks, units }) {
    const desk = await desks.find(turn.event.address);
    const unit = desk ? units.byId(desk.unitId) : undefined;
    if (unit) {
      turn.say({ text: turn.t(isMediation(unit) ? 'help.desk_mediation' : 'help.desk', { unit: unit.name }) });
      return;
    }
    if (turn.event.isGroup) turn.say({ text: turn.t('group.use_private_chat') });
    else turn.say(mainMenu(turn.t, turn.t('help.text')));
  },
};
