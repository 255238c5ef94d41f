import type { Model } from 'mongoose';
import { replaceById } from './claims';
import type { UnitCoverageDoc } from './models/unit-coverage.model';

export type CoverageField = 'wards' | 'categories';

/** What admins set of one unit's coverage; a field they never set is absent (the unit's config applies). */
export type CoverageChanges = Partial<Record<CoverageField, string[]>>;

/**
 * Coverage changed by admins, one document per unit and field
 * (`<unit>#wards`, `<unit>#categories`). FerretDB v1 applies an update by
 * reading the whole document and writing it back, so with one document per
 * unit a ward edit and a category edit made at the same moment lose one of
 * them (a spec caught it even with `$set` of one field); on MongoDB a `$set`
 * of the one field in a per-unit document would do. Reads the first layout
 * (one document under the unit's id with both fields) too; a field document
 * overrides it.
 */
export class CoverageStore {
  constructor(private readonly coverage: Model<UnitCoverageDoc>) {}

  async all(): Promise<Map<string, CoverageChanges>> {
    const docs = await this.coverage.find({}).lean();
    const changes = new Map<string, CoverageChanges>();
    const entry = (unitId: string): CoverageChanges => {
      let found = changes.get(unitId);
      if (!found) changes.set(unitId, (found = {}));
      return found;
    };
    for (const doc of docs.filter((d) => !d.field)) Object.assign(entry(doc._id), { ...(doc.wards ? { wards: doc.wards } : {}), ...(doc.categories ? { categories: doc.categories } : {}) });
    for (const doc of docs.filter((d) => d.field && d.unitId && d.ids)) entry(doc.unitId ?? '')[doc.field as CoverageField] = doc.ids;
    return changes;
  }

  async set(unitId: string, field: CoverageField, ids: string[], by: string, at: Date): Promise<void> {
    await replaceById(this.coverage, `${unitId}#${field}`, { unitId, field, ids, updatedBy: by, updatedAt: at });
  }
}
