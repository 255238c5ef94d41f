import type { PiiCipher } from '../shared/pii-cipher';
import type { ChatAddress } from '../core/chat';

/** The pseudonymous key of a chat: the only form in which conversations and residents are stored. */
export function chatKey(cipher: PiiCipher, address: ChatAddress): string {
  return cipher.pseudonym(`${address.channel}:${address.chatId}`);
}
