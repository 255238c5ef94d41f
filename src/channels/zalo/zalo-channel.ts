import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { Channel } from '../channel';
import type { ZaloClient } from './zalo-client';
import { ZaloApiError } from './zalo-errors';
import { renderForZalo, renderForZaloGroup, renderZaloPromotion } from './zalo-render';
import { zaloGroupIdOf } from './zalo-inbound';
import type { OutboundAttachment, OutboundMessage } from '../../core/chat';
import type { SendFailure } from '../../core/send-failure';
import type { ZaloContactDoc } from '../../storage/models/zalo-contact.model';
import type { ZaloHeldMessageDoc } from '../../storage/models/zalo-held-message.model';

const log = moduleLogger('zalo');
/** Zalo delivers consultation messages only within 7 days of the user's last message. */
export const ZALO_WINDOW_MS = 7 * 24 * 3_600_000;
/** How many uploaded pictures' attachment ids are remembered (the campaigns being sent). */
const UPLOADED_KEPT = 256;

/**
 * The Zalo Official Account as a channel. A message for a user outside
 * Zalo's 7-day interaction window (or who no longer follows the OA) is held
 * in MongoDB, never dropped, and sent when they next write.
 */
export class ZaloChannel implements Channel {
  readonly name = 'zalo' as const;
  /** Zalo's attachment ids of pictures uploaded, by evidence id, and uploads under way. */
  private readonly uploaded = new Map<string, string>();
  private readonly uploading = new Map<string, Promise<string>>();

