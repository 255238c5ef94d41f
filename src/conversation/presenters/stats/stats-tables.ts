import type { Catalog } from '../../../config/catalog';
import { isMediation } from '../../../config/units';
import type { Translate } from '../../../i18n';
import { dayLabel } from '../../../shared/vietnam-period';
import { ASSESSMENTS, CHANNELS, DISPUTE_RESULTS, TIP_STATES } from '../../../domain/stats/report-tally';
import { DELIVERY_STATUSES, type PeriodStats } from '../../../domain/stats/period-stats';
import type { Language } from '../../../core/language';
import { OUTCOMES } from '../../../core/report';

export type Cell = string | number;

/** One table of a period report: a sheet in the .xlsx, a section in the CSV. */
export interface StatsTable {
  id: string;
  title: string;
  header: string[];
  rows: Cell[][];
  /** The total row; its figures equal the sums of the rows above. Null where the rows are not parts of a whole. */
  total: Cell[] | null;
}

export interface RenderContext {
  t: Translate;
  lang: Language;
  catalog: Catalog;
}

/** Which parts a scope reports: police units have tips, mediation teams disputes; everyone together has both. */
export function sectionsOf(stats: PeriodStats): { tips: boolean; disputes: boolean } {
  if (stats.scope.kind === 'all') return { tips: true, disputes: true };
  const mediation = isMediation(stats.scope.unit);
  return { tips: !mediation, disputes: mediation };
}

/** The figures as tables, in the order they are read: the same for the CSV, the .xlsx and the checks on them. */
export function statsTables(stats: PeriodStats, { t, catalog }: RenderContext): StatsTable[] {
  const { tips, disputes } = stats.reports;
  const sections = sectionsOf(stats);
  const counted = (id: string, column: string, entries: [string, number][], total: number): StatsTable => ({
    id,
    title: t(`stats.table.${id}`),
    header: [t(`stats.col.${column}`), t('stats.count')],
    rows: entries,
    total: [t('stats.total'), total],
  });
  const tables: StatsTable[] = [];

  if (sections.tips) {
    tables.push(counted('tips_by_group', 'group', Object.entries(tips.byGroup).map(([g, n]) => [t(`group.${g}`), n]), tips.received));
    tables.push({
      id: 'tips_by_category',
      title: t('stats.table.tips_by_category'),
      header: [t('stats.col.category'), t('stats.col.group'), t('stats.count')],
      rows: Object.entries(tips.byCategory).map(([c, n]) => {
        const group = catalog.categoryById(c)?.group;
        return [t(`category.${c}`), group ? t(`group.${group}`) : '', n];
      }),
      total: [t('stats.total'), '', tips.received],
    });
    tables.push(counted('tips_by_assessment', 'assessment', ASSESSMENTS.map((a) => [t(`stats.assessment.${a}`), tips.byAssessment[a]]), tips.received));
    tables.push(counted('tips_by_state', 'state', TIP_STATES.map((s) => [t(`stats.state.${s}`), tips.byState[s]]), tips.received));
    tables.push(counted('tips_by_outcome', 'outcome', OUTCOMES.map((o) => [t(`outcome.${o}`), tips.byOutcome[o]]), tips.byState.closed));
    tables.push(counted('tips_by_channel', 'channel', CHANNELS.map((c) => [t(`channel.${c}`), tips.byChannel[c]]), tips.received));
    tables.push({
      id: 'tips_deadlines',
      title: t('stats.table.tips_deadlines'),
      header: [t('stats.col.figure'), t('stats.col.value')],
      rows: [
        [t('stats.figure.overdue_any'), tips.overdue.any],
        [t('stats.figure.overdue_ack'), tips.overdue.ack],
        [t('stats.figure.overdue_outcome'), tips.overdue.outcome],
        [t('stats.figure.median_accept_hours'), tips.medianHoursToAccept ?? ''],
        [t('stats.figure.median_close_hours'), tips.medianHoursToClose ?? ''],
        ...(stats.scope.kind === 'unit' ? [[t('stats.figure.forwarded_away'), tips.forwardedAway]] : []),
      ],
      total: null,
    });
    const groups = catalog.groups;
    tables.push({
      id: 'tips_weekly',
      title: t('stats.table.tips_weekly'),
      header: [t('stats.col.week'), ...groups.map((g) => t(`group.${g}`)), t('stats.total'), t('stats.col.valuable'), t('stats.col.valuable_ratio')],
      rows: tips.weekly.map((w) => [dayLabel(w.start), ...groups.map((g) => w.byGroup[g] ?? 0), w.total, w.valuable, ratio(w.valuable, w.total)]),
      total: [
        t('stats.total'),
        ...groups.map((g) => tips.byGroup[g] ?? 0),
        tips.received,
        tips.byAssessment.valuable,
        ratio(tips.byAssessment.valuable, tips.received),
      ],
    });
  }

  if (sections.tips) {
    tables.push({
      id: 'cases',
      title: t('stats.table.cases'),
      header: [t('stats.col.group'), t('stats.col.cases'), t('stats.col.subjects')],
      rows: Object.entries(tips.handledByGroup).map(([g, count]) => [t(`group.${g}`), count.cases, count.subjects]),
      total: [t('stats.total'), tips.handled.cases, tips.handled.subjects],
    });
  }
  if (stats.models.length > 0) tables.push(modelsTable(stats, { t, catalog }));

  if (sections.disputes) {
    tables.push(counted('disputes_by_kind', 'kind', Object.entries(disputes.byKind).map(([k, n]) => [t(`dispute_kind.${k}`), n]), disputes.received));
    tables.push(counted('disputes_by_result', 'result', DISPUTE_RESULTS.map((r) => [t(`stats.result.${r}`), disputes.byResult[r]]), disputes.received));
  }

  const { campaigns } = stats;
  tables.push({
    id: 'campaigns',
    title: t('stats.table.campaigns'),
    header: [t('stats.col.figure'), t('stats.col.value')],
    rows: [
      [t('stats.figure.campaigns'), campaigns.campaigns],
      [t('stats.figure.runs'), campaigns.runs],
      [t('stats.figure.recipients'), campaigns.recipients],
      ...DELIVERY_STATUSES.map((s): Cell[] => [t(`stats.figure.${s}`), campaigns.byStatus[s]]),
    ],
    total: null,
  });
  return tables;
}

