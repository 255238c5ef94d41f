import type { Command } from '../../registry/command';
import type { DeskDeps } from './deps';

/** /trucban <mã> (/desk): makes this chat the duty desk of the unit whose invite code it is. */
export const deskCommand: Command<DeskDeps> = {
  id: 'desk',
  names: { vi: ['trucban'], en: ['desk'] },
  where: ['private', 'group'],
  async handle(turn, code, { desks, onDeskRegistered }) {
    if (!code.trim()) {
      turn.say({ text: turn.t('desk.code_missing') });
      return;
    }
    const registration = await desks.register(turn.event.address, code, turn.event.senderName, turn.now);
    turn.say({ text: turn.t(`desk.${registration.result}`, registration.result === 'wrong_code' ? {} : { unit: registration.unit.name }) });
    if (registration.result === 'registered') onDeskRegistered();
  },
};