  constructor(
    private readonly client: ZaloClient,
    private readonly models: { contacts: Model<ZaloContactDoc>; held: Model<ZaloHeldMessageDoc> },
    private readonly cipher: PiiCipher,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(userId: string, message: OutboundMessage): Promise<string | null> {
    // A Zalo group the OA was added to: no 7-day window, no buttons.
    const groupId = zaloGroupIdOf(userId);
    if (groupId) return this.sendToGroup(groupId, message);
    // A promotion message reaches every follower (Zalo counts it against the OA's quota).
    if (message.promotion) {
      const imageId = message.image ? await this.imageAttachmentId(message.image) : null;
      return this.client.sendPromotion(userId, renderZaloPromotion(message, imageId));
    }
    const reachable = await this.reachableNow(userId);
    // A broadcast is never held for later: outside the window it is skipped by rule.
    if (message.broadcast) {
      if (!reachable) throw new ZaloApiError(-230, 'outside the 7-day interaction window');
      return this.deliver(userId, message);
    }
    if (!reachable) {
      await this.hold(userId, message);
      return null;
    }
    try {
      return await this.deliver(userId, message);
    } catch (error) {
      if (error instanceof ZaloApiError && (error.kind === 'outside_window' || error.kind === 'not_follower')) {
        await this.hold(userId, message);
        return null;
      }
      throw error;
    }
  }

  classifyError(error: unknown): SendFailure {
    if (!(error instanceof ZaloApiError)) return { kind: 'transient' };
    if (error.kind === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: 1000 };
    if (error.kind === 'outside_window' || error.kind === 'night') return { kind: 'outside_window' };
    if (error.kind === 'not_follower') return { kind: 'blocked' };
    // Out of quota (a promotion quota, a group's GMF package): trying again within minutes would not help; the failure is recorded.
    if (error.kind === 'quota') return { kind: 'permanent' };
    return error.kind === 'other' ? { kind: 'permanent' } : { kind: 'transient' };
  }

  /** Whether the user administers the Zalo group (GMF member list): who may register it with /nhom. */
  async isChatAdmin(chatId: string, userId: string): Promise<boolean> {
    const groupId = zaloGroupIdOf(chatId);
    return groupId !== null && this.client.isGroupAdmin(groupId, userId);
  }

  private async sendToGroup(groupId: string, message: OutboundMessage): Promise<string | null> {
    const imageId = message.image ? await this.imageAttachmentId(message.image) : null;
    let ref: string | null = null;
    for (const part of renderForZaloGroup(message, imageId)) ref ??= await this.client.sendGroupMessage(groupId, part);
    return ref;
  }

  /** True when the user wrote within the window, so a message reaches them now. */
  async reachableNow(userId: string): Promise<boolean> {
    if (zaloGroupIdOf(userId)) return true;
    const contact = await this.models.contacts.findOne({ _id: this.contactKey(userId) }).lean();
    return contact !== null && this.clock().getTime() - contact.lastInboundAt.getTime() < ZALO_WINDOW_MS;
  }

  /** The user just wrote: the window opens again, and what was held for them is sent first, oldest first. */
  async noteInbound(userId: string): Promise<void> {
    // Writing in a group opens no window with the OA.
    if (zaloGroupIdOf(userId)) return;
    const key = this.contactKey(userId);
    const now = this.clock();
    const updated = await this.models.contacts.updateOne({ _id: key }, { $set: { lastInboundAt: now } });
    if (updated.matchedCount === 0) await this.models.contacts.create({ _id: key, lastInboundAt: now }).catch(() => this.models.contacts.updateOne({ _id: key }, { $set: { lastInboundAt: now } }));
    for (const held of await this.models.held.find({ contactKey: key }).sort({ createdAt: 1 }).lean()) {
      // Claimed by deleting it: with two instances, only the one that deleted it sends it.
      const removed = await this.models.held.deleteOne({ _id: held._id });
      if (removed.deletedCount !== 1) continue;
      const { message } = JSON.parse(this.cipher.decrypt(held.bodyEnc)) as { message: OutboundMessage };
      await this.deliver(userId, message).catch(async (error: unknown) => {
        log.warn({ err: error }, 'held Zalo message not delivered; kept for the next contact');
        await this.models.held.create(held);
      });
    }
  }

  async forgetChat(userId: string): Promise<void> {
    await this.models.held.deleteMany({ contactKey: this.contactKey(userId) });
    await this.models.contacts.deleteOne({ _id: this.contactKey(userId) });
  }

  private async deliver(userId: string, message: OutboundMessage): Promise<string | null> {
    let ref: string | null = null;
    const imageId = message.image ? await this.imageAttachmentId(message.image) : null;
    for (const part of renderForZalo(message, imageId)) {
      const id = await this.client.sendMessage(userId, part);
      ref ??= id;
    }
    for (const attachment of message.attachments ?? []) await this.sendAttachment(userId, attachment);
    return ref;
  }

  /**
   * Zalo's id for a picture: uploaded once per process, then reused for
   * every recipient (a campaign to thousands of followers is one upload).
   */
  private imageAttachmentId(image: OutboundAttachment): Promise<string> {
    const known = this.uploaded.get(image.evidenceId);
    if (known) return Promise.resolve(known);
    // Sends that need it while it is being uploaded share that upload.
    let uploading = this.uploading.get(image.evidenceId);
    if (!uploading) {
      uploading = (async () => {
        const attachmentId = await this.client.uploadImage(await image.load(), image.mime, image.fileName ?? image.evidenceId);
        this.uploaded.set(image.evidenceId, attachmentId);
        if (this.uploaded.size > UPLOADED_KEPT) this.uploaded.delete(this.uploaded.keys().next().value as string);
        return attachmentId;
      })().finally(() => this.uploading.delete(image.evidenceId));
      this.uploading.set(image.evidenceId, uploading);
    }
    return uploading;
  }

  private async sendAttachment(userId: string, attachment: OutboundAttachment): Promise<void> {
    const bytes = await attachment.load();
    const name = attachment.fileName ?? attachment.evidenceId;
    if (attachment.kind === 'photo') {
      const attachmentId = await this.client.uploadImage(bytes, attachment.mime, name);
      await this.client.sendMessage(userId, { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: attachmentId }] } } });
      return;
    }
    const token = await this.client.uploadFile(bytes, attachment.mime, name);
    await this.client.sendMessage(userId, { attachment: { type: 'file', payload: { token } } });
  }

  private async hold(userId: string, message: OutboundMessage): Promise<void> {
    // Files are not kept with a held message (only broadcasts carry a picture, and those are never held).
    const { attachments: _dropped, image: _image, ...rest } = message;
    await this.models.held.create({ _id: randomUUID(), contactKey: this.contactKey(userId), bodyEnc: this.cipher.encrypt(JSON.stringify({ userId, message: rest })), createdAt: this.clock() });
    log.info('Zalo user outside the interaction window: message held until they write');
  }

  private contactKey(userId: string): string {
    return this.cipher.pseudonym(`zalo-contact:${userId}`);
  }
}
