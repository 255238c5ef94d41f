import type { Model } from 'mongoose';
import type { ChatAddress } from '../../conversation/events';
import { isDuplicateKeyError } from '../../shared/errors';
import { sameSecret } from '../../shared/secrets';
import type { DeskDoc } from '../../storage/models/desk.model';

export type DeskRegistration = 'registered' | 'already_registered' | 'wrong_code';

/** Officer desks: chats that receive tips, registered with /trucban <invite code>. */
export class DeskService {
  constructor(
    private readonly desks: Model<DeskDoc>,
    private readonly inviteCode: string,
  ) {}

  async register(address: ChatAddress, code: string, title: string | null, now: Date): Promise<DeskRegistration> {
    if (!sameSecret(code.trim(), this.inviteCode)) return 'wrong_code';
    try {
      await this.desks.create({ _id: `${address.channel}:${address.chatId}`, channel: address.channel, chatId: address.chatId, title, registeredAt: now });
      return 'registered';
    } catch (error) {
      if (isDuplicateKeyError(error)) return 'already_registered';
      throw error;
    }
  }

  async isDesk(address: ChatAddress): Promise<boolean> {
    return (await this.desks.countDocuments({ channel: address.channel, chatId: address.chatId })) > 0;
  }

  async all(): Promise<DeskDoc[]> {
    return this.desks.find({}).sort({ registeredAt: 1 }).lean();
  }

  async byId(id: string): Promise<DeskDoc | null> {
    return this.desks.findOne({ _id: id }).lean();
  }
}
