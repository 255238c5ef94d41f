import type { Catalog } from '../../config/catalog';
import { isMediation } from '../../config/units';
import type { OutboundMessage } from '../../core/chat';
import type { ManagedUnit } from '../../domain/units/unit-admin-service';
import type { Translate } from '../../i18n';

/** /donvi: each unit an admin manages, with what it covers and its desk invite code. */
export function unitListMessage(t: Translate, catalog: Catalog, managed: ManagedUnit[]): OutboundMessage {
  if (managed.length === 0) return { text: t('admin.not_admin') };
  const lines = managed.map(({ unit, inviteCode, wards, categories, desks, waiting }) =>
    t('admin.unit_line', {
      desks: desks > 0 ? t('admin.desks', { count: desks }) : t('admin.no_desk'),
      waiting,
      name: unit.name,
      id: unit.id,
      code: inviteCode,
      wards: wards.includes('*') ? t('admin.all') : wards.map((w) => catalog.wardById(w)?.name ?? w).join(', '),
      categories: categories.includes('*') ? t('admin.all') : categories.map((c) => t(isMediation(unit) ? `dispute_kind.${c}` : `category.${c}`)).join(', '),
    }),
  );
  return { text: [t('admin.units_title'), ...lines, t('admin.coverage_usage')].join('\n\n') };
}
