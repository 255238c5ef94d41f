import type { Model } from 'mongoose';
import { AppError } from '../shared/errors';
import { LOST, untilWon } from '../shared/conflict-retry';
import type { PiiCipher } from '../shared/pii-cipher';
import type { ConversationStateDoc } from './models/conversation-state.model';
import type { InboxDoc } from './models/inbox.model';
import { insertInOrder, replaceById } from './claims';
import { RecentStates } from './recent-states';
import { DEFAULT_LANGUAGE, isLanguage } from '../core/language';
import type { OutboundMessage } from '../core/chat';
import type { Begun, ConversationState, ConversationStates, FiledCase, StateChanges, TurnClaim } from '../core/conversation-state';

/**
 * A claim (an event's, or a version's) older than this was left by a process
 * that stopped before finishing, and may be taken over.
 */
export const TURN_LEASE_MS = 60_000;

/**
 * Conversation state with a constant cost per message, on MongoDB and on
 * FerretDB v1 alike (FerretDB pushes only `_id` filters down to SQLite, and
 * runs an update as a read then a write, so a version-filtered update is no
 * compare-and-set there). Every request here is by `_id`:
 *
 * - `begin` inserts, in one insert command, the event's key and the marker of
 *   the chat's next version ("v:<key>#<n>") into `inbox`. The event's insert
 *   makes a redelivery a duplicate; the marker's makes exactly one turn the
 *   writer of version n. The state itself is usually known already (the
 *   chats this process talked to lately are kept in memory), else it is read
 *   by `_id`.
 * - `save` replaces the chat's one state document (`_id` = key).
 *
 * So a message costs two requests. A stale memory (another instance moved the
 * chat on) only makes the marker insert fail; the state is read again.
 * Markers stay in `inbox` as long as event keys (pruned by housekeeping, or a
 * TTL index on MongoDB), far longer than anything stays in memory, so a
 * version is never claimed twice.
 */
export class ConversationStateStore implements ConversationStates {
  private readonly recent = new RecentStates();

  /**
   * @param flowVersion the version of the flow definitions (FLOW_VERSION): state saved under another one is dropped on load
   */
  constructor(
    private readonly states: Model<ConversationStateDoc>,
    private readonly inbox: Model<InboxDoc>,
    private readonly cipher: PiiCipher,
    private readonly flowVersion: number,
  ) {}

  async begin(key: string, eventKey: string | null, now: Date): Promise<Begun> {
    const known = this.recent.get(key, now.getTime())?.state ?? (await this.load(key));
    let version = known.version + 1;
    const marker: InboxDoc = { _id: markerId(key, version), receivedAt: now };
    const docs: InboxDoc[] = eventKey === null ? [marker] : [{ _id: eventKey, receivedAt: now, chat: key, version }, marker];
    const taken = await insertInOrder(this.inbox, docs);
    if (taken === -1) return { kind: 'claimed', claim: { state: known, version, eventKey } };
    if (eventKey !== null && taken === 0) return this.duplicate(key, eventKey, now);

    // The event is ours but the version is not: another turn wrote it (our memory was behind) or holds it now.
    const won = await untilWon(async () => {
      const head = await this.load(key);
      version = head.version + 1;
      if (await this.claimVersion(key, version, now)) return head;
      return LOST;
    });
    if (won === LOST) {
      if (eventKey !== null) await this.inbox.deleteOne({ _id: eventKey });
      throw new AppError('conversation_conflict', `Conversation ${key} kept moving on concurrently`);
    }
    if (eventKey !== null) await this.inbox.updateOne({ _id: eventKey }, { $set: { version } });
    return { kind: 'claimed', claim: { state: won, version, eventKey } };
  }

  answered(key: string, eventKey: string): void {
    this.recent.markAnswered(key, eventKey);
  }

  async save(claim: TurnClaim, changes: StateChanges, now: Date, replies: OutboundMessage[] = []): Promise<ConversationState> {
    const { state: current, version, eventKey } = claim;
    const next: ConversationState = { ...current, ...changes, version, eventKey, replies, updatedAt: now, incompatible: false };
    // Only what can be rendered again is kept: files carry loaders (a desk card's evidence, a campaign preview's picture), so a replay sends the text.
    const replayable = replies.map(({ attachments: _attachments, image: _image, ...message }) => message);
    const doc: Omit<ConversationStateDoc, '_id'> = {
      version,
      flowVersion: this.flowVersion,
      flow: next.flow,
      step: next.step,
      draftEnc: next.draft ? this.cipher.encrypt(JSON.stringify(next.draft)) : null,
      lang: next.lang,
      pendingFlow: next.pendingFlow,
      eventKey,
      expiredFlow: next.expiredFlow,
      repliesEnc: replayable.length > 0 ? this.cipher.encrypt(JSON.stringify(replayable)) : null,
      filedEnc: next.filed ? this.cipher.encrypt(JSON.stringify(next.filed)) : null,
      createdAt: now,
    };
    try {
      // Lean: one replace command, no document casting on the hot path.
      await replaceById(this.states, next.key, doc);
    } catch (error) {
      // What is stored is not known now (the write may have landed): read it again next time.
      this.recent.forget(next.key);
      throw error;
    }
    this.recent.set(next.key, next, now.getTime());
    return next;
  }

