import { adminActor } from '../../actors';
import { unitListMessage } from '../../presenters/unit-list';
import type { Command } from '../../registry/command';
import type { AdminDeps } from './deps';

/** /donvi (/units): the units this admin manages, with what they cover and their desk invite codes. */
export const unitsCommand: Command<AdminDeps> = {
  id: 'units',
  names: { vi: ['donvi'], en: ['units'] },
  where: ['private'],
  async handle(turn, _args, { catalog, unitAdmin }) {
    turn.say(unitListMessage(turn.t, catalog, await unitAdmin.listUnits(adminActor(turn.event))));
  },
};
