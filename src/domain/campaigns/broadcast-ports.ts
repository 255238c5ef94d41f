import type { ChatAddress, OutboundAttachment, OutboundMessage } from '../../core/chat';
import type { EvidenceRecord } from '../../core/report';
import type { SendFailure } from '../../core/send-failure';

/** How broadcasts reach chats: the channels, behind the composition root. */
export interface BroadcastPorts {
  send(address: ChatAddress, message: OutboundMessage): Promise<unknown>;
  classify(address: ChatAddress, error: unknown): SendFailure;
  reachableNow(address: ChatAddress): Promise<boolean>;
  /** A campaign message's picture, to send with its text. */
  attachment(image: EvidenceRecord): OutboundAttachment;
}
