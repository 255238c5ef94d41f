import type { Model } from 'mongoose';
import { AppError, isDuplicateKeyError } from '../shared/errors';
import type { PiiCipher } from '../shared/pii-cipher';
import type { ConversationStateDoc } from './models/conversation-state.model';
import { DEFAULT_LANGUAGE, isLanguage } from '../core/language';
import type { OutboundMessage } from '../core/chat';
import type { ConversationState, ConversationStates, StateChanges } from '../core/conversation-state';

/**
 * Loads and saves versioned conversation state. `save` inserts version n+1;
 * if another writer got there first it throws `conversation_conflict` and the
 * caller reloads and retries.
 */
export class ConversationStateStore implements ConversationStates {
  /**
   * @param flowVersion the version of the flow definitions (FLOW_VERSION): state saved under another one is dropped on load
   */
  constructor(
    private readonly states: Model<ConversationStateDoc>,
    private readonly cipher: PiiCipher,
    private readonly flowVersion: number,
  ) {}

  async load(key: string): Promise<ConversationState> {
    const doc = await this.states.findOne({ key }).sort({ version: -1 }).lean();
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
      updatedAt: doc.createdAt,
      incompatible: false,
    };
  }

  async save(
    current: ConversationState,
    changes: StateChanges,
    eventKey: string | null,
    now: Date,
    replies: OutboundMessage[] = [],
  ): Promise<ConversationState> {
    const next: ConversationState = { ...current, ...changes, version: current.version + 1, eventKey, replies, updatedAt: now, incompatible: false };
    // Only what can be rendered again is kept: files carry loaders (a desk card's evidence, a campaign preview's picture), so a replay sends the text.
    const replayable = replies.map(({ attachments: _attachments, image: _image, ...message }) => message);
    try {
      await this.states.create({
        _id: `${next.key}#${next.version}`,
        key: next.key,
        version: next.version,
        flowVersion: this.flowVersion,
        flow: next.flow,
        step: next.step,
        draftEnc: next.draft ? this.cipher.encrypt(JSON.stringify(next.draft)) : null,
        lang: next.lang,
        pendingFlow: next.pendingFlow,
        eventKey,
        expiredFlow: next.expiredFlow,
        repliesEnc: replayable.length > 0 ? this.cipher.encrypt(JSON.stringify(replayable)) : null,
        createdAt: now,
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new AppError('conversation_conflict', `Conversation ${next.key} moved on concurrently`);
      }
      throw error;
    }
    // Older versions are history nobody reads; dropping them keeps drafts from lingering.
    await this.states.deleteMany({ key: next.key, version: { $lt: next.version } });
    return next;
  }

  /** Removes every stored version (used by /xoadulieu). */
  async erase(key: string): Promise<void> {
    await this.states.deleteMany({ key });
  }

  /** Latest states holding a flow that has been idle since before `cutoff`. */
  async findIdleSince(cutoff: Date, limit: number): Promise<string[]> {
    const docs = await this.states.find({ flow: { $ne: null }, createdAt: { $lt: cutoff } }, { key: 1 }).limit(limit).lean();
    return [...new Set(docs.map((d) => d.key))];
  }
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
    updatedAt: new Date(0),
    incompatible: false,
  };
}
