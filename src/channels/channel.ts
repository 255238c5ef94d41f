import { AppError } from '../shared/errors';
import type { ChannelName, ChatAddress, OutboundMessage } from '../core/chat';
import type { SendFailure } from '../core/send-failure';

/**
 * What every channel adapter implements: render a channel-neutral message in
 * its own chat. Inbound traffic enters through the adapter's own transport
 * (polling, webhook, HTTP API) and goes to the InboundPipeline.
 */
export interface Channel {
  readonly name: ChannelName;
  /** Sends a message; returns the platform's id of the message carrying the text and buttons. */
  send(chatId: string, message: OutboundMessage): Promise<string | null>;
  /** Replaces a message sent earlier (a desk card whose status changed). Channels that cannot edit send anew. */
  edit?(chatId: string, messageRef: string, message: OutboundMessage): Promise<void>;
  /** Drops what the channel keeps of a chat, when its resident asks to be forgotten. */
  forgetChat?(chatId: string): Promise<void>;
  /** False when a message would be held rather than delivered now (Zalo's 7-day window). */
  reachableNow?(chatId: string): Promise<boolean>;
  /** What a send error means; unknown errors count as transient. */
  classifyError?(error: unknown): SendFailure;
  /** True when the user administers the group chat (registering a group for campaigns). */
  isChatAdmin?(chatId: string, userId: string): Promise<boolean>;
  /** A web address that opens a private chat with the bot, started with `payload` (Telegram's t.me/<bot>?start=); null where there is none. */
  startLink?(payload: string): string | null;
}

export class ChannelRegistry {
  private readonly channels = new Map<ChannelName, Channel>();

  register(channel: Channel): void {
    this.channels.set(channel.name, channel);
  }

  has(name: ChannelName): boolean {
    return this.channels.has(name);
  }

  /** Sends messages in order; returns each one's platform message id. */
  async send(address: ChatAddress, messages: OutboundMessage[]): Promise<(string | null)[]> {
    const channel = this.get(address);
    const refs: (string | null)[] = [];
    for (const message of messages) refs.push(await channel.send(address.chatId, message));
    return refs;
  }

  /** Edits a message in place where the channel can, otherwise sends the new version. */
  async edit(address: ChatAddress, messageRef: string | null, message: OutboundMessage): Promise<void> {
    const channel = this.get(address);
    if (channel.edit && messageRef) await channel.edit(address.chatId, messageRef, message);
    else await channel.send(address.chatId, message);
  }

  private get(address: ChatAddress): Channel {
    const channel = this.channels.get(address.channel);
    if (!channel) {
      throw new AppError('channel_unavailable', `Channel ${address.channel} is not running. Running channels are: ${[...this.channels.keys()].join(', ') || 'none'}`);
    }
    return channel;
  }

  async reachableNow(address: ChatAddress): Promise<boolean> {
    const channel = this.channels.get(address.channel);
    return channel?.reachableNow ? channel.reachableNow(address.chatId) : true;
  }

  classifyError(address: ChatAddress, error: unknown): SendFailure {
    return this.channels.get(address.channel)?.classifyError?.(error) ?? { kind: 'transient' };
  }

  async isChatAdmin(address: ChatAddress, userId: string): Promise<boolean> {
    const channel = this.channels.get(address.channel);
    return channel?.isChatAdmin ? channel.isChatAdmin(address.chatId, userId) : false;
  }

  startLink(channel: ChannelName, payload: string): string | null {
    return this.channels.get(channel)?.startLink?.(payload) ?? null;
  }

  async forgetChat(address: ChatAddress): Promise<void> {
    await this.channels.get(address.channel)?.forgetChat?.(address.chatId);
  }
}
