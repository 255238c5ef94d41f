import { randomUUID } from 'node:crypto';
import type { Translate } from '../../../i18n';
import { dayLabel, lastDayOf } from '../../../shared/vietnam-period';
import { formatVietnamTime } from '../../../shared/vietnam-time';
import { CHANNELS } from '../../../domain/stats/report-tally';
import { weeklyChart } from './stats-chart';
import { statsCsv, statsXlsx } from './stats-files';
import type { PeriodStats } from '../../../domain/stats/period-stats';
import type { StatsAnswer } from '../../../domain/stats/stats-service';
import { sectionsOf, statsTables, type RenderContext } from './stats-tables';
import type { OutboundAttachment, OutboundMessage } from '../../../core/chat';
import { OUTCOMES } from '../../../core/report';
import { sumTotals } from '../../../domain/models/activity-totals';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The summary in the chat with the CSV and .xlsx attached, then the weekly chart as a photo (for tips). */
export async function renderStats(stats: PeriodStats, context: RenderContext): Promise<OutboundMessage[]> {
  const { t, catalog } = context;
  const tables = statsTables(stats, context);
  const heading = headingLines(stats, context);
  const sections = sectionsOf(stats);
  const stamp = `${stats.scope.kind === 'unit' ? stats.scope.unit.id : 'tatca'}-${dayLabel(stats.period.from, '')}-${dayLabel(lastDayOf(stats.period), '')}`;
  const file = (fileName: string, mime: string, kind: OutboundAttachment['kind'], content: Buffer): OutboundAttachment => ({
    kind,
    mime,
    fileName,
    evidenceId: `stats-${randomUUID()}`,
    platform: null,
    generated: true,
    load: async () => content,
  });
  const csv = statsCsv(tables, heading);
  const xlsx = await statsXlsx(tables, heading, (n, title) => t('stats.sheet_name', { n, title }), stats.asOf);
  const messages: OutboundMessage[] = [
    {
      text: [...heading, '', ...summaryLines(stats, context), '', t(sections.tips ? 'stats.attached' : 'stats.attached_no_chart')].join('\n'),
      attachments: [file(`thong-ke-${stamp}.csv`, 'text/csv', 'document', csv), file(`thong-ke-${stamp}.xlsx`, XLSX_MIME, 'document', xlsx)],
    },
  ];
  if (sections.tips) {
    const png = weeklyChart({
      title: t('stats.chart.title', { scope: scopeName(stats, t), from: dayLabel(stats.period.from), to: dayLabel(lastDayOf(stats.period)) }),
      weeks: stats.reports.tips.weekly,
      groups: catalog.groups,
      t,
    });
    messages.push({ text: t('stats.chart.caption'), attachments: [file(`thong-ke-${stamp}.png`, 'image/png', 'photo', png)] });
  }
  return messages;
}

function scopeName(stats: PeriodStats, t: Translate): string {
  return stats.scope.kind === 'unit' ? stats.scope.unit.name : t('stats.scope_all');
}

/** Title and period: the first lines of the message and of every file, so a file read alone still says what it counts. */
function headingLines(stats: PeriodStats, { t, lang }: RenderContext): string[] {
  return [
    t('stats.title', { scope: scopeName(stats, t) }),
    t('stats.period_line', {
      name: t(`stats.period_name.${stats.kind}`),
      from: dayLabel(stats.period.from),
      to: dayLabel(lastDayOf(stats.period)),
      asOf: formatVietnamTime(stats.asOf, lang),
    }),
  ];
}

