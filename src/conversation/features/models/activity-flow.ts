import type { ModelActor, ModelService } from '../../../domain/models/model-service';
import type { ModelActivity } from '../../../core/community-model';
import { foldVietnamese } from '../../../shared/text';
import { subStep, type Flow, type StepContext, type StepOutcome } from '../../flow';
import { choiceStep } from '../../steps/choice-step';
import { textStep } from '../../steps/text-step';

export interface ActivityDraft {
  modelId: string;
  code: string;
  name: string;
  /** The leader recording (set by /hoatdong). */
  leader: ModelActor | null;
  disputeKind: string | null;
  form: 'meeting' | 'loudspeaker' | 'leaflet' | null;
}

type Ctx = StepContext<ActivityDraft>;

const KINDS = ['dispute', 'propaganda', 'patrol', 'pledges'] as const;
const FORMS = ['meeting', 'loudspeaker', 'leaflet'] as const;
const MAX_COUNT = 100_000;

/** A whole number a leader typed ("35", "35 người"); null when there is none or it is out of range. */
function countIn(text: string): number | null {
  const match = /^\D*(\d{1,6})\b/.exec(text);
  const n = match ? Number(match[1]) : NaN;
  return Number.isInteger(n) && n >= 0 && n <= MAX_COUNT ? n : null;
}

/** "6 người, 4 giờ" (or "6 4", "6 nguoi 3,5 gio"): people on the shift and its length in hours. */
export function parsePatrol(text: string): { people: number; hours: number } | null {
  const folded = foldVietnamese(text).replace(/(\d),(\d)/g, '$1.$2');
  const people = /(\d{1,4})\s*(?:nguoi|people|persons?)\b/.exec(folded)?.[1];
  const hours = /(\d{1,2}(?:\.\d)?)\s*(?:gio|tieng|h|hours?)\b/.exec(folded)?.[1];
  const numbers = folded.match(/\d{1,4}(?:\.\d)?/g) ?? [];
  const p = Number(people ?? numbers[0]);
  const h = Number(hours ?? (people ? numbers.find((n) => n !== people) : numbers[1]));
  return Number.isInteger(p) && p > 0 && p <= 1000 && h > 0 && h <= 24 ? { people: p, hours: h } : null;
}

/**
 * /hoatdong: a leader records what their model did, in a few taps: a dispute
 * found and resolved in the group (kind, result), a propaganda session
 * (form, attendees), a patrol shift (people, hours), household pledges.
 */
export function createActivityFlow(models: Pick<ModelService, 'record'>): Flow<ActivityDraft> {
  const record = async (ctx: Ctx, activity: ModelActivity): Promise<StepOutcome<ActivityDraft>> => {
    const saved = ctx.draft.leader !== null && (await models.record(ctx.draft.leader, ctx.draft.modelId, activity, ctx.now));
    return { kind: 'done', say: [{ text: ctx.t(saved ? 'activity.recorded' : 'models.not_allowed', { code: ctx.draft.code, name: ctx.draft.name }) }] };
  };
  const goto = (ctx: Ctx, step: string, patch: Partial<ActivityDraft> = {}): StepOutcome<ActivityDraft> => ({ kind: 'goto', step, draft: { ...ctx.draft, ...patch } });
  return {
    id: 'model_activity',
    needsConsent: false,
    newDraft: () => ({ modelId: '', code: '', name: '', leader: null, disputeKind: null, form: null }),
    steps: [
      choiceStep<ActivityDraft>({
        id: 'kind',
        prompt: (ctx) => ctx.t('activity.ask.kind', { name: ctx.draft.name }),
        options: (ctx) => KINDS.map((kind) => ({ value: kind, label: ctx.t(`activity.kind.${kind}`) })),
        chosen: (ctx, value) => goto(ctx, value === 'dispute' ? 'dispute_kind' : value === 'propaganda' ? 'form' : value),
      }),
      subStep('kind', choiceStep<ActivityDraft>({
        id: 'dispute_kind',
        prompt: (ctx) => ctx.t('activity.ask.dispute_kind'),
        columns: 2,
        options: (ctx) => ctx.catalog.disputes.kinds.map((k) => ({ value: k.id, label: ctx.t(`dispute_kind.${k.id}`), aliases: k.keywords })),
        chosen: (ctx, value) => goto(ctx, 'dispute_result', { disputeKind: value }),
      })),
      subStep('kind', choiceStep<ActivityDraft>({
        id: 'dispute_result',
        prompt: (ctx) => ctx.t('activity.ask.dispute_result'),
        options: (ctx) => [
          { value: 'resolved', label: ctx.t('activity.result.resolved'), aliases: ['da giai quyet', 'hoa giai thanh', 'resolved'] },
          { value: 'referred', label: ctx.t('activity.result.referred'), aliases: ['chuyen', 'referred'] },
        ],
        chosen: (ctx, value) => record(ctx, { kind: 'dispute', disputeKind: ctx.draft.disputeKind ?? 'other', result: value === 'resolved' ? 'resolved' : 'referred' }),
      })),
      subStep('kind', choiceStep<ActivityDraft>({
        id: 'form',
        prompt: (ctx) => ctx.t('activity.ask.form'),
        options: (ctx) => FORMS.map((form) => ({ value: form, label: ctx.t(`activity.form.${form}`) })),
        chosen: (ctx, value) => goto(ctx, 'attendees', { form: FORMS.find((f) => f === value) ?? 'meeting' }),
      })),
      subStep('kind', textStep<ActivityDraft>({
        id: 'attendees',
        prompt: (ctx) => ctx.t(ctx.draft.form === 'loudspeaker' ? 'activity.ask.broadcasts_reach' : 'activity.ask.attendees'),
        maxLength: 40,
        accept: (ctx, text) => {
          const attendees = countIn(text);
          return attendees === null ? { kind: 'invalid', reason: 'activity.number_invalid' } : record(ctx, { kind: 'propaganda', form: ctx.draft.form ?? 'meeting', attendees });
        },
      })),
      subStep('kind', textStep<ActivityDraft>({
        id: 'patrol',
        prompt: (ctx) => ctx.t('activity.ask.patrol'),
        maxLength: 40,
        accept: (ctx, text) => {
          const shift = parsePatrol(text);
          return shift ? record(ctx, { kind: 'patrol', ...shift }) : { kind: 'invalid', reason: 'activity.patrol_invalid' };
        },
      })),
      subStep('kind', textStep<ActivityDraft>({
        id: 'pledges',
        prompt: (ctx) => ctx.t('activity.ask.pledges'),
        maxLength: 40,
        accept: (ctx, text) => {
          const households = countIn(text);
          return households === null || households === 0 ? { kind: 'invalid', reason: 'activity.number_invalid' } : record(ctx, { kind: 'pledges', households });
        },
      })),
    ],
  };
}
