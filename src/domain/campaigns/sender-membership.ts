import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { moduleLogger } from '../../shared/logger';
import { upsertById } from '../../storage/claims';
import type { BroadcastSenderDoc } from '../../storage/models/broadcast-sender.model';

const log = moduleLogger('broadcast');

/** How often a sending instance says so, and how long after its last word it no longer counts. */
const HEARTBEAT_MS = 1000;
const SENDER_STALE_MS = 3 * HEARTBEAT_MS;

/**
 * The instances sending broadcasts right now (broadcast_senders). While
 * sending, an instance says so every second and takes its part: of the
 * overall rate, 1 / the instances that said so lately, and of each run, the
 * deliveries whose id hashes to its place among them. Instances never race
 * for the same recipient, and one that stops stops counting within seconds:
 * the others take its rate and its recipients over.
 */
export class SenderMembership {
  readonly instanceId = randomUUID();
  /** This instance's part of the work while several send: deliveries whose id hashes to `index` of `of`. */
  private part = { index: 0, of: 1 };
  private lastHeartbeat = -Infinity;
  private beating: Promise<void> | null = null;

  constructor(
    private readonly senders: Model<BroadcastSenderDoc>,
    /** Told this instance's share of the overall rate after each heartbeat. */
    private readonly onShare: (share: number) => void,
    private readonly clock: () => Date,
  ) {}

  /** True when this instance sends this delivery (always, while it sends alone). */
  owns(deliveryId: string): boolean {
    return this.part.of === 1 || partOf(deliveryId, this.part.of) === this.part.index;
  }

  /**
   * Says this instance is sending, at most once a second unless `force`d.
   * Never throws (it sits between a claim and its call): on a database error
   * the instance keeps the part it had. One at a time per instance.
   */
  heartbeat(force = false): Promise<void> {
    if (this.beating) return this.beating;
    if (!force && Date.now() - this.lastHeartbeat < HEARTBEAT_MS) return Promise.resolve();
    this.lastHeartbeat = Date.now();
    this.beating = this.beat()
      .catch((error: unknown) => log.warn({ err: error }, 'broadcast heartbeat failed; keeping the previous share'))
      .finally(() => {
        this.beating = null;
      });
    return this.beating;
  }

  /** Stops counting at once: the others may take the whole rate again. */
  async leave(): Promise<void> {
    await this.senders.deleteOne({ _id: this.instanceId }).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const now = this.clock();
    await upsertById(this.senders, this.instanceId, { $set: { lastSeenAt: now } });
    const sending = (await this.senders.find({ lastSeenAt: { $gt: new Date(now.getTime() - SENDER_STALE_MS) } }, { _id: 1 }).lean()).map((s) => s._id).sort();
    const index = sending.indexOf(this.instanceId);
    this.part = index < 0 ? { index: 0, of: 1 } : { index, of: sending.length };
    this.onShare(1 / this.part.of);
  }
}

/** Which of `of` parts a delivery belongs to (FNV-1a of its id): the same answer on every instance. */
export function partOf(id: string, of: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % of;
}
