import type { Command } from '../../registry/command';
import type { TipsDeps } from './deps';

/** /baotin (/report), or "báo tin" typed alone: the tip flow, after consent. */
export const reportCommand: Command<TipsDeps> = {
  id: 'report',
  names: { vi: ['baotin'], en: ['report'] },
  bareWords: ['bao tin', 'baotin', 'to giac', 'report'],
  where: ['private'],
  async handle(turn, _args, _deps, { runner }) {
    await runner.start(turn, 'tip');
  },
};
