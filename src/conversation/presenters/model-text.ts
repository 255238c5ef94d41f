import type { Catalog } from '../../config/catalog';
import type { Translate } from '../../i18n';
import type { ActivityTotals } from '../../domain/models/activity-totals';
import type { CommunityModelDoc } from '../../core/community-model';

type ModelView = Pick<CommunityModelDoc, 'code' | 'kind' | 'name' | 'wardId' | 'area' | 'status' | 'households' | 'members' | 'leaders'>;

/** One line of a model in a list: code, kind, name, ward, status. */
export function modelLine(model: ModelView, t: Translate, catalog: Catalog): string {
  const ward = catalog.wardById(model.wardId)?.name ?? model.wardId;
  return t('models.line', { code: model.code, kind: t(`model_kind.${model.kind}`), name: model.name, ward: model.area ? `${model.area}, ${ward}` : ward, status: t(`models.status.${model.status}`) });
}

/** A model in full: what it is, its size and leaders, how residents join it, and its figures. */
export function modelDetails(
  model: ModelView & Pick<CommunityModelDoc, 'dissolved'>,
  figures: { residents: number; groups: number; tips: number; valuable: number; activity: ActivityTotals },
  t: Translate,
  catalog: Catalog,
  /** The Telegram link that starts the bot with the model's code, once the bot's name is known. */
  telegramLink: string | null = null,
): string {
  const a = figures.activity;
  const lines = [
    modelLine(model, t, catalog),
    t('models.size', { households: model.households ?? '?', members: model.members ?? '?' }),
    t('models.leaders', { count: model.leaders.length, names: model.leaders.map((l) => l.name ?? '—').join(', ') || '—' }),
    t('models.groups', { count: figures.groups }),
    ...(model.status === 'dissolved' && model.dissolved ? [t('models.dissolved_reason', { reason: model.dissolved.reason })] : [t('models.join_how', { code: model.code, telegram: telegramLink ?? t('models.telegram_link_unknown', { code: model.code }) })]),
    '',
    t('models.figures', {
      residents: figures.residents,
      tips: figures.tips,
      valuable: figures.valuable,
      disputes: a.disputesFound,
      resolved: a.disputesResolved,
      sessions: a.propagandaSessions,
      attendees: a.attendees,
      loudspeaker: a.loudspeakerBroadcasts,
      patrols: a.patrolShifts,
      participants: a.patrolParticipants,
      pledges: a.pledgeHouseholds,
    }),
  ];
  return lines.join('\n');
}
