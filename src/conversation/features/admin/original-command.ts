import { adminActor } from '../../actors';
import type { Command } from '../../registry/command';
import type { AdminDeps } from './deps';

/**
 * /banggoc <mã> <số> (/original): a unit admin receives the untouched original
 * of a case's n-th photo (desks only ever see the cleaned copy), audited.
 */
export const originalCommand: Command<AdminDeps> = {
  id: 'original',
  names: { vi: ['banggoc'], en: ['original'] },
  where: ['private'],
  async handle(turn, args, { originals, evidence }) {
    const result = await originals.release(adminActor(turn.event), args, turn.now);
    if (result.kind !== 'released') {
      turn.say({ text: turn.t(`admin.original_${result.kind}`) });
      return;
    }
    const { code, n, original } = result;
    turn.say({ text: turn.t('admin.original_released', { code, n, sha256: original.sha256 }), attachments: [evidence.attachment(original)] });
  },
};
