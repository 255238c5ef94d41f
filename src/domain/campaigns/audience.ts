import type { Model } from 'mongoose';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { ResidentService } from '../residents/resident-service';
import type { ChatAddress } from '../../core/chat';
import { insertOrUpdate } from '../../storage/claims';
import type { BroadcastGroupDoc } from '../../storage/models/broadcast-group.model';
import type { SubscriptionDoc } from '../../storage/models/subscription.model';

export type Recipient = { kind: 'resident' | 'group'; key: string };

/**
 * Who campaigns reach: residents who subscribed (ward and topics, explicit
 * consent, one step to stop) and group chats registered by an admin. Knows
 * how to reach each, and drops those who blocked or removed the bot.
 */
export class Audience {
  constructor(
    private readonly models: { subscriptions: Model<SubscriptionDoc>; groups: Model<BroadcastGroupDoc> },
    private readonly residents: Pick<ResidentService, 'address'>,
    private readonly cipher: PiiCipher,
  ) {}

  async subscribe(residentKey: string, wardId: string, topics: string[], now: Date): Promise<void> {
    const address = await this.residents.address(residentKey);
    if (!address) throw new Error('Only a resident who consented can subscribe');
    const addressEnc = this.cipher.encrypt(JSON.stringify(address));
    await insertOrUpdate(this.models.subscriptions, { _id: residentKey, addressEnc, wardId, topics, createdAt: now }, { $set: { addressEnc, wardId, topics } });
  }

  /** Stops everything at once; true when there was a subscription. */
  async unsubscribe(residentKey: string): Promise<boolean> {
    return (await this.models.subscriptions.deleteOne({ _id: residentKey })).deletedCount === 1;
  }

  async subscriptionOf(residentKey: string): Promise<SubscriptionDoc | null> {
    return this.models.subscriptions.findOne({ _id: residentKey }).lean();
  }

  /** A group chat registered for a ward's campaigns; with `model`, as that self-management model's group. */
  async registerGroup(groupKey: string, address: ChatAddress, wardId: string, adminId: string, now: Date, model: { id: string; kind: string } | null = null): Promise<void> {
    const doc = { addressEnc: this.cipher.encrypt(JSON.stringify(address)), wardId, registeredBy: adminId, registeredAt: now, modelId: model?.id ?? null, modelKind: model?.kind ?? null };
    await insertOrUpdate(this.models.groups, { _id: groupKey, ...doc }, { $set: doc });
  }

  /** The self-management model a group is registered for, if any. */
  async modelOfGroup(groupKey: string): Promise<string | null> {
    return (await this.models.groups.findOne({ _id: groupKey }, { modelId: 1 }).lean())?.modelId ?? null;
  }

  async unregisterGroup(groupKey: string): Promise<boolean> {
    return (await this.models.groups.deleteOne({ _id: groupKey })).deletedCount === 1;
  }

  async groupsRegisteredBy(adminId: string): Promise<number> {
    return this.models.groups.countDocuments({ registeredBy: adminId });
  }

  /** Where to send, or why not: a resident who unsubscribed (even mid-run) or a group no longer registered is skipped. */
  async resolve(recipient: Recipient): Promise<ChatAddress | 'unsubscribed'> {
    // One read, which also proves the subscription (or registration) still stands.
    const found =
      recipient.kind === 'resident'
        ? await this.models.subscriptions.findOne({ _id: recipient.key }, { addressEnc: 1 }).lean()
        : await this.models.groups.findOne({ _id: recipient.key }, { addressEnc: 1 }).lean();
    return found ? (JSON.parse(this.cipher.decrypt(found.addressEnc)) as ChatAddress) : 'unsubscribed';
  }

  /** The recipient blocked the bot or removed it: they get nothing more. */
  async drop(recipient: Recipient): Promise<void> {
    if (recipient.kind === 'resident') await this.unsubscribe(recipient.key);
    else await this.unregisterGroup(recipient.key);
  }
}
