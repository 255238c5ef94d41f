import type { Command } from '../../registry/command';
import type { AccountDeps } from './deps';

/** /huy (/cancel), or "hủy" typed alone even inside a flow: drops the flow in progress. */
export const cancelCommand: Command<AccountDeps> = {
  id: 'cancel',
  names: { vi: ['huy'], en: ['cancel'] },
  bareWords: ['huy', 'huy bo', 'cancel'],
  interruptsFlow: true,
  where: ['private'],
  async handle(turn, _args, _deps, { runner }) {
    await runner.cancel(turn);
  },
};