/** One row per self-management model: its tips, cases and subjects, and what its leaders recorded in the period; totals below. */
function modelsTable(stats: PeriodStats, { t, catalog }: Pick<RenderContext, 't' | 'catalog'>): StatsTable {
  const figures = (row: ModelFigureSource): number[] => [
    row.tips,
    row.valuable,
    row.cases,
    row.subjects,
    row.activity.disputesFound,
    row.activity.disputesResolved,
    row.activity.propagandaSessions,
    row.activity.attendees,
    row.activity.loudspeakerBroadcasts,
    row.activity.patrolShifts,
    row.activity.patrolParticipants,
    row.activity.pledgeHouseholds,
  ];
  const totals = stats.models.reduce<number[]>((sum, row) => figures(row).map((n, i) => n + (sum[i] ?? 0)), []);
  return {
    id: 'models',
    title: t('stats.table.models'),
    header: [t('stats.col.model'), t('stats.col.model_kind'), t('stats.col.ward'), t('stats.col.model_status'), ...MODEL_COLUMNS.map((c) => t(`stats.col.${c}`))],
    rows: stats.models.map((row) => [`${row.code} ${row.name}`, t(`model_kind.${row.kind}`), catalog.wardById(row.wardId)?.name ?? row.wardId, t(`models.status.${row.status}`), ...figures(row)]),
    total: [t('stats.total'), '', '', '', ...totals],
  };
}

type ModelFigureSource = PeriodStats['models'][number];

/** The figure columns of the models table, in order. */
const MODEL_COLUMNS = ['tips', 'valuable', 'cases', 'subjects', 'disputes_found', 'disputes_resolved', 'propaganda_sessions', 'attendees', 'loudspeaker', 'patrol_shifts', 'patrol_participants', 'pledges'] as const;

/** Valuable tips as a percentage of all tips, to one decimal ("" when there are none). */
export function ratio(part: number, whole: number): Cell {
  return whole === 0 ? '' : Math.round((part / whole) * 1000) / 10;
}
