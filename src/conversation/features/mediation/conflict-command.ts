import { officerOf } from '../../actors';
import { presentMediation } from '../../presenters/desk-replies';
import type { Command } from '../../registry/command';
import type { MediationDeps } from './deps';

/** /xungdot <mã> <tên> (/conflict): a mediator's conflict of interest in a case, recorded; they are taken off it. */
export const conflictCommand: Command<MediationDeps> = {
  id: 'conflict',
  names: { vi: ['xungdot'], en: ['conflict'] },
  where: ['private', 'group'],
  async handle(turn, args, { mediation }) {
    turn.say(...presentMediation(turn.t, await mediation.declareConflict(officerOf(turn.event), args)));
  },
};
