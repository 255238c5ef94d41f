import { overdueListMessage } from '../../presenters/overdue-list';
import type { Command } from '../../registry/command';
import type { DeskDeps } from './deps';

/** /quahan (/overdue): the unit's cases near or past a deadline, most urgent first. */
export const overdueCommand: Command<DeskDeps> = {
  id: 'overdue',
  names: { vi: ['quahan'], en: ['overdue'] },
  where: ['private', 'group'],
  async handle(turn, _args, { deadlines }) {
    turn.say(overdueListMessage(turn.t, await deadlines.overdueList(turn.event.address, turn.now)));
  },
};