function summaryLines(stats: PeriodStats, { t, lang }: RenderContext): string[] {
  const number = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 });
  const n = (value: number) => number.format(value);
  const duration = (hours: number | null): string => {
    if (hours === null) return t('stats.no_time');
    if (hours < 1) return t('stats.minutes', { n: n(Math.round(hours * 60)) });
    return hours < 48 ? t('stats.hours', { n: n(hours) }) : t('stats.days', { n: n(Math.round((hours / 24) * 10) / 10) });
  };
  const list = (entries: [string, number][]) => entries.filter(([, count]) => count > 0).map(([label, count]) => `${label} ${n(count)}`).join(' · ') || t('stats.none');
  const { tips, disputes } = stats.reports;
  const sections = sectionsOf(stats);
  const lines: string[] = [];
  if (sections.tips) {
    lines.push(
      t('stats.tips_line', { received: n(tips.received), valuable: n(tips.byAssessment.valuable), not_valuable: n(tips.byAssessment.not_valuable), pending: n(tips.byAssessment.pending) }),
      `• ${list(Object.entries(tips.byGroup).map(([g, count]) => [t(`group.${g}`), count]))}`,
      t('stats.state_line', { waiting: n(tips.byState.waiting), in_progress: n(tips.byState.in_progress), closed: n(tips.byState.closed) }),
      t('stats.outcome_line', { list: list(OUTCOMES.map((o) => [t(`outcome.${o}`), tips.byOutcome[o]])) }),
      t('stats.overdue_line', { any: n(tips.overdue.any), ack: n(tips.overdue.ack), outcome: n(tips.overdue.outcome) }),
      t('stats.median_line', { accept: duration(tips.medianHoursToAccept), close: duration(tips.medianHoursToClose) }),
      t('stats.channel_line', { list: list(CHANNELS.map((c) => [t(`channel.${c}`), tips.byChannel[c]])) }),
    );
    if (stats.scope.kind === 'unit' && tips.forwardedAway > 0) lines.push(t('stats.forwarded_line', { count: n(tips.forwardedAway) }));
    lines.push(t('stats.cases_line', { cases: n(tips.handled.cases), subjects: n(tips.handled.subjects) }));
  }
  if (stats.models.length > 0) {
    const all = sumTotals(stats.models.map((m) => m.activity));
    const sum = (pick: (m: PeriodStats['models'][number]) => number) => n(stats.models.reduce((total, m) => total + pick(m), 0));
    lines.push(
      t('stats.models_line', {
        count: n(stats.models.length),
        tips: sum((m) => m.tips),
        valuable: sum((m) => m.valuable),
        disputes: n(all.disputesFound),
        resolved: n(all.disputesResolved),
        sessions: n(all.propagandaSessions),
        attendees: n(all.attendees),
        loudspeaker: n(all.loudspeakerBroadcasts),
        patrols: n(all.patrolShifts),
        participants: n(all.patrolParticipants),
        pledges: n(all.pledgeHouseholds),
      }),
    );
    const dormant = stats.models.filter((m) => m.status === 'review');
    if (dormant.length > 0) lines.push(t('stats.models_review', { list: dormant.map((m) => `${m.code} ${m.name}`).join(', ') }));
  }
  if (sections.disputes) {
    const { settled, not_settled: unsettled, referred, pending } = disputes.byResult;
    // "Not settled" counts every case whose mediation ended without agreement, referred or not, as the register does.
    lines.push(t('stats.disputes_line', { received: n(disputes.received), settled: n(settled), not_settled: n(unsettled + referred), referred: n(referred), pending: n(pending) }));
    if (stats.scope.kind === 'unit' && disputes.forwardedAway > 0) lines.push(t('stats.forwarded_line', { count: n(disputes.forwardedAway) }));
  }
  const { campaigns } = stats;
  lines.push(
    campaigns.runs === 0
      ? t('stats.no_campaigns')
      : t('stats.campaigns_line', { runs: n(campaigns.runs), campaigns: n(campaigns.campaigns), recipients: n(campaigns.recipients), ...Object.fromEntries(Object.entries(campaigns.byStatus).map(([k, v]) => [k, n(v)])) }),
  );
  return lines;
}

/** The answer to /thongke: the figures with their files, or why there are none. */
export async function presentStats(answer: StatsAnswer, context: RenderContext): Promise<OutboundMessage[]> {
  if (answer.kind === 'refused') return [{ text: context.t(`stats.${answer.reason}`) }];
  return renderStats(answer.stats, context);
}
