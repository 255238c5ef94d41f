import type { ChatAddress, InboundEvent } from '../core/chat';
import type { AdminActor } from '../domain/units/unit-admin-service';

/** An officer acting in a desk chat: who pressed or typed, and where. */
export interface Officer {
  address: ChatAddress;
  userId: string;
  name: string | null;
}

export function officerOf(event: InboundEvent): Officer {
  return { address: event.address, userId: event.senderId ?? event.address.chatId, name: event.senderName };
}

/** The sender as an admin: only a Telegram sender carries the user id that admin roles are configured by. */
export function adminActor(event: InboundEvent): AdminActor {
  return { address: event.address, telegramUserId: event.address.channel === 'telegram' ? event.senderId : null, name: event.senderName };
}
