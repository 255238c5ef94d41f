import type { TipsDeps } from './deps';
import { cleanText } from '../../../shared/text';
import { subStep, type Flow, type StepContext, type StepOutcome } from '../../flow';
import { choiceStep } from '../../steps/choice-step';
import { readContactAnswer } from '../../steps/contact-answer';
import { textStep } from '../../steps/text-step';
import { evidenceStep } from './evidence-step';
import { newTipDraft, summarizeTip, type TipDraft } from './tip-draft';
import type { OutboundMessage } from '../../../core/chat';
import { stepPayload } from '../../../core/payloads';

type Ctx = StepContext<TipDraft>;

const MAX_ADDRESS = 300;
const MAX_WHEN = 200;
/** "10.7769, 106.7009": coordinates typed or pasted from a map app count as a shared location. */
const COORDINATES = /^(-?\d{1,2}\.\d+)\s*,\s*(-?\d{1,3}\.\d+)$/;

/** Fields a resident can go back to from the review, and the step that asks each. */
const EDITABLE = ['category', 'description', 'location', 'occurred', 'evidence', 'suspects', 'anonymity'] as const;

/**
 * The tip (tin báo / tố giác) flow: category, what happened, where, when,
 * evidence, suspects, anonymity, review, send. Steps 4–8 of the foundation
 * issue, declared in order.
 */
