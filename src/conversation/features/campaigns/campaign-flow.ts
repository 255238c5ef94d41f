import type { CampaignRole, CampaignService } from '../../../domain/campaigns/campaign-service';
import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import { parseCron, parseQuietHours } from '../../../domain/campaigns/schedule';
import { formatVietnamTime, parseVietnamDateTime, startOfVietnamDay } from '../../../shared/vietnam-time';
import { subStep, type Flow, type StepContext, type StepOutcome } from '../../flow';
import { choiceStep } from '../../steps/choice-step';
import { textStep } from '../../steps/text-step';
import { campaignMessageStep } from './campaign-message-step';
import type { CampaignFlowDraft } from './campaign-draft';

type Ctx = StepContext<CampaignFlowDraft>;
const MAX_MESSAGES = 5;
const RECURRING = /^(?:cron|lap|lặp)\s+(.+?)\s+(?:den|đến|until)\s+(\S+)$/i;
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * /chiendich: topic, one or more messages, audience (wards, residents and/or
 * registered groups), schedule (once, or a cron expression in Vietnam time
 * with an end date), quiet hours, then a preview of exactly what will be
 * sent, and activation. Editing an existing campaign runs the same steps,
 * each offering to keep what the campaign says now, and saves it instead.
 */
export function createCampaignFlow(campaigns: Pick<CampaignService, 'create' | 'update'>, evidence: EvidenceStore): Flow<CampaignFlowDraft> {
  const advance = (ctx: Ctx, patch: Partial<CampaignFlowDraft>, say?: { text: string }[]): StepOutcome<CampaignFlowDraft> => ({ kind: 'advance', draft: { ...ctx.draft, ...patch }, say });
  /** Quiet hours chosen: the messages exactly as recipients will see them (pictures included), then the summary to activate. */
  const preview = (ctx: Ctx, quiet: CampaignFlowDraft['quiet']): StepOutcome<CampaignFlowDraft> => ({
    kind: 'advance',
    draft: { ...ctx.draft, quiet },
    say: [{ text: ctx.t('campaign.preview_intro') }, ...ctx.draft.messages.map((m) => ({ text: m.text, image: m.image ? evidence.attachment(m.image) : undefined }))],
  });
  return {
    id: 'campaign',
    needsConsent: false,
    newDraft: () => ({ mode: 'group_admin', authorId: '', chatId: '', topic: null, messages: [], wards: [], recipients: 'groups', schedule: null, quiet: null }),
    // Abandoned: the pictures this draft added (a campaign being edited keeps its own).
    abandon: (draft) => evidence.remove([...newImages(draft), ...(draft.pendingImage ? [draft.pendingImage.id] : []), ...(draft.discardedImages ?? [])]),
    steps: [
      choiceStep<CampaignFlowDraft>({
        id: 'topic',
        prompt: (ctx) => ctx.t('campaign.ask.topic'),
        columns: 2,
        options: (ctx) => ctx.catalog.campaigns.topics.map((t) => ({ value: t.id, label: ctx.t(`campaign_topic.${t.id}`), aliases: t.keywords })),
        chosen: (ctx, value) => advance(ctx, { topic: value }),
      }),
      campaignMessageStep(evidence),
      choiceStep<CampaignFlowDraft>({
        id: 'more',
        prompt: (ctx) => ctx.t('campaign.ask.more', { count: ctx.draft.messages.length }),
        options: (ctx) => [
          ...(ctx.draft.messages.length < MAX_MESSAGES ? [{ value: 'add', label: ctx.t('campaign.add_message') }] : []),
          { value: 'next', label: ctx.t('campaign.next') },
        ],
        chosen: (ctx, value) =>
          value === 'add' ? { kind: 'goto', step: 'message', draft: ctx.draft } : ctx.draft.mode === 'group_admin' ? { kind: 'goto', step: 'schedule', draft: ctx.draft } : advance(ctx, {}),
      }),
      textStep<CampaignFlowDraft>({
        id: 'wards',
        prompt: (ctx) => ctx.t('campaign.ask.wards'),
        maxLength: 500,
        options: (ctx) => [
          { value: 'all', label: ctx.t(ctx.draft.wardScope ? 'campaign.all_unit_wards' : 'campaign.all_wards'), aliases: ['tat ca', 'all'] },
          ...(ctx.draft.editing && !ctx.draft.editing.wards.includes('*') ? [{ value: 'keep', label: `${ctx.t('campaign.keep')}: ${wardNames(ctx, ctx.draft.editing.wards)}` }] : []),
        ],
        chosen: (ctx, value) => advance(ctx, { wards: value === 'keep' && ctx.draft.editing ? ctx.draft.editing.wards : (ctx.draft.wardScope ?? ['*']) }),
        accept: (ctx, text) => {
          const wards = text.split(/[,;]+/).map((w) => ctx.catalog.matchWard(w.trim()));
          if (wards.length === 0 || wards.some((w) => !w)) return { kind: 'invalid', reason: 'campaign.wards_invalid' };
          const scope = ctx.draft.wardScope;
          if (scope && wards.some((w) => !scope.includes(w?.id ?? ''))) return { kind: 'invalid', reason: 'campaign.wards_outside_unit', vars: { wards: wardNames(ctx, scope) } };
          return advance(ctx, { wards: [...new Set(wards.map((w) => w?.id ?? ''))] });
        },
      }),
      choiceStep<CampaignFlowDraft>({
        id: 'recipients',
        prompt: (ctx) => ctx.t('campaign.ask.recipients'),
        options: (ctx) => (['both', 'residents', 'groups'] as const).map((value) => ({ value, label: ctx.t(`campaign.recipients.${value}`) })),
        chosen: (ctx, value) => {
          const recipients = value as CampaignFlowDraft['recipients'];
          // Groups are reached: all of them, or only those of one kind of self-management model (every "tổ liên gia" group of the wards).
          return recipients === 'residents' ? advance(ctx, { recipients, modelKind: null }) : { kind: 'goto', step: 'group_kind', draft: { ...ctx.draft, recipients } };
        },
      }),
      subStep('recipients', choiceStep<CampaignFlowDraft>({
        id: 'group_kind',
        prompt: (ctx) => ctx.t('campaign.ask.group_kind'),
        options: (ctx) => [
          { value: 'all', label: ctx.t('campaign.group_kind_all'), aliases: ['tat ca', 'all'] },
          ...ctx.catalog.modelKinds.map((k) => ({ value: k.id, label: ctx.t('campaign.group_kind', { kind: ctx.t(`model_kind.${k.id}`) }), aliases: k.keywords })),
        ],
        chosen: (ctx, value) => advance(ctx, { modelKind: value === 'all' ? null : value }),
      })),
      textStep<CampaignFlowDraft>({
        id: 'schedule',
        prompt: (ctx) => ctx.t('campaign.ask.schedule'),
        maxLength: 120,
        options: (ctx) => (ctx.draft.editing ? [{ value: 'keep', label: `${ctx.t('campaign.keep')}: ${scheduleLine(ctx, ctx.draft.editing.schedule)}` }] : []),
        chosen: (ctx) => advance(ctx, { schedule: ctx.draft.editing?.schedule ?? null }),
        accept: (ctx, text) => {
          const recurring = RECURRING.exec(text);
          if (recurring) {
            const until = parseVietnamDateTime(recurring[2], ctx.now);
            if (!parseCron(recurring[1]) || !until || until.at <= ctx.now) return { kind: 'invalid', reason: 'campaign.schedule_invalid' };
            const end = new Date(startOfVietnamDay(until.at).getTime() + 24 * 3_600_000 - 1);
            return advance(ctx, { schedule: { kind: 'cron', expression: recurring[1].trim(), until: end.toISOString() } });
          }
          const once = parseVietnamDateTime(text, ctx.now);
          if (!once || !once.hasTime || once.rest !== '') return { kind: 'invalid', reason: 'campaign.schedule_invalid' };
          if (once.at.getTime() < ctx.now.getTime() - 60_000) return { kind: 'invalid', reason: 'campaign.schedule_past' };
          return advance(ctx, { schedule: { kind: 'once', at: once.at.toISOString() } });
        },
      }),
      choiceStep<CampaignFlowDraft>({
        id: 'quiet',
        prompt: (ctx) => ctx.t('campaign.ask.quiet', { start: hhmm(ctx.catalog.campaigns.quietHours.startMin), end: hhmm(ctx.catalog.campaigns.quietHours.endMin) }),
        options: (ctx) => [
          { value: 'default', label: ctx.t('campaign.quiet_default', { start: hhmm(ctx.catalog.campaigns.quietHours.startMin), end: hhmm(ctx.catalog.campaigns.quietHours.endMin) }) },
          { value: 'none', label: ctx.t('campaign.quiet_none') },
          ...(ctx.draft.editing?.quiet ? [{ value: 'keep', label: `${ctx.t('campaign.keep')}: ${hhmm(ctx.draft.editing.quiet.startMin)}–${hhmm(ctx.draft.editing.quiet.endMin)}` }] : []),
        ],
        chosen: (ctx, value) => preview(ctx, value === 'keep' ? (ctx.draft.editing?.quiet ?? null) : value === 'default' ? ctx.catalog.campaigns.quietHours : null),
        typed: (ctx, text) => {
          const quiet = parseQuietHours(text);
          return quiet ? preview(ctx, quiet) : { kind: 'invalid', reason: 'campaign.quiet_invalid' };
        },
      }),
      choiceStep<CampaignFlowDraft>({
        id: 'preview',
        prompt: (ctx) => summary(ctx),
        options: (ctx) => [
          ctx.draft.editing ? { value: 'activate', label: ctx.t('campaign.save'), aliases: ['luu', 'save'] } : { value: 'activate', label: ctx.t('campaign.activate'), aliases: ['kich hoat', 'activate'] },
          { value: 'cancel', label: ctx.t('review.cancel'), aliases: ['huy', 'cancel'] },
        ],
        chosen: (_ctx, value) => (value === 'activate' ? { kind: 'submit' } : { kind: 'cancel' }),
      }),
    ],
    submit: async (ctx) => {
      const d = ctx.draft;
      if (!d.topic || !d.schedule || d.messages.length === 0) throw new Error('Campaign draft submitted before every step was answered');
      const content = {
        topic: d.topic,
        messages: d.messages.map((m) => ({ text: m.text, image: m.image })),
        audience: {
          wards: d.mode === 'group_admin' ? [] : d.wards,
          residents: d.mode !== 'group_admin' && d.recipients !== 'groups',
          groups: d.mode === 'group_admin' || d.recipients !== 'residents',
          ownGroupsOf: d.mode === 'group_admin' ? d.authorId : null,
          modelKinds: d.mode !== 'group_admin' && d.recipients !== 'residents' && d.modelKind ? [d.modelKind] : null,
        },
        schedule: d.schedule.kind === 'once' ? ({ kind: 'once', at: new Date(d.schedule.at) } as const) : ({ kind: 'cron', expression: d.schedule.expression, until: new Date(d.schedule.until) } as const),
        quiet: d.quiet,
      };
      if (d.editing) {
        const saved = await campaigns.update(d.editing.id, content, d.authorId, roleOf(d), ctx.now);
        const kept = new Set(d.messages.flatMap((m) => (m.image ? [m.image.id] : [])));
        const replaced = d.editing.messages.flatMap((m) => (m.image && !kept.has(m.image.id) ? [m.image.id] : []));
        await evidence.remove(saved === 'ok' ? [...replaced, ...(d.discardedImages ?? [])] : [...newImages(d), ...(d.discardedImages ?? [])]);
        return { say: [{ text: ctx.t(saved === 'ok' ? 'campaign.saved' : `campaign.edit_${saved}`, { id: d.editing.id }) }] };
      }
      await evidence.remove(d.discardedImages ?? []);
      const id = await campaigns.create(
        content,
        { userId: d.authorId, address: { channel: ctx.channel, chatId: d.chatId } },
        roleOf(d),
        ctx.now,
      );
      return { say: [{ text: ctx.t('campaign.created', { id }) }] };
    },
  };
}

