import type { NamedPeriod, Period } from '../../shared/vietnam-period';
import type { ModelTipFigures, ReportFigures } from './report-tally';
import type { ActivityTotals } from '../models/activity-totals';
import type { CommunityModelStatus } from '../../core/community-model';
import type { StatsScope } from './stats-scope';
import type { BroadcastStatus } from '../../storage/models/broadcast-outcome.model';

export const DELIVERY_STATUSES: readonly (BroadcastStatus | 'pending')[] = ['sent', 'failed', 'blocked', 'skipped', 'in_doubt', 'pending'];

export interface CampaignFigures {
  /** Campaigns with at least one run fired in the period. */
  campaigns: number;
  runs: number;
  recipients: number;
  /** How each recipient's delivery stood at `asOf`; "pending" is not yet settled. Adds up to `recipients`. */
  byStatus: Record<BroadcastStatus | 'pending', number>;
}

/** A self-management model's line in a period's review: its tips (with cases and subjects) and what its leaders recorded. */
export interface ModelRow extends ModelTipFigures {
  id: string;
  code: string;
  name: string;
  kind: string;
  wardId: string;
  status: CommunityModelStatus;
  activity: ActivityTotals;
}

/** A period's figures for one scope, as they stood at `asOf`. */
export interface PeriodStats {
  scope: StatsScope;
  kind: NamedPeriod;
  period: Period;
  /** The period's end, or the moment asked for a period under way. */
  asOf: Date;
  reports: ReportFigures;
  campaigns: CampaignFigures;
  /** The scope's self-management models with their figures in the period (a police unit's; none for a mediation team). */
  models: ModelRow[];
}
