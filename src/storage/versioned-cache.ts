import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import { upsertById } from './claims';
import type { CacheVersionDoc } from './models/cache-version.model';

/**
 * A small collection (desks, coverage) held in memory by every instance, so
 * the hot paths (routing a tip, sending its card) read none of it. Whoever
 * writes to it calls `changed()`, which bumps a version document; the other
 * instances read that one document by `_id`, at most once per
 * `checkEveryMs`, and load the collection again when it moved. So a change
 * made elsewhere is seen within about `checkEveryMs`; one made here, at once.
 */
export class VersionedCache<T> {
  private value: T | null = null;
  private token: string | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly versions: Model<CacheVersionDoc>,
    private readonly name: string,
    private readonly loadAll: () => Promise<T>,
    private readonly checkEveryMs = 1000,
  ) {}

  async get(): Promise<T> {
    const now = Date.now();
    if (this.value !== null && now - this.checkedAt < this.checkEveryMs) return this.value;
    const token = (await this.versions.findOne({ _id: this.name }, { token: 1 }).lean())?.token ?? 'none';
    this.checkedAt = now;
    if (this.value === null || token !== this.token) {
      this.value = await this.loadAll();
      this.token = token;
    }
    return this.value;
  }

  /**
   * The collection as it stands now, checking the version at once: for a
   * lookup that missed something another record says exists (a desk named
   * by a card record that this instance has not seen register yet).
   */
  async fresh(): Promise<T> {
    this.checkedAt = Number.NEGATIVE_INFINITY;
    return this.get();
  }

  /** Call after every write to the collection: this instance reloads now, the others within `checkEveryMs`. */
  async changed(): Promise<void> {
    this.value = null;
    await upsertById(this.versions, this.name, { $set: { token: randomUUID(), changedAt: new Date() } });
  }
}