/** The author's role as the campaign command found it when the draft started. */
function roleOf(draft: CampaignFlowDraft): CampaignRole {
  return draft.mode === 'group_admin' ? { kind: 'group_admin' } : { kind: 'unit_admin', unitIds: draft.unitIds ?? null };
}

/** The pictures of a draft's messages that the campaign did not have before. */
function newImages(draft: CampaignFlowDraft): string[] {
  const before = new Set((draft.editing?.messages ?? []).flatMap((m) => (m.image ? [m.image.id] : [])));
  return draft.messages.flatMap((m) => (m.image && !before.has(m.image.id) ? [m.image.id] : []));
}

function wardNames(ctx: Ctx, wards: string[]): string {
  return wards.includes('*') ? ctx.t('campaign.all_wards') : wards.map((w) => ctx.catalog.wardById(w)?.name ?? w).join(', ');
}

function scheduleLine(ctx: Ctx, schedule: CampaignFlowDraft['schedule']): string {
  if (!schedule) return '';
  return schedule.kind === 'once'
    ? ctx.t('campaign.once', { when: formatVietnamTime(new Date(schedule.at), ctx.lang) })
    : ctx.t('campaign.recurring', { expression: schedule.expression, until: formatVietnamTime(new Date(schedule.until), ctx.lang) });
}

