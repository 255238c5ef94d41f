import mongoose from 'mongoose';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import { ConversationStateStore, TURN_LEASE_MS } from '../../src/storage/conversation-state-store';
import { openDatabase, type Database } from '../../src/storage/database';
import type { TurnClaim } from '../../src/core/conversation-state';
import { migrateVersionedStates } from '../../src/storage/migrations';
import { testDatabaseUri } from '../support/test-env';

/**
 * The state store's guarantees, with two stores on one database standing
 * for two instances of the service (each with its own memory of the chats).
 */
describe('conversation state shared by two instances', () => {
  let db: Database;
  let a: ConversationStateStore;
  let b: ConversationStateStore;
  const cipher = createPiiCipher(Buffer.alloc(32, 3));
  const t0 = new Date('2026-12-01T02:00:00Z');

  beforeAll(async () => {
    db = await openDatabase(testDatabaseUri('state_store'));
    a = new ConversationStateStore(db.models.conversationStates, db.models.inbox, cipher, 1);
    b = new ConversationStateStore(db.models.conversationStates, db.models.inbox, cipher, 1);
  });

  afterAll(() => db.close());

  async function claim(store: ConversationStateStore, key: string, eventKey: string | null, at = t0): Promise<TurnClaim> {
    const begun = await store.begin(key, eventKey, at);
    if (begun.kind !== 'claimed') throw new Error(`${eventKey} was a duplicate`);
    return begun.claim;
  }

  /** Appends `word` to the chat's draft, as a turn would. */
  async function append(store: ConversationStateStore, key: string, eventKey: string, word: string): Promise<void> {
    const c = await claim(store, key, eventKey);
    const words = ((c.state.draft as { words?: string[] } | null)?.words ?? []).concat(word);
    await store.save(c, { flow: 'tip', step: 'description', draft: { words } }, t0);
  }

  it('loses no turn when instances take turns on one chat, though each remembers an older state', async () => {
    await append(a, 'chat-1', 'e1', 'một');
    await append(b, 'chat-1', 'e2', 'hai');
    await append(a, 'chat-1', 'e3', 'ba'); // a still remembers version 1
    await append(b, 'chat-1', 'e4', 'bốn'); // b remembers version 2
    await append(a, 'chat-1', 'e5', 'năm');
    const state = await a.load('chat-1');
    expect(state.draft).toEqual({ words: ['một', 'hai', 'ba', 'bốn', 'năm'] });
    expect(state.version).toBe(5);
    expect(await db.models.conversationStates.countDocuments({ _id: 'chat-1' })).toBe(1);
  });

  it('lets one of two instances racing for the same version write it; the other writes the next', async () => {
    await append(a, 'chat-2', 'r0', 'đầu');
    await Promise.all([append(a, 'chat-2', 'r1', 'A'), append(b, 'chat-2', 'r2', 'B')]);
    const { draft, version } = await a.load('chat-2');
    expect(version).toBe(3);
    expect((draft as { words: string[] }).words.slice(1).sort()).toEqual(['A', 'B']);
  });

  it('applies twenty messages of one chat sent at once to two instances each on top of the one before (a loser refused and delivered again): none lost, none twice', async () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
    // A turn that keeps losing the race is refused (conversation_conflict: the webhook answers 5xx) and the platform delivers it again.
    const delivered = async (store: ConversationStateStore, eventKey: string, word: string): Promise<void> => {
      for (;;) {
        try {
          return await append(store, 'chat-burst', eventKey, word);
        } catch (error) {
          if ((error as { code?: string }).code !== 'conversation_conflict') throw error;
        }
      }
    };
    await Promise.all(words.map((word, i) => delivered(i % 2 === 0 ? a : b, `burst-${i}`, word)));
    const { draft, version } = await b.load('chat-burst');
    expect(version).toBe(20);
    expect([...(draft as { words: string[] }).words].sort()).toEqual([...words].sort());
  });

  it('reports a redelivered event as a duplicate once its replies went out, and as pending while that is not known', async () => {
    await append(a, 'chat-3', 'd1', 'x');
    // Saved, its replies not sent yet (or the process died sending them): delivered again later, never acknowledged as done.
    expect((await a.begin('chat-3', 'd1', t0)).kind).toBe('pending');
    a.answered('chat-3', 'd1');
    expect((await a.begin('chat-3', 'd1', t0)).kind).toBe('duplicate');
    // Another instance does not know whether the replies went out: pending within the lease, then its replies said again.
    expect((await b.begin('chat-3', 'd1', t0)).kind).toBe('pending');
    expect(await b.begin('chat-3', 'd1', new Date(t0.getTime() + TURN_LEASE_MS + 1000))).toMatchObject({ kind: 'duplicate' });
    // An event the chat has moved on from is a plain duplicate anywhere.
    await append(a, 'chat-3', 'd2', 'y');
    expect((await b.begin('chat-3', 'd1', t0)).kind).toBe('duplicate');
  });

  it('takes over an event whose handling stopped midway, once the lease ran out, and only then', async () => {
    await append(a, 'chat-4', 'k1', 'trước');
    await claim(a, 'chat-4', 'k2'); // the process stops here: claimed, never saved
    expect((await b.begin('chat-4', 'k2', new Date(t0.getTime() + 1000))).kind).toBe('pending');
    const later = new Date(t0.getTime() + TURN_LEASE_MS + 1000);
    const taken = await claim(b, 'chat-4', 'k2', later);
    expect(taken.version).toBe(2);
    await b.save(taken, { draft: { words: ['trước', 'sau'] } }, later);
    expect((await a.load('chat-4')).draft).toEqual({ words: ['trước', 'sau'] });
  });

  it('takes over a version claimed by a turn that stopped, so the chat is not stuck', async () => {
    await append(a, 'chat-5', 'm1', 'một');
    await claim(a, 'chat-5', null); // the idle sweep stops after claiming version 2
    const later = new Date(t0.getTime() + TURN_LEASE_MS + 1000);
    const next = await claim(b, 'chat-5', 'm2', later);
    expect(next.version).toBe(2);
  });

  it('gives a version back when a turn writes nothing, so the next turn takes it', async () => {
    await append(a, 'chat-6', 'g1', 'một');
    const skipped = await claim(a, 'chat-6', 'g2');
    await a.release(skipped, { event: false });
    expect((await claim(b, 'chat-6', 'g3')).version).toBe(2);
  });

  it('moves states of the older layout (a document per version) to one document per chat, keeping the latest', async () => {
    const older = (version: number, step: string) => ({ _id: `old-chat#${version}`, key: 'old-chat', version, flowVersion: 1, flow: 'tip', step, draftEnc: null, lang: 'en', pendingFlow: null, eventKey: `e${version}`, expiredFlow: null, repliesEnc: null, createdAt: t0 });
    await db.models.conversationStates.collection.insertMany([older(3, 'location') as never, older(4, 'occurred') as never]);
    await db.models.migrations.deleteOne({ _id: 'conversation-states-by-key' });
    await migrateVersionedStates(db.models, t0);
    expect(await db.models.conversationStates.countDocuments({ key: 'old-chat' })).toBe(0);
    const state = await new ConversationStateStore(db.models.conversationStates, db.models.inbox, cipher, 1).load('old-chat');
    expect(state).toMatchObject({ version: 4, flow: 'tip', step: 'occurred', lang: 'en' });
    expect((await claim(a, 'old-chat', 'after-migration')).version).toBe(5);
  });

  it('keeps a version whose write landed though the database answered with an error, so the next turn builds on it', async () => {
    await append(a, 'chat-7', 'w1', 'một');
    const turn = await claim(a, 'chat-7', 'w2');
    const replaceOne = mongoose.mongo.Collection.prototype.replaceOne;
    const landedThenFailed = jest.spyOn(mongoose.mongo.Collection.prototype, 'replaceOne').mockImplementationOnce(async function (this: mongoose.mongo.Collection, ...args: Parameters<typeof replaceOne>) {
      await replaceOne.apply(this, args);
      throw new Error('socket timeout after the write');
    });
    await expect(a.save(turn, { draft: { words: ['một', 'hai'] } }, t0)).rejects.toThrow('socket timeout');
    landedThenFailed.mockRestore();
    await a.release(turn, { event: true }); // what the engine does when a turn fails
    await append(a, 'chat-7', 'w3', 'ba');
    expect((await b.load('chat-7')).draft).toEqual({ words: ['một', 'hai', 'ba'] });
  });
});