export function createTipFlow(deps: Pick<TipsDeps, 'reports' | 'evidence' | 'onTipFiled' | 'modelOf'>): Flow<TipDraft> {
  return {
    id: 'tip',
    needsConsent: true,
    reviewStep: 'review',
    newDraft: () => newTipDraft(),
    isEditing: (draft) => draft.editing,
    doneEditing: (draft) => ({ ...draft, editing: false }),
    // The copies and the originals kept for the chain of custody.
    abandon: (draft) => deps.evidence.remove(draft.evidence.flatMap((e) => (e.original ? [e.id, e.original.id] : [e.id]))),
    steps: [
      choiceStep<TipDraft>({
        id: 'category',
        prompt: (ctx) => ctx.t('tip.category.prompt'),
        columns: 2,
        options: (ctx) =>
          ctx.catalog.categories.map((c) => ({ value: c.id, label: ctx.t(`category.${c.id}`), aliases: c.keywords })),
        chosen: (ctx, value) => ({ kind: 'advance', draft: { ...ctx.draft, category: value } }),
      }),

      textStep<TipDraft>({
        id: 'description',
        prompt: (ctx) => ctx.t('tip.description.prompt', { max: ctx.limits.maxTextLength }),
        minLength: 5,
        accept: (ctx, text) => ({ kind: 'advance', draft: { ...ctx.draft, description: text } }),
      }),

      {
        id: 'location',
        prompt: (ctx): OutboundMessage => ({
          text: ctx.t('tip.location.prompt', { share: ctx.t(`tip.location.share_hint.${ctx.channel}`) }),
          requestLocation: { label: ctx.t('tip.location.share_button') },
          buttons: [
            [{ label: ctx.t('tip.location.pick_ward'), payload: stepPayload('location', 'pick_ward') }],
            [{ label: ctx.t('tip.location.unknown'), payload: stepPayload('location', 'unknown') }],
          ],
        }),
        handle: (ctx, input): StepOutcome<TipDraft> => {
          if (input.kind === 'choice' && input.value === 'pick_ward') return { kind: 'goto', step: 'location_ward', draft: { ...ctx.draft, location: null } };
          if (input.kind === 'choice' && input.value === 'unknown') return placed(ctx, { kind: 'unknown' });
          if (input.kind === 'location') return placed(ctx, pinned(ctx, input.lat, input.lon));
          if (input.kind === 'text') {
            const text = cleanText(input.text);
            const point = COORDINATES.exec(text);
            if (point) return placed(ctx, pinned(ctx, Number(point[1]), Number(point[2])));
            if (text.length > MAX_ADDRESS) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max: MAX_ADDRESS, length: text.length } };
            const named = ctx.catalog.matchWard(text);
            const inAddress = ctx.catalog.findWardIn(text);
            // "Phường 4" (or "ở P4") alone is a ward; "hẻm 12 Trần Văn Đang, phường 4" is an address in it.
            if (inAddress && !saysMore(inAddress.rest)) return placed(ctx, { kind: 'ward', wardId: inAddress.ward.id });
            if (named && !inAddress) return placed(ctx, { kind: 'ward', wardId: named.id });
            if (text.length < 3) return { kind: 'invalid', reason: 'tip.location.too_short' };
            return placed(ctx, { kind: 'address', address: inAddress?.rest || text, wardId: inAddress?.ward.id ?? null });
          }
          if (input.kind === 'unsupported') return { kind: 'invalid', reason: 'errors.sticker_not_text' };
          return { kind: 'invalid', reason: 'tip.location.invalid' };
        },
      },

      // Picked from the location step, or asked once when the place given names no ward.
      subStep('location', choiceStep<TipDraft>({
        id: 'location_ward',
        prompt: (ctx) =>
          ctx.draft.location ? ctx.t('tip.location.which_ward') : ctx.t('tip.location.ward_prompt', { district: ctx.catalog.district }),
        columns: 2,
        options: (ctx) => [
          ...ctx.catalog.wards.map((w) => ({ value: w.id, label: w.name })),
          { value: 'none', label: ctx.t('tip.location.ward_not_known'), aliases: ['khong ro', 'khong biet', 'not sure', 'unknown'] },
          { value: 'back', label: ctx.t('common.back') },
        ],
        chosen: (ctx, value) => {
          if (value === 'back') return { kind: 'goto', step: 'location', draft: ctx.draft };
          // Only here does a tip stay without a ward, and go to the units covering all wards.
          if (value === 'none') return { kind: 'advance', draft: { ...ctx.draft, location: ctx.draft.location ?? blankLocation('unknown') } };
          return inWard(ctx, value);
        },
        typed: (ctx, text) => {
          const ward = ctx.catalog.matchWard(text);
          return ward ? inWard(ctx, ward.id) : { kind: 'invalid', reason: 'tip.location.ward_unknown' };
        },
      })),

      choiceStep<TipDraft>({
        id: 'occurred',
        prompt: (ctx) => ctx.t('tip.occurred.prompt'),
        options: (ctx) =>
          (['now', 'today', 'other', 'unknown'] as const).map((kind) => ({
            value: kind,
            label: ctx.t(`occurred.${kind}_button`),
            aliases: kind === 'now' ? ['dang dien ra', 'dang xay ra', 'ngay bay gio', 'happening now', 'now'] : [],
          })),
        chosen: (ctx, value) => {
          if (value === 'other') return { kind: 'goto', step: 'occurred_text', draft: ctx.draft };
          const draft = { ...ctx.draft, occurred: { kind: value as 'now' | 'today' | 'unknown', text: null } };
          // Happening now: 113 first, before anything else the bot asks.
          return { kind: 'advance', draft, say: value === 'now' ? [{ text: ctx.t('tip.occurred.now_advice') }] : [] };
        },
        typed: (ctx, text) => acceptWhen(ctx, text),
      }),

      subStep('occurred', textStep<TipDraft>({
        id: 'occurred_text',
        prompt: (ctx) => ctx.t('tip.occurred.text_prompt'),
        maxLength: MAX_WHEN,
        accept: (ctx, text) => acceptWhen(ctx, text),
      })),

      evidenceStep(deps.evidence),

      textStep<TipDraft>({
        id: 'suspects',
        prompt: (ctx) => ctx.t('tip.suspects.prompt'),
        options: (ctx) => [{ value: 'skip', label: ctx.t('tip.suspects.skip'), aliases: ['bo qua', 'skip', 'khong', 'khong co', 'no'] }],
        chosen: (ctx) => ({ kind: 'advance', draft: { ...ctx.draft, suspects: { text: null } } }),
        accept: (ctx, text) => ({ kind: 'advance', draft: { ...ctx.draft, suspects: { text } } }),
      }),

      choiceStep<TipDraft>({
        id: 'anonymity',
        prompt: (ctx) => ctx.t('tip.anonymity.prompt'),
        options: (ctx) => [
          { value: 'anonymous', label: ctx.t('tip.anonymity.anonymous'), aliases: ['an danh', 'anonymous'] },
          { value: 'named', label: ctx.t('tip.anonymity.named'), aliases: ['co danh tinh', 'named'] },
        ],
        chosen: (ctx, value) =>
          value === 'anonymous'
            ? { kind: 'advance', draft: { ...ctx.draft, anonymous: true, contact: null } }
            : { kind: 'goto', step: 'contact', draft: ctx.draft },
      }),

      {
        id: 'contact',
        parent: 'anonymity',
        prompt: (ctx): OutboundMessage => ({
          text: ctx.t('tip.contact.prompt'),
          requestContact: { label: ctx.t('tip.contact.share_button'), alternative: ctx.t('tip.contact.anonymous_instead') },
        }),
        handle: (ctx, input): StepOutcome<TipDraft> => {
          if (input.kind === 'text' && cleanText(input.text) === ctx.t('tip.contact.anonymous_instead')) {
            return toReview(ctx, { ...ctx.draft, anonymous: true, contact: null });
          }
          const answer = readContactAnswer(input);
          if (answer.kind === 'invalid') return { kind: 'invalid', reason: `tip.contact.${answer.reason}` };
          const draft = { ...ctx.draft, anonymous: false, contact: { phone: answer.phone, name: answer.name } };
          // A named reporter the platform gave no name for (Zalo, the web chat) is asked for one.
          return answer.name ? toReview(ctx, draft) : { kind: 'goto', step: 'contact_name', draft };
        },
      },

      subStep('anonymity', textStep<TipDraft>({
        id: 'contact_name',
        prompt: (ctx) => ctx.t('tip.contact.name_prompt'),
        minLength: 2,
        maxLength: 100,
        options: (ctx) => [{ value: 'none', label: ctx.t('tip.contact.no_name'), aliases: ['khong', 'none'] }],
        chosen: (ctx) => toReview(ctx, ctx.draft),
        accept: (ctx, name) => toReview(ctx, { ...ctx.draft, contact: ctx.draft.contact ? { ...ctx.draft.contact, name } : null }),
      })),

      choiceStep<TipDraft>({
        id: 'review',
        prompt: (ctx) => `${summarizeTip(ctx.draft, ctx.t, ctx.catalog)}\n\n${ctx.t('review.confirm')}`,
        options: (ctx) => [
          { value: 'send', label: ctx.t('review.send'), aliases: ['gui', 'send', 'ok'] },
          { value: 'edit', label: ctx.t('review.edit'), aliases: ['sua', 'edit'] },
          { value: 'cancel', label: ctx.t('review.cancel'), aliases: ['huy', 'cancel'] },
        ],
        chosen: (ctx, value) => {
          if (value === 'send') return { kind: 'submit' };
          if (value === 'edit') return { kind: 'goto', step: 'edit', draft: ctx.draft };
          return { kind: 'cancel' };
        },
      }),

      subStep('review', choiceStep<TipDraft>({
        id: 'edit',
        prompt: (ctx) => ctx.t('review.edit_prompt'),
        columns: 2,
        options: (ctx) => [
          ...EDITABLE.map((field) => ({ value: field, label: ctx.t(`review.field.${field}`) })),
          { value: 'review', label: ctx.t('common.back') },
        ],
        chosen: (ctx, value) => ({ kind: 'goto', step: value, draft: { ...ctx.draft, editing: value !== 'review' } }),
      })),
    ],

    submit: async (ctx) => {
      const { draft } = ctx;
      if (!draft.category || !draft.description || !draft.location || !draft.occurred || draft.anonymous === null) {
        throw new Error('Tip draft submitted before every step was answered');
      }
      const { code } = await deps.reports.submitTip(
        {
          submissionKey: `${ctx.residentKey}:${draft.id}`,
          category: draft.category,
          description: draft.description,
          location: draft.location,
          occurred: draft.occurred,
          evidence: draft.evidence,
          suspectsText: draft.suspects?.text ?? null,
          anonymous: draft.anonymous,
          contact: draft.contact,
          residentKey: ctx.residentKey,
          channel: ctx.channel,
          lang: ctx.lang,
          model: await deps.modelOf(ctx.residentKey),
        },
        ctx.now,
      );
      deps.onTipFiled();
      return { say: [{ text: ctx.t('tip.receipt', { code }), removeKeyboard: true }], receipt: code };
    },
  };
}

