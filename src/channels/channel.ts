import type { ChannelName, ChatAddress, OutboundMessage } from '../conversation/events';
import { AppError } from '../shared/errors';

/**
 * What every channel adapter implements: render a channel-neutral message in
 * its own chat. Inbound traffic enters through the adapter's own transport
 * (polling, webhook, HTTP API) and goes to the InboundPipeline.
 */
export interface Channel {
  readonly name: ChannelName;
  send(chatId: string, message: OutboundMessage): Promise<void>;
  /** Drops what the channel keeps of a chat, when its resident asks to be forgotten. */
  forgetChat?(chatId: string): Promise<void>;
}

export class ChannelRegistry {
  private readonly channels = new Map<ChannelName, Channel>();

  register(channel: Channel): void {
    this.channels.set(channel.name, channel);
  }

  has(name: ChannelName): boolean {
    return this.channels.has(name);
  }

  async send(address: ChatAddress, messages: OutboundMessage[]): Promise<void> {
    const channel = this.channels.get(address.channel);
    if (!channel) {
      throw new AppError('channel_unavailable', `Channel ${address.channel} is not running. Running channels are: ${[...this.channels.keys()].join(', ') || 'none'}`);
    }
    for (const message of messages) await channel.send(address.chatId, message);
  }

  async forgetChat(address: ChatAddress): Promise<void> {
    await this.channels.get(address.channel)?.forgetChat?.(address.chatId);
  }
}
