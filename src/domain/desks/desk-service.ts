import { createHmac } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Unit, UnitDirectory } from '../../config/units';
import { sameSecret } from '../../shared/secrets';
import type { DeskDoc } from '../../storage/models/desk.model';
import type { ChatAddress } from '../../core/chat';
import type { OnBehalfOf } from '../../core/report';
import { insertOnce } from '../../storage/claims';
import type { CacheVersionDoc } from '../../storage/models/cache-version.model';
import { VersionedCache } from '../../storage/versioned-cache';
import { DEFAULT_LANGUAGE, type Language } from '../../core/language';

/** One desk that must get a case's card, and for whom when not for its own unit. */
export interface CardTarget {
  deskId: string;
  onBehalfOf: OnBehalfOf | null;
}

export type DeskRegistration =
  | { result: 'registered' | 'already_registered'; unit: Unit }
  | { result: 'wrong_code' };

/**
 * Officer desks: chats bound to a unit, registered with /trucban <invite code>.
 * Each unit has its own code, derived from OFFICER_INVITE_CODE so there is
 * one secret to keep; the master code itself binds the fallback unit.
 */
export class DeskService {
  /** Every desk, in memory (a few per unit): routing and card delivery read none of them from the database. */
  private readonly all: VersionedCache<Map<string, DeskDoc>>;

  constructor(
    private readonly desks: Model<DeskDoc>,
    versions: Model<CacheVersionDoc>,
    private readonly units: UnitDirectory,
    private readonly masterCode: string,
  ) {
    this.all = new VersionedCache(versions, 'desks', async () => new Map((await desks.find({}).sort({ registeredAt: 1 }).lean()).map((desk) => [desk._id, desk])));
  }

  /** The invite code of one unit (shown to whoever sets up its desk). */
  inviteCodeFor(unitId: string): string {
    return `${unitId}-${createHmac('sha256', this.masterCode).update(unitId).digest('base64url').replace(/[-_]/g, '').slice(0, 8).toLowerCase()}`;
  }

  unitForCode(code: string): Unit | null {
    const typed = code.trim();
    if (sameSecret(typed, this.masterCode)) return this.units.fallback;
    // Unit codes are lower case; a code read out over the phone and typed in capitals is the same code.
    const lower = typed.toLowerCase();
    return this.units.units.find((unit) => sameSecret(lower, this.inviteCodeFor(unit.id))) ?? null;
  }

  async register(address: ChatAddress, code: string, title: string | null, now: Date): Promise<DeskRegistration> {
    const unit = this.unitForCode(code);
    if (!unit) return { result: 'wrong_code' };
    const desk = { _id: deskId(address), channel: address.channel, chatId: address.chatId, unitId: unit.id, topics: {}, title, registeredAt: now };
    if (await insertOnce(this.desks, desk)) {
      await this.all.changed();
      return { result: 'registered', unit };
    }
    const existing = await this.find(address);
    return { result: 'already_registered', unit: this.units.byId(existing?.unitId ?? '') ?? unit };
  }

  async find(address: ChatAddress): Promise<DeskDoc | null> {
    return (await this.all.get()).get(deskId(address)) ?? null;
  }

  async forUnits(unitIds: string[]): Promise<DeskDoc[]> {
    return [...(await this.all.get()).values()].filter((desk) => unitIds.includes(desk.unitId));
  }

  /**
   * Where a case routed to these units gets its card: every desk of them;
   * and when some of them have no desk, the fallback unit's desks too, for
   * those units (`onBehalfOf`), so no case waits unseen.
   */
  async cardTargets(unitIds: string[]): Promise<{ targets: CardTarget[]; deskless: string[] }> {
    const own = await this.forUnits(unitIds);
    const deskless = unitIds.filter((id) => !own.some((desk) => desk.unitId === id));
    const targets: CardTarget[] = own.map((desk) => ({ deskId: desk._id, onBehalfOf: null }));
    if (deskless.length === 0) return { targets, deskless };
    for (const desk of await this.forUnits([this.units.fallback.id])) {
      if (!own.includes(desk)) targets.push({ deskId: desk._id, onBehalfOf: { unitIds: deskless, reason: 'no_desk' } });
    }
    return { targets, deskless };
  }

  get fallbackUnitId(): string {
    return this.units.fallback.id;
  }

  /** Units with no desk registered (for /donvi and the start-up banner). */
  async unitsWithoutDesk(): Promise<Unit[]> {
    const desks = [...(await this.all.get()).values()];
    return this.units.units.filter((unit) => !desks.some((desk) => desk.unitId === unit.id));
  }

  /** /chude <loại> sent inside a forum topic: that category's cards go to this topic. */
  async bindTopic(address: ChatAddress, threadId: string | undefined, categoryId: string): Promise<'bound' | 'not_a_desk' | 'not_a_topic'> {
    const desk = await this.find(address);
    if (!desk) return 'not_a_desk';
    if (!threadId) return 'not_a_topic';
    await this.desks.updateOne({ _id: desk._id }, { $set: { [`topics.${categoryId}`]: threadId } });
    await this.all.changed();
    return 'bound';
  }

  /** Where a tip of this category is posted in a desk: its topic, if the desk is a forum with one for it. */
  static topicFor(desk: Pick<DeskDoc, 'topics'>, categoryId: string): string | undefined {
    return desk.topics?.[categoryId];
  }

  /** The language a desk's cards, reminders and notices are written in from now on; false when the chat is not a desk. */
  async setLanguage(address: ChatAddress, lang: Language): Promise<boolean> {
    const changed = (await this.desks.updateOne({ _id: deskId(address) }, { $set: { lang } })).matchedCount === 1;
    if (changed) await this.all.changed();
    return changed;
  }

  /** The language a desk reads (Vietnamese unless it chose another). */
  static languageOf(desk: Pick<DeskDoc, 'lang'>): Language {
    return desk.lang ?? DEFAULT_LANGUAGE;
  }

  /** The chat a desk is. */
  static addressOf(desk: Pick<DeskDoc, 'channel' | 'chatId'>): ChatAddress {
    return { channel: desk.channel, chatId: desk.chatId };
  }

  /**
   * When a web chat desk's officer last acted, read from the database (not
   * the cache: another instance may have written it since); its registration
   * when never.
   */
  async webSeenAt(desk: Pick<DeskDoc, '_id' | 'registeredAt'>): Promise<Date> {
    const stored = await this.desks.findById(desk._id, { webSeenAt: 1 }).lean();
    return stored?.webSeenAt ?? desk.registeredAt;
  }

  /** Records that a web chat desk's officer acted now. Not a change the cached desks need: they never read it. */
  async markWebSeen(deskId: string, now: Date): Promise<void> {
    await this.desks.updateOne({ _id: deskId }, { $set: { webSeenAt: now } });
  }

  /** A desk by id; one this instance does not know yet (registered through another within the last second) is looked for again at once. */
  async byId(id: string): Promise<DeskDoc | null> {
    return (await this.all.get()).get(id) ?? (await this.all.fresh()).get(id) ?? null;
  }
}

/** A desk's `_id`: the chat it is. */
function deskId(address: ChatAddress): string {
  return `${address.channel}:${address.chatId}`;
}
