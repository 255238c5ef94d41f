import { randomInt } from 'node:crypto';
import type { Model } from 'mongoose';
import type { UnitDirectory } from '../../config/units';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { CampaignDoc } from '../../storage/models/campaign.model';
import { RECEIPT_ALPHABET } from '../reports/receipt-code';
import type { Audience } from './audience';
import type { ChatAddress } from '../../core/chat';
import { insertOnce } from '../../storage/claims';
import type { BroadcastOutcomeDoc, BroadcastStatus } from '../../storage/models/broadcast-outcome.model';
import type { CampaignRunDoc } from '../../storage/models/campaign-run.model';
import { ownEntry } from '../../shared/lookup';

/**
 * Who runs a campaign. A unit admin acts for their units (`unitIds`): their wards, their campaigns;
 * a system admin is a unit admin of every unit (`unitIds: null`). A group admin reaches only the
 * groups they registered, and their own campaigns.
 */
export type CampaignRole = { kind: 'unit_admin'; unitIds: string[] | null } | { kind: 'group_admin' } | { kind: 'none' };
/** Why a campaign cannot be edited now, or the campaign to edit. */
export type Editable = { kind: 'ok'; campaign: CampaignDoc } | { kind: 'not_found' } | { kind: 'over' } | { kind: 'sending' };
export type CampaignDraft = Pick<CampaignDoc, 'topic' | 'messages' | 'audience' | 'schedule' | 'quiet'>;
/** A campaign as a list shows it. */
export type CampaignSummary = Pick<CampaignDoc, '_id' | 'topic' | 'status'>;

/** One run of a campaign and where its deliveries stand. */
export interface RunFigures {
  fireAt: Date;
  recipients: number;
  sent: number;
  failed: number;
  blocked: number;
  skipped: number;
  inDoubt: number;
  pending: number;
}

/** What /chiendich <mã> [verb] came to. */
export type CampaignCommandResult =
  | { kind: 'not_found'; id: string }
  | { kind: 'usage' }
  | { kind: 'already_over'; id: string }
  /** Its status changed while this change was being made: the admin looks again and decides. */
  | { kind: 'changed_meanwhile'; id: string }
  | { kind: 'status_changed'; id: string; status: 'paused' | 'active' | 'cancelled' }
  | { kind: 'figures'; campaign: CampaignSummary; runs: RunFigures[] };

const STATUS_CHANGES = { tamdung: 'paused', pause: 'paused', tieptuc: 'active', resume: 'active', huy: 'cancelled', cancel: 'cancelled' } as const;

/**
 * Prevention campaigns: who may run them (system admins for every ward, a
 * unit admin for their units' wards, a group admin only for the groups they
 * registered), creating them, listing, pausing, resuming, cancelling, and
 * each run's figures.
 */
export class CampaignService {
  constructor(
    private readonly models: { campaigns: Model<CampaignDoc>; runs: Model<CampaignRunDoc>; outcomes: Model<BroadcastOutcomeDoc> },
    private readonly audience: Pick<Audience, 'groupsRegisteredBy'>,
    private readonly units: UnitDirectory,
    private readonly systemAdmins: ReadonlySet<string>,
    private readonly cipher: PiiCipher,
  ) {}

  /**
   * Roles come from Telegram user ids in configuration (`telegramUserId`, set
   * by the channel layer only for a Telegram sender), or from having
   * registered groups (`userId`, on any channel).
   */
  async roleOf(sender: { userId: string | null; telegramUserId: string | null }): Promise<CampaignRole> {
    const { userId, telegramUserId } = sender;
    if (!userId) return { kind: 'none' };
    if (telegramUserId && this.systemAdmins.has(telegramUserId)) return { kind: 'unit_admin', unitIds: null };
    const administered = telegramUserId ? this.units.units.filter((u) => u.adminTelegramIds.includes(telegramUserId)).map((u) => u.id) : [];
    if (administered.length > 0) return { kind: 'unit_admin', unitIds: administered };
    return (await this.audience.groupsRegisteredBy(userId)) > 0 ? { kind: 'group_admin' } : { kind: 'none' };
  }

