import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import type { Catalog } from './catalog';

/**
 * A unit (đơn vị) and the wards and categories it covers; "*" covers all.
 * Mediation teams (kind "mediation") take disputes, and their categories are
 * dispute kinds; every other unit takes tips.
 */
export interface Unit {
  id: string;
  name: string;
  kind: 'ward_police' | 'investigation' | 'duty' | 'mediation';
  wards: string[];
  categories: string[];
  fallback: boolean;
  /** Telegram user ids of the unit's admins, who may change its coverage. */
  adminTelegramIds: string[];
  /** A mediation team's mediators; empty means any name may be assigned. */
  mediators: string[];
  /** The unit a case goes to, for reading, when this unit has not accepted it by its deadline (e.g. the district duty desk). */
  escalatesTo: string | null;
}

const unitsSchema = z.object({
  units: z
    .array(
      z.object({
        // Short: it travels in Telegram button data (64 bytes) with a report id.
        id: z.string().regex(/^[a-z0-9-]{2,20}$/),
        name: z.string().min(1),
        kind: z.enum(['ward_police', 'investigation', 'duty', 'mediation']),
        wards: z.array(z.string()).min(1),
        categories: z.array(z.string()).min(1),
        fallback: z.boolean().default(false),
        adminTelegramIds: z.array(z.string().regex(/^\d{1,20}$/)).default([]),
        mediators: z.array(z.string().min(2).max(60)).default([]),
        escalatesTo: z.string().nullable().default(null),
      }),
    )
    .min(1),
  urgentCategories: z.record(z.string(), z.array(z.string())).default({}),
});

export interface UnitDirectory {
  units: Unit[];
  byId(id: string): Unit | undefined;
  fallback: Unit;
  /**
   * Units a tip goes to, by the ward it happened in (null when not known as
   * a ward) and its category. `coverage` replaces a unit's wards and
   * categories (changes made by admins in the chat).
   */
  route(wardId: string | null, category: string, coverage?: Map<string, { wards: string[]; categories: string[] }>): Unit[];
  /**
   * Mediation teams a dispute goes to: those covering its ward and kind, else
   * those covering every ward, else the fallback unit (which passes it on).
   */
  routeDispute(wardId: string, kind: string, coverage?: Map<string, { wards: string[]; categories: string[] }>): Unit[];
  /** Where a desk may forward a report: tips to units that take tips, disputes to mediation teams (never back to itself). */
  forwardTargets(kind: 'tip' | 'dispute', fromUnitId: string): Unit[];
}

export function isMediation(unit: Pick<Unit, 'kind'>): boolean {
  return unit.kind === 'mediation';
}

/** Loads config/units.json and checks every ward, category and unit it names exists. */
export function loadUnits(configDir: string, catalog: Catalog): UnitDirectory {
  const file = path.join(configDir, 'units.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('catalog_invalid', `Cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = unitsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('catalog_invalid', `${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const { units, urgentCategories } = parsed.data;
  const problems: string[] = [];
  for (const unit of units) {
    for (const ward of unit.wards) if (ward !== '*' && !catalog.wardById(ward)) problems.push(`unit ${unit.id} names unknown ward ${ward}`);
    const known = (cat: string): boolean => (isMediation(unit) ? catalog.disputes.kindById(cat) : catalog.categoryById(cat)) !== undefined;
    for (const cat of unit.categories) if (cat !== '*' && !known(cat)) problems.push(`unit ${unit.id} names unknown ${isMediation(unit) ? 'dispute kind' : 'category'} ${cat}`);
  }
  for (const unit of units) {
    if (unit.escalatesTo === unit.id) problems.push(`unit ${unit.id} escalates to itself`);
    else if (unit.escalatesTo !== null && !units.some((u) => u.id === unit.escalatesTo)) problems.push(`unit ${unit.id} escalates to unknown unit ${unit.escalatesTo}`);
  }
  for (const [cat, ids] of Object.entries(urgentCategories)) {
    if (!catalog.categoryById(cat)) problems.push(`urgentCategories names unknown category ${cat}`);
    for (const id of ids) if (!units.some((u) => u.id === id)) problems.push(`urgentCategories.${cat} names unknown unit ${id}`);
  }
  const fallbacks = units.filter((u) => u.fallback);
  if (fallbacks.some(isMediation)) problems.push('the fallback unit cannot be a mediation team');
  if (fallbacks.length !== 1) problems.push(`exactly one unit must have "fallback": true (found ${fallbacks.length})`);
  if (problems.length > 0) throw new AppError('catalog_invalid', `${file}: ${problems.join('; ')}`);

  const covers = (list: string[], id: string | null): boolean => list.includes('*') || (id !== null && list.includes(id));
  const byId = (id: string): Unit | undefined => units.find((u) => u.id === id);

  return {
    units,
    byId,
    fallback: fallbacks[0],
    route: (wardId, category, coverage) => {
      const matched = units.filter((u) => {
        const { wards, categories } = coverage?.get(u.id) ?? u;
        return !u.fallback && !isMediation(u) && covers(categories, category) && (wardId === null ? wards.includes('*') : covers(wards, wardId));
      });
      const chosen = matched.length > 0 ? matched : [fallbacks[0]];
      for (const id of urgentCategories[category] ?? []) {
        const unit = byId(id);
        if (unit && !chosen.includes(unit)) chosen.push(unit);
      }
      return chosen;
    },
    routeDispute: (wardId, kind, coverage) => {
      const teams = units.filter(isMediation).filter((u) => covers((coverage?.get(u.id) ?? u).categories, kind));
      const local = teams.filter((u) => (coverage?.get(u.id) ?? u).wards.includes(wardId));
      if (local.length > 0) return local;
      const everywhere = teams.filter((u) => (coverage?.get(u.id) ?? u).wards.includes('*'));
      return everywhere.length > 0 ? everywhere : [fallbacks[0]];
    },
    forwardTargets: (kind, fromUnitId) => units.filter((u) => u.id !== fromUnitId && isMediation(u) === (kind === 'dispute')),
  };
}
