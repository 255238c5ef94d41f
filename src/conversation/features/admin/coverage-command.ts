import { adminActor } from '../../actors';
import type { Command } from '../../registry/command';
import type { AdminDeps } from './deps';

/** /phutrach <đơn vị> phuong|loai <mã…|*> (/coverage): the wards or categories a unit covers, from the next tip on. */
export const coverageCommand: Command<AdminDeps> = {
  id: 'coverage',
  names: { vi: ['phutrach'], en: ['coverage'] },
  where: ['private'],
  async handle(turn, args, { unitAdmin }) {
    turn.say({ text: turn.t(`admin.coverage_${await unitAdmin.setCoverage(adminActor(turn.event), args, turn.now)}`) });
  },
};
