import { officerOf } from '../../actors';
import { presentRegister } from '../../presenters/mediation-register-files';
import type { Command } from '../../registry/command';
import type { MediationDeps } from './deps';

/** /sohoagiai [từ] [đến] (/register): the team's mediation register for a period, as CSV and .xlsx. */
export const registerCommand: Command<MediationDeps> = {
  id: 'register',
  names: { vi: ['sohoagiai'], en: ['register'] },
  where: ['private', 'group'],
  async handle(turn, args, { register }) {
    turn.say(...(await presentRegister(turn.t, await register.export(officerOf(turn.event), args, turn.now))));
  },
};