function summary(ctx: Ctx): string {
  const d = ctx.draft;
  const wards = wardNames(ctx, d.wards);
  const groups = d.recipients !== 'residents' && d.modelKind ? ` ${ctx.t('campaign.only_model_groups', { kind: ctx.t(`model_kind.${d.modelKind}`) })}` : '';
  const audience = d.mode === 'group_admin' ? ctx.t('campaign.own_groups') : `${ctx.t(`campaign.audience.${d.recipients}`, { wards })}${groups}`;
  const schedule = scheduleLine(ctx, d.schedule);
  const pictures = d.messages.filter((m) => m.image).length;
  const quiet = d.quiet ? ctx.t('campaign.quiet_line', { start: hhmm(d.quiet.startMin), end: hhmm(d.quiet.endMin) }) : ctx.t('campaign.quiet_none');
  return [d.editing ? ctx.t('campaign.edit_title', { id: d.editing.id }) : ctx.t('campaign.summary_title'), `${ctx.t('campaign.topic')}: ${d.topic ? ctx.t(`campaign_topic.${d.topic}`) : ''}`, `${ctx.t('campaign.messages')}: ${d.messages.length}${pictures > 0 ? ` ${ctx.t('campaign.with_images', { count: pictures })}` : ''}`, audience, schedule, quiet].join('\n');
}
