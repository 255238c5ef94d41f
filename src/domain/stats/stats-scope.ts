import type { Unit, UnitDirectory } from '../../config/units';
import { foldVietnamese } from '../../shared/text';
import type { DeskService } from '../desks/desk-service';
import type { ChatAddress } from '../../core/chat';

/** Whose figures: one unit's, or every unit's (system admins only). */
export type StatsScope = { kind: 'unit'; unit: Unit } | { kind: 'all' };

export type ScopeResult = { kind: 'ok'; scope: StatsScope; rest: string } | { kind: 'not_allowed' } | { kind: 'other_unit' };

const ALL_WORDS = new Set(['tatca', 'all', '*']);

/**
 * Who may see which figures. An officer sees their desk's unit; a unit admin
 * (config/units.json, in a private chat) their own units; a system admin
 * (ADMIN_TELEGRAM_IDS) every unit together, or one named by its id
 * ("/thongke cap-p4 thangtruoc"), in a private chat. A group chat that is
 * not a desk gets nothing, whoever asks: a unit's figures are not posted to
 * a neighbourhood group. Naming a unit one may not see is refused, never
 * silently answered with other figures.
 */
export class StatsScopes {
  constructor(
    private readonly desks: Pick<DeskService, 'find'>,
    private readonly units: UnitDirectory,
    private readonly systemAdmins: ReadonlySet<string>,
  ) {}

  /**
   * @param adminId the Telegram user id admin roles are configured by (set by the channel layer only for a
   *   Telegram sender), or null; admin roles count only in a private chat
   */
  async resolve(address: ChatAddress, adminId: string | null, args: string, isGroup = false): Promise<ScopeResult> {
    const desk = await this.desks.find(address);
    const asAdmin = isGroup ? null : adminId;
    const isSystemAdmin = asAdmin !== null && this.systemAdmins.has(asAdmin);
    const administered = asAdmin !== null ? this.units.units.filter((u) => u.adminTelegramIds.includes(asAdmin)) : [];
    const deskUnit = desk ? this.units.byId(desk.unitId) : undefined;
    const visible = (unit: Unit) => isSystemAdmin || administered.includes(unit) || unit === deskUnit;

    const words = args.trim().split(/\s+/).filter(Boolean);
    const folded = words.map((w) => foldVietnamese(w));
    const named = folded.findIndex((w) => ALL_WORDS.has(w) || this.units.byId(w) !== undefined);
    const rest = words.filter((_, i) => i !== named).join(' ');
    if (named >= 0) {
      const unit = this.units.byId(folded[named]);
      if (unit ? visible(unit) : isSystemAdmin) return { kind: 'ok', scope: unit ? { kind: 'unit', unit } : { kind: 'all' }, rest };
      // Someone with figures of their own asked for others'; anyone else has none to see.
      return deskUnit || administered.length > 0 ? { kind: 'other_unit' } : { kind: 'not_allowed' };
    }
    if (deskUnit) return { kind: 'ok', scope: { kind: 'unit', unit: deskUnit }, rest };
    if (isSystemAdmin) return { kind: 'ok', scope: { kind: 'all' }, rest };
    if (administered.length > 0) return { kind: 'ok', scope: { kind: 'unit', unit: administered[0] }, rest };
    return { kind: 'not_allowed' };
  }
}
