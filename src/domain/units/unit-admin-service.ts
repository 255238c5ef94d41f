import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Catalog } from '../../config/catalog';
import type { ChatAddress } from '../../core/chat';
import { isMediation, type Unit, type UnitDirectory } from '../../config/units';
import { foldVietnamese } from '../../shared/text';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { UnitCoverageDoc } from '../../storage/models/unit-coverage.model';
import type { CacheVersionDoc } from '../../storage/models/cache-version.model';
import { VersionedCache } from '../../storage/versioned-cache';
import { CoverageStore } from '../../storage/coverage-store';
import type { DeskService } from '../desks/desk-service';
import type { ReportRepository } from '../../storage/report-repository';
import { ownEntry } from '../../shared/lookup';

export type Coverage = Map<string, { wards: string[]; categories: string[] }>;
/**
 * Someone acting as an admin. Roles come only from Telegram user ids
 * (ADMIN_TELEGRAM_IDS, config/units.json), never from a chat: the channel
 * layer sets `telegramUserId` only for a Telegram sender.
 */
export interface AdminActor {
  address: ChatAddress;
  telegramUserId: string | null;
  name: string | null;
}

/** A unit as its admin sees it: what it covers ('*' for all) and the code its desk registers with. */
export interface ManagedUnit {
  unit: Unit;
  inviteCode: string;
  wards: string[];
  categories: string[];
  /** How many desks the unit has registered (0: its cases go to the fallback desk for it). */
  desks: number;
  /** Its cases not accepted yet. */
  waiting: number;
}

export type CoverageResult = 'updated' | 'not_admin' | 'bad_request' | 'unknown_unit' | 'unknown_ids';

/** The word after the unit id in /phutrach, in Vietnamese (with or without diacritics) or English. */
const COVERAGE_FIELDS: Record<string, 'wards' | 'categories' | undefined> = {
  phuong: 'wards',
  ward: 'wards',
  wards: 'wards',
  loai: 'categories',
  category: 'categories',
  categories: 'categories',
};

/**
 * Roles above the desk: system admins (ADMIN_TELEGRAM_IDS) for every unit,
 * unit admins (config/units.json) for their own. They list units with their
 * desk invite codes (/donvi) and change what a unit covers (/phutrach), which
 * routing uses from the next tip on. Every change is audited.
 */
export class UnitAdminService {
  /** Coverage in memory: routing a tip reads none of it (other instances see a change within a second). */
  private readonly cached: VersionedCache<Coverage>;
  private readonly store: CoverageStore;

  constructor(
    private readonly models: { coverage: Model<UnitCoverageDoc>; audit: Model<AuditEntryDoc>; versions: Model<CacheVersionDoc> },
    private readonly units: UnitDirectory,
    private readonly catalog: Catalog,
    private readonly desks: DeskService,
    private readonly reports: Pick<ReportRepository, 'countAwaitingAcceptanceBy'>,
    private readonly systemAdmins: ReadonlySet<string>,
  ) {
    this.store = new CoverageStore(models.coverage);
    this.cached = new VersionedCache(models.versions, 'unit_coverage', () => this.loadCoverage());
  }

  /** Coverage changed by admins, by unit id, as routing applies it. */
  coverage(): Promise<Coverage> {
    return this.cached.get();
  }

  private async loadCoverage(): Promise<Coverage> {
    const changes = await this.store.all();
    const coverage: Coverage = new Map();
    for (const [unitId, changed] of changes) {
      const unit = this.units.byId(unitId);
      if (unit) coverage.set(unitId, { wards: changed.wards ?? unit.wards, categories: changed.categories ?? unit.categories });
    }
    return coverage;
  }

  /** /donvi: units this person administers, with coverage and desk invite codes (empty: not an admin). */
  async listUnits(admin: AdminActor): Promise<ManagedUnit[]> {
    const managed = this.managedUnits(admin);
    if (managed.length === 0) return [];
    const coverage = await this.coverage();
    return Promise.all(
      managed.map(async (unit) => {
        const { wards, categories } = coverage.get(unit.id) ?? unit;
        const [desks, waiting] = await Promise.all([this.desks.forUnits([unit.id]), this.reports.countAwaitingAcceptanceBy(unit.id)]);
        return { unit, inviteCode: this.desks.inviteCodeFor(unit.id), wards, categories, desks: desks.length, waiting };
      }),
    );
  }

  /** /phutrach <unit> phuong|loai <id…|*>: sets the wards or the categories a unit covers. */
  async setCoverage(admin: AdminActor, args: string, now: Date): Promise<CoverageResult> {
    const [unitId, what, ...ids] = args.trim().split(/\s+/);
    const field = ownEntry(COVERAGE_FIELDS, foldVietnamese(what ?? ''));
    if (!unitId || !field || ids.length === 0) return 'bad_request';
    const unit = this.units.byId(unitId);
    if (!unit) return 'unknown_unit';
    if (!this.managedUnits(admin).includes(unit)) return 'not_admin';
    const exists =
      field === 'wards'
        ? (id: string) => Boolean(this.catalog.wardById(id))
        : (id: string) => Boolean(isMediation(unit) ? this.catalog.disputes.kindById(id) : this.catalog.categoryById(id));
    if (!ids.every((id) => id === '*' || exists(id))) return 'unknown_ids';

    const current = (await this.loadCoverage()).get(unit.id) ?? { wards: unit.wards, categories: unit.categories };
    const value = ids.includes('*') ? ['*'] : [...new Set(ids)];
    const next = { ...current, [field]: value };
    const by = admin.name ?? admin.telegramUserId ?? 'admin';
    // Only the field changed is written: a ward edit and a category edit made at the same moment both stay.
    await this.store.set(unit.id, field, value, by, now);
    await this.cached.changed();
    await this.models.audit.create({
      _id: randomUUID(),
      reportId: null,
      unitId: unit.id,
      actor: { channel: admin.address.channel, userId: admin.telegramUserId ?? '', name: admin.name },
      action: 'set_coverage',
      before: current,
      after: next,
      at: now,
    });
    return 'updated';
  }

  /** Whether this admin manages one of these units (a system admin manages every unit). */
  manages(admin: AdminActor, unitIds: string[]): boolean {
    return this.managedUnits(admin).some((unit) => unitIds.includes(unit.id));
  }

  /** Units the sender may administer; roles come only from Telegram user ids, never from a chat. */
  managedUnits(admin: AdminActor): Unit[] {
    const sender = admin.telegramUserId;
    if (!sender) return [];
    if (this.systemAdmins.has(sender)) return this.units.units;
    return this.units.units.filter((u) => u.adminTelegramIds.includes(sender));
  }
}