type Location = NonNullable<TipDraft['location']>;

/** Whether what an address says besides its ward is a place at all ("hẻm 5"), not a word or two of filler ("ở"). */
function saysMore(rest: string): boolean {
  return rest.replace(/[^\p{L}\p{N}]+/gu, '').length >= 3;
}

function blankLocation(kind: Location['kind']): Location {
  return { kind, wardId: null, address: null, lat: null, lon: null };
}

/** A map pin, and the ward whose boundary holds it (if any). */
function pinned(ctx: Ctx, lat: number, lon: number): Partial<Location> & Pick<Location, 'kind'> {
  return { kind: 'point', lat, lon, wardId: ctx.catalog.wardAt(lat, lon)?.id ?? null };
}

/** The place is taken; a place that names no ward is followed by the question which ward it is in. */
function placed(ctx: Ctx, location: Partial<Location> & Pick<Location, 'kind'>): StepOutcome<TipDraft> {
  const draft = { ...ctx.draft, location: { ...blankLocation(location.kind), ...location } };
  return draft.location.wardId === null ? { kind: 'goto', step: 'location_ward', draft } : { kind: 'advance', draft };
}

/** The ward chosen: kept with the address or pin given before it. */
function inWard(ctx: Ctx, wardId: string): StepOutcome<TipDraft> {
  const before = ctx.draft.location;
  const location = before && before.kind !== 'unknown' ? { ...before, wardId } : { ...blankLocation('ward'), wardId };
  return { kind: 'advance', draft: { ...ctx.draft, location } };
}

function acceptWhen(ctx: Ctx, typed: string): StepOutcome<TipDraft> {
  const text = cleanText(typed);
  if (text.length === 0) return { kind: 'invalid', reason: 'errors.text_too_short', vars: { min: 1 } };
  if (text.length > MAX_WHEN) return { kind: 'invalid', reason: 'errors.text_too_long', vars: { max: MAX_WHEN, length: text.length } };
  return { kind: 'advance', draft: { ...ctx.draft, occurred: { kind: 'other', text } } };
}

/** After the contact sub-question the next stop is always the review. */
function toReview(_ctx: Ctx, draft: TipDraft): StepOutcome<TipDraft> {
  return { kind: 'goto', step: 'review', draft: { ...draft, editing: false } };
}
