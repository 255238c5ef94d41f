import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors';
import { foldVietnamese } from '../shared/text';
import { WardFinder, type WardInAddress, type WardPlace } from './ward-finder';

/**
 * The domain lists kept in `config/`: tip categories with their reporting
 * groups, and the wards residents can pick. Loaded and checked once at start.
 */
const deadlineSchema = z.object({ ackHours: z.number().positive().optional(), outcomeDays: z.number().positive().optional() });

const deadlinesSchema = z
  .object({
    default: z.object({ ackHours: z.number().positive(), outcomeDays: z.number().positive() }),
    byCategory: z.record(z.string(), deadlineSchema).default({}),
    remindBeforeHours: z.object({ ack: z.number().nonnegative(), outcome: z.number().nonnegative() }),
  })
  .default({ default: { ackHours: 24, outcomeDays: 20 }, byCategory: {}, remindBeforeHours: { ack: 2, outcome: 48 } });

const categoriesSchema = z.object({
  groups: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
  categories: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z_]+$/),
        group: z.string(),
        keywords: z.array(z.string()).default([]),
      }),
    )
    .min(1),
  deadlines: deadlinesSchema,
});

const disputesSchema = z.object({
  kinds: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), keywords: z.array(z.string()).default([]) })).min(1),
  deadlines: z.object({ assignHours: z.number().positive(), startDays: z.number().positive() }),
});

const modelsSchema = z.object({
  kinds: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), keywords: z.array(z.string()).default([]) })).min(1),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const campaignsSchema = z.object({
  topics: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), keywords: z.array(z.string()).default([]) })).min(1),
  quietHours: z.object({ start: hhmm, end: hhmm }),
});

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z
  .array(position)
  .min(4)
  .refine((points) => points[0][0] === points[points.length - 1][0] && points[0][1] === points[points.length - 1][1], 'a ring must end where it starts');
const wardsSchema = z.object({
  district: z.string(),
  wards: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        name: z.string().min(1),
        aliases: z.array(z.string().min(1)).default([]),
        boundary: z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }).nullable().default(null),
      }),
    )
    .min(1),
});

export interface Category {
  id: string;
  group: string;
  keywords: string[];
}

/** A kind of neighbourhood dispute taken to mediation (config/disputes.json). */
export interface DisputeKind {
  id: string;
  keywords: string[];
}

export interface DisputeCatalog {
  kinds: DisputeKind[];
  kindById(id: string): DisputeKind | undefined;
  /** Finds a kind from typed text by its keywords, ignoring diacritics. */
  matchKind(typed: string): DisputeKind | undefined;
  /** A dispute must be assigned within assignHours, and mediation must start within startDays of assignment. */
  deadlines: { assignHours: number; startDays: number };
}

export type Ward = WardPlace;

export interface Deadlines {
  ackHours: number;
  outcomeDays: number;
}

export interface Catalog {
  groups: string[];
  /** How long a tip of this category may wait for acceptance and for an outcome. */
  deadlinesFor(categoryId: string): Deadlines;
  /** How long before a deadline the desks are reminded. */
  remindBeforeHours: { ack: number; outcome: number };
  categories: Category[];
  district: string;
  wards: Ward[];
  categoryById(id: string): Category | undefined;
  wardById(id: string): Ward | undefined;
  /** The ward an answer names ("Phường 4", "P4", "4", "phuong vo thi sau", an alias), ignoring diacritics and case. */
  matchWard(typed: string): Ward | undefined;
  /** The ward a typed address names with its prefix ("hẻm 12 Trần Văn Đang, phuong 4") and the rest of the address; none when it names none or several. */
  findWardIn(address: string): WardInAddress | undefined;
  /** The ward whose boundary holds a map pin. */
  wardAt(lat: number, lon: number): Ward | undefined;
  /** Finds a category from typed text by its keywords. */
  matchCategory(typed: string): Category | undefined;
  disputes: DisputeCatalog;
  /** Kinds of self-management models (mô hình tự quản, config/models.json). */
  modelKinds: { id: string; keywords: string[] }[];
  campaigns: {
    topics: { id: string; keywords: string[] }[];
    matchTopic(typed: string): { id: string } | undefined;
    /** Default quiet hours, minutes after midnight (Vietnam time). */
    quietHours: { startMin: number; endMin: number };
  };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError('catalog_invalid', `Cannot read ${file}: ${(error as Error).message}`);
  }
}

function parse<T>(schema: z.ZodType<T>, file: string): T {
  const result = schema.safeParse(readJson(file));
  if (!result.success) {
    throw new AppError('catalog_invalid', `${file} is invalid: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

export function loadCatalog(configDir: string): Catalog {
  const cats = parse(categoriesSchema, path.join(configDir, 'categories.json'));
  const wards = parse(wardsSchema, path.join(configDir, 'wards.json'));
  const disputes = parse(disputesSchema, path.join(configDir, 'disputes.json'));
  const campaigns = parse(campaignsSchema, path.join(configDir, 'campaigns.json'));
  const models = parse(modelsSchema, path.join(configDir, 'models.json'));
  const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

  for (const category of cats.categories) {
    if (!cats.groups.includes(category.group)) {
      throw new AppError('catalog_invalid', `Category ${category.id} names unknown group ${category.group}`);
    }
  }
  for (const id of Object.keys(cats.deadlines.byCategory)) {
    if (!cats.categories.some((c) => c.id === id)) throw new AppError('catalog_invalid', `deadlines.byCategory names unknown category ${id}`);
  }

  const wardFinder = new WardFinder(wards.wards);

  return {
    groups: cats.groups,
    deadlinesFor: (id) => ({ ...cats.deadlines.default, ...cats.deadlines.byCategory[id] }),
    remindBeforeHours: cats.deadlines.remindBeforeHours,
    categories: cats.categories,
    district: wards.district,
    wards: wards.wards,
    categoryById: (id) => cats.categories.find((c) => c.id === id),
    wardById: (id) => wards.wards.find((w) => w.id === id),
    matchWard: (typed) => wardFinder.named(typed) ?? wardFinder.findIn(typed)?.ward,
    findWardIn: (address) => wardFinder.findIn(address),
    wardAt: (lat, lon) => wardFinder.at(lat, lon),
    matchCategory: (typed) => {
      const folded = foldVietnamese(typed);
      return cats.categories.find((c) => c.id === folded || c.keywords.some((k) => foldVietnamese(k) === folded));
    },
    modelKinds: models.kinds,
    campaigns: {
      topics: campaigns.topics,
      quietHours: { startMin: minutes(campaigns.quietHours.start), endMin: minutes(campaigns.quietHours.end) },
      matchTopic: (typed) => {
        const folded = foldVietnamese(typed);
        return campaigns.topics.find((t) => t.id === folded || t.keywords.some((k) => foldVietnamese(k) === folded));
      },
    },
    disputes: {
      kinds: disputes.kinds,
      deadlines: disputes.deadlines,
      kindById: (id) => disputes.kinds.find((k) => k.id === id),
      matchKind: (typed) => {
        const folded = foldVietnamese(typed);
        return disputes.kinds.find((k) => k.id === folded || k.keywords.some((w) => foldVietnamese(w) === folded));
      },
    },
  };
}
