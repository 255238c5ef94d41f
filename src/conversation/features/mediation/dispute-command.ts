import type { Command } from '../../registry/command';
import type { MediationDeps } from './deps';

/** /hoagiai (/dispute), or "hòa giải" typed alone: a request for mediation, after consent. */
export const disputeCommand: Command<MediationDeps> = {
  id: 'dispute',
  names: { vi: ['hoagiai'], en: ['dispute'] },
  bareWords: ['hoa giai', 'hoagiai', 'dispute'],
  where: ['private'],
  async handle(turn, _args, _deps, { runner }) {
    await runner.start(turn, 'dispute');
  },
};
