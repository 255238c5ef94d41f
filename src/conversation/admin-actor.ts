import type { InboundEvent } from '../core/chat';
import type { AdminActor } from '../domain/units/unit-admin-service';

/** The sender as an admin: only a Telegram sender carries the user id that admin roles are configured by. */
export function adminActor(event: InboundEvent): AdminActor {
  return { address: event.address, telegramUserId: event.address.channel === 'telegram' ? event.senderId : null, name: event.senderName };
}