  async release(claim: TurnClaim, options: { event: boolean }): Promise<void> {
    // After a failure the state may have been written all the same (a timeout after the write): then the version stays claimed.
    const written = options.event && (await this.states.findOne({ _id: claim.state.key }, { version: 1 }).lean())?.version === claim.version;
    const ids = [...(written ? [] : [markerId(claim.state.key, claim.version)]), ...(options.event && claim.eventKey !== null ? [claim.eventKey] : [])];
    await this.deleteFromInbox(ids);
  }

  async forgetEvent(eventKey: string): Promise<void> {
    await this.inbox.deleteOne({ _id: eventKey });
  }

  async load(key: string): Promise<ConversationState> {
    const doc = await this.states.findOne({ _id: key }).lean();
    if (!doc) return blank(key, 0);
    const lang = isLanguage(doc.lang) ? doc.lang : DEFAULT_LANGUAGE;
    if (doc.flowVersion !== this.flowVersion) {
      return { ...blank(key, doc.version), lang, expiredFlow: doc.flow, incompatible: true };
    }
    return {
      key,
      version: doc.version,
      flow: doc.flow,
      step: doc.step,
      draft: doc.draftEnc ? (JSON.parse(this.cipher.decrypt(doc.draftEnc)) as Record<string, unknown>) : null,
      lang,
      pendingFlow: doc.pendingFlow,
      eventKey: doc.eventKey,
      expiredFlow: doc.expiredFlow,
      replies: doc.repliesEnc ? (JSON.parse(this.cipher.decrypt(doc.repliesEnc)) as OutboundMessage[]) : [],
      filed: doc.filedEnc ? (JSON.parse(this.cipher.decrypt(doc.filedEnc)) as FiledCase) : null,
      updatedAt: doc.createdAt,
      incompatible: false,
    };
  }

  /**
   * Chats holding a flow idle since before `cutoff` (index `flow, createdAt`).
   * On FerretDB v1 this reads the whole collection: it runs every 15 minutes
   * (the idle sweep), never per message.
   */
  async findIdleSince(cutoff: Date, limit: number): Promise<string[]> {
    const docs = await this.states.find({ flow: { $ne: null }, createdAt: { $lt: cutoff } }, { _id: 1 }).limit(limit).lean();
    return docs.map((d) => d._id);
  }

  /**
   * An event seen before. It was handled once its chat reached the version
   * it claimed; if that turn's process stopped first (the claim is older than
   * the lease), the event is taken over and handled again. A redelivery of
   * the chat's latest event after the lease gets that event's replies again,
   * in case they never reached the chat.
   */
  private async duplicate(key: string, eventKey: string, now: Date): Promise<Begun> {
    const [event, head] = await Promise.all([this.inbox.findOne({ _id: eventKey }).lean(), this.load(key)]);
    if (event === null) return { kind: 'duplicate', replies: [] };
    const stale = now.getTime() - event.receivedAt.getTime() > TURN_LEASE_MS;
    const handled = event.version === undefined ? event.status === 'done' : head.version >= event.version;
    // The chat's last turn was this event's: unless this process sent its replies, whether they went out before a crash is not known until the lease has run out.
    const lastTurn = head.eventKey === eventKey;
    if (handled && (!lastTurn || this.recent.get(key, now.getTime())?.answered === eventKey)) return { kind: 'duplicate', replies: [] };
    if (!stale) return { kind: 'pending' };
    if (handled) {
      // Said again by this process: remembered, so a further redelivery here is a plain duplicate once they went out.
      this.recent.set(key, head, now.getTime());
      return { kind: 'duplicate', replies: head.replies };
    }
    // Taken over by whoever deletes the dead claim (a delete by `_id` removes it once).
    const ids = [eventKey, ...(event.version === undefined ? [] : [markerId(key, event.version)])];
    if ((await this.deleteFromInbox(ids)) === 0) return { kind: 'duplicate', replies: [] };
    this.recent.forget(key);
    return this.begin(key, eventKey, now);
  }

  /** Claims version `version` of a chat; a claim older than the lease, left by a stopped process, is taken over. */
  private async claimVersion(key: string, version: number, now: Date): Promise<boolean> {
    const id = markerId(key, version);
    if ((await insertInOrder(this.inbox, [{ _id: id, receivedAt: now }])) === -1) return true;
    const held = await this.inbox.findOne({ _id: id }).lean();
    if (held && now.getTime() - held.receivedAt.getTime() <= TURN_LEASE_MS) return false;
    if (held && (await this.inbox.deleteOne({ _id: id })).deletedCount === 0) return false;
    return (await insertInOrder(this.inbox, [{ _id: id, receivedAt: now }])) === -1;
  }

  /** Deletes these entries in one delete command, one statement per `_id` (a `$in` filter would not be pushed down on FerretDB v1); how many were there. */
  private async deleteFromInbox(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.inbox.bulkWrite(ids.map((id) => ({ deleteOne: { filter: { _id: id } } })), { ordered: false })).deletedCount;
  }
}

function markerId(key: string, version: number): string {
  return `v:${key}#${version}`;
}

function blank(key: string, version: number): ConversationState {
  return {
    key,
    version,
    flow: null,
    step: null,
    draft: null,
    lang: DEFAULT_LANGUAGE,
    pendingFlow: null,
    eventKey: null,
    expiredFlow: null,
    replies: [],
    filed: null,
    updatedAt: new Date(0),
    incompatible: false,
  };
}
