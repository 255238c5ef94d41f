import { isMediation } from '../../../config/units';
import type { Command } from '../../registry/command';
import type { DeskDeps } from './deps';

/** /trucban <mã> (/desk): makes this chat the duty desk of the unit whose invite code it is. */
export const deskCommand: Command<DeskDeps> = {
  id: 'desk',
  names: { vi: ['trucban'], en: ['desk'] },
  where: ['private', 'group'],
  async handle(turn, code, { desks, onDeskRegistered, webchatDesks }) {
    // A desk sees every tip of its unit: on a public website it is allowed only where the operator turned it on.
    if (turn.event.address.channel === 'webchat' && !webchatDesks) return void turn.say({ text: turn.t('desk.webchat_desks_off') });
    if (!code.trim()) {
      turn.say({ text: turn.t('desk.code_missing') });
      return;
    }
    const registration = await desks.register(turn.event.address, code, turn.event.senderName, turn.now);
    if (registration.result === 'wrong_code') return void turn.say({ text: turn.t('desk.wrong_code') });
    const team = registration.result === 'registered' && isMediation(registration.unit);
    turn.say({ text: turn.t(team ? 'desk.registered_mediation' : `desk.${registration.result}`, { unit: registration.unit.name }) });
    if (registration.result === 'registered') await onDeskRegistered(registration.unit.id);
  },
};