  /** The wards a role's campaigns may reach: null for every ward. */
  wardsOf(role: CampaignRole): string[] | null {
    if (role.kind !== 'unit_admin' || role.unitIds === null) return null;
    const wards = role.unitIds.flatMap((id) => this.units.byId(id)?.wards ?? []);
    return wards.includes('*') ? null : [...new Set(wards)];
  }

  /** Whether a role may see and change a campaign: its own, or (a unit admin) one of its units'. */
  private may(role: CampaignRole, userId: string, campaign: Pick<CampaignDoc, 'authorId' | 'unitId'>): boolean {
    if (campaign.authorId === userId) return true;
    if (role.kind !== 'unit_admin') return false;
    return role.unitIds === null || (campaign.unitId !== null && role.unitIds.includes(campaign.unitId));
  }

  /** A campaign's wards within what its author may reach ("every ward" of a unit admin is every ward of their units). */
  private withinScope(role: CampaignRole, draft: CampaignDraft): CampaignDraft {
    const allowed = this.wardsOf(role);
    if (allowed === null) return draft;
    const wards = draft.audience.wards.includes('*') ? allowed : draft.audience.wards.filter((w) => allowed.includes(w));
    return { ...draft, audience: { ...draft.audience, wards } };
  }

  async create(draft: CampaignDraft, author: { userId: string; address: ChatAddress }, role: CampaignRole, now: Date): Promise<string> {
    const scoped = this.withinScope(role, draft);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const id = `CD-${Array.from({ length: 5 }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('')}`;
      const made = await insertOnce(this.models.campaigns, {
        _id: id,
        ...scoped,
        status: 'active',
        authorId: author.userId,
        authorAddressEnc: this.cipher.encrypt(JSON.stringify(author.address)),
        unitId: this.units.units.find((u) => u.adminTelegramIds.includes(author.userId))?.id ?? null,
        scheduledThrough: scheduledFrom(scoped.schedule, now),
        createdAt: now,
      });
      if (made) return id;
    }
    throw new Error('No free campaign id');
  }

  /**
   * /chiendich <id> sua: a campaign its author (or an admin of its unit) may change:
   * not cancelled or finished, and no run of it being sent (a run keeps the
   * text it started with from first recipient to last).
   */
  async editable(userId: string, role: CampaignRole, id: string): Promise<Editable> {
    const campaign = await this.models.campaigns.findOne({ _id: id.toUpperCase() }).lean();
    if (!campaign || !this.may(role, userId, campaign)) return { kind: 'not_found' };
    if (campaign.status === 'cancelled' || campaign.status === 'finished') return { kind: 'over' };
    if (await this.models.runs.exists({ campaignId: campaign._id, status: { $in: ['materializing', 'sending'] } })) return { kind: 'sending' };
    return { kind: 'ok', campaign };
  }

  /** Saves an edited campaign: what it says, to whom, when. Fire times start again from now (a one-off at its new time). */
  async update(id: string, draft: CampaignDraft, userId: string, role: CampaignRole, now: Date): Promise<Editable['kind']> {
    const check = await this.editable(userId, role, id);
    if (check.kind !== 'ok') return check.kind;
    const scoped = this.withinScope(role, draft);
    await this.models.campaigns.updateOne({ _id: check.campaign._id }, { $set: { ...scoped, scheduledThrough: scheduledFrom(scoped.schedule, now) } });
    return 'ok';
  }

  /** /chiendich ds: the author's campaigns, and a unit admin's units' (every campaign for a system admin), newest first. */
  async list(userId: string, role: CampaignRole): Promise<CampaignSummary[]> {
    const filter =
      role.kind !== 'unit_admin' ? { authorId: userId } : role.unitIds === null ? {} : { $or: [{ authorId: userId }, { unitId: { $in: role.unitIds } }] };
    return this.models.campaigns.find(filter, { _id: 1, topic: 1, status: 1 }).sort({ createdAt: -1 }).limit(20).lean();
  }

  /**
   * /chiendich <id> [tamdung|tieptuc|huy]: changes a campaign's status, or
   * shows its runs' figures. A recurring campaign resumed skips the fire
   * times that passed while it was paused (a week-old warning is not sent
   * late); a one-off paused past its time is sent on resume.
   */
  async command(userId: string, role: CampaignRole, args: string, now: Date): Promise<CampaignCommandResult> {
    const [id, verb] = args.trim().split(/\s+/);
    const campaign = await this.models.campaigns.findOne({ _id: (id ?? '').toUpperCase() }).lean();
    if (!campaign || !this.may(role, userId, campaign)) return { kind: 'not_found', id: id ?? '' };
    if (verb) {
      const next = ownEntry<(typeof STATUS_CHANGES)[keyof typeof STATUS_CHANGES]>(STATUS_CHANGES, verb.toLowerCase());
      if (!next) return { kind: 'usage' };
      if (campaign.status === 'cancelled' || campaign.status === 'finished') return { kind: 'already_over', id: campaign._id };
      const resumedRecurring = next === 'active' && campaign.status === 'paused' && campaign.schedule.kind === 'cron';
      // Only from the status just read: a campaign that finished (or was cancelled) meanwhile is not revived. On MongoDB the filter makes
      // this exact; FerretDB v1 checks it and writes in two steps, which leaves a window of milliseconds instead of the whole command.
      const changed = await this.models.campaigns.updateOne({ _id: campaign._id, status: campaign.status }, { $set: { status: next, ...(resumedRecurring ? { scheduledThrough: now } : {}) } });
      if (changed.matchedCount === 0) {
        const latest = await this.models.campaigns.findOne({ _id: campaign._id }, { status: 1 }).lean();
        return latest && (latest.status === 'cancelled' || latest.status === 'finished') ? { kind: 'already_over', id: campaign._id } : { kind: 'changed_meanwhile', id: campaign._id };
      }
      return { kind: 'status_changed', id: campaign._id, status: next };
    }
    return { kind: 'figures', campaign, runs: await this.figures(campaign) };
  }

  /** Per run: sent, failed, blocked, skipped by rule, in doubt, and not yet settled. */
  async figures(campaign: CampaignDoc): Promise<RunFigures[]> {
    const runs = await this.models.runs.find({ campaignId: campaign._id }).sort({ fireAt: -1 }).limit(10).lean();
    // Only the runs shown: a campaign that ran daily for a year has hundreds. A run the retention sweep settled keeps its figures on itself.
    const live = runs.filter((run) => !run.settled).map((run) => run._id);
    const counts =
      live.length === 0
        ? []
        : await this.models.outcomes.aggregate<{ _id: { run: string; status: string }; n: number }>([
            { $match: { runId: { $in: live } } },
            { $group: { _id: { run: '$runId', status: '$status' }, n: { $sum: 1 } } },
          ]);
    const of = (run: string, status: BroadcastStatus) =>
      runs.find((r) => r._id === run)?.settled?.[status] ?? counts.find((c) => c._id.run === run && c._id.status === status)?.n ?? 0;
    return runs.map((run) => ({
      fireAt: run.fireAt,
      recipients: run.recipients,
      sent: of(run._id, 'sent'),
      failed: of(run._id, 'failed'),
      blocked: of(run._id, 'blocked'),
      skipped: of(run._id, 'skipped'),
      inDoubt: of(run._id, 'in_doubt'),
      pending: run.recipients - (['sent', 'failed', 'blocked', 'skipped', 'in_doubt'] as const).reduce((sum, status) => sum + of(run._id, status), 0),
    }));
  }
}

/** Where a new or edited schedule starts firing: a one-off time already past fires at the next round; a recurring one from now. */
function scheduledFrom(schedule: CampaignDraft['schedule'], now: Date): Date {
  return schedule.kind === 'once' ? new Date(Math.min(now.getTime(), new Date(schedule.at).getTime() - 1)) : now;
}
