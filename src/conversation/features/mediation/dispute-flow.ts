import type { DisputeIntake } from '../../../domain/mediation/dispute-intake';
import { subStep, type Flow, type StepContext, type StepOutcome } from '../../flow';
import { choiceStep } from '../../steps/choice-step';
import { readContactAnswer } from '../../steps/contact-answer';
import { textStep } from '../../steps/text-step';
import { newDisputeDraft, parseNameAndYear, summarizeDispute, type DisputeDraft } from './dispute-draft';
import type { OutboundMessage } from '../../../core/chat';
import { globalPayload } from '../../../core/payloads';

type Ctx = StepContext<DisputeDraft>;

const SHORT = 300;
const SKIP_WORDS = ['bo qua', 'skip', 'chua', 'chua thu', 'khong', 'no'];
const EDITABLE = ['kind', 'description', 'since', 'tried', 'other_party', 'other_agrees', 'ward', 'address', 'contact', 'requester', 'desired'] as const;

/**
 * The dispute flow (/hoagiai): a scope check first (danger or a crime goes to
 * 113 and the tip flow, which mediation cannot replace), then the kind, what
 * happened, the other party, where, who asks (never anonymous), what they
 * want, a review and the receipt.
 */
export function createDisputeFlow(deps: { intake: DisputeIntake; onFiled(): void }): Flow<DisputeDraft> {
  const advance = (ctx: Ctx, patch: Partial<DisputeDraft>): StepOutcome<DisputeDraft> => ({ kind: 'advance', draft: { ...ctx.draft, ...patch } });
  return {
    id: 'dispute',
    needsConsent: true,
    reviewStep: 'review',
    newDraft: () => newDisputeDraft(),
    isEditing: (draft) => draft.editing,
    doneEditing: (draft) => ({ ...draft, editing: false }),
    steps: [
      choiceStep<DisputeDraft>({
        id: 'scope',
        prompt: (ctx) => ctx.t('dispute.scope.prompt'),
        options: (ctx) => [
          { value: 'danger', label: ctx.t('dispute.scope.danger') },
          { value: 'crime', label: ctx.t('dispute.scope.crime') },
          { value: 'civil', label: ctx.t('dispute.scope.civil'), aliases: ['khong', 'no', 'mau thuan'] },
        ],
        chosen: (ctx, value) => (value === 'civil' ? advance(ctx, {}) : { kind: 'done', say: [divert(ctx, value)] }),
      }),

      choiceStep<DisputeDraft>({
        id: 'kind',
        prompt: (ctx) => ctx.t('dispute.kind.prompt'),
        columns: 2,
        options: (ctx) => ctx.catalog.disputes.kinds.map((k) => ({ value: k.id, label: ctx.t(`dispute_kind.${k.id}`), aliases: k.keywords })),
        chosen: (ctx, value) => advance(ctx, { kind: value }),
      }),

      textStep<DisputeDraft>({
        id: 'description',
        prompt: (ctx) => ctx.t('dispute.description.prompt', { max: ctx.limits.maxTextLength }),
        minLength: 10,
        accept: (ctx, text) => advance(ctx, { description: text }),
      }),

      textStep<DisputeDraft>({
        id: 'since',
        prompt: (ctx) => ctx.t('dispute.since.prompt'),
        maxLength: SHORT,
        accept: (ctx, text) => advance(ctx, { since: text }),
      }),

      textStep<DisputeDraft>({
        id: 'tried',
        prompt: (ctx) => ctx.t('dispute.tried.prompt'),
        options: (ctx) => [{ value: 'skip', label: ctx.t('dispute.tried.nothing'), aliases: SKIP_WORDS }],
        chosen: (ctx) => advance(ctx, { tried: { text: null } }),
        accept: (ctx, text) => advance(ctx, { tried: { text } }),
      }),

      textStep<DisputeDraft>({
        id: 'other_party',
        prompt: (ctx) => ctx.t('dispute.other_party.prompt'),
        minLength: 3,
        maxLength: 500,
        accept: (ctx, text) => advance(ctx, { otherParty: text }),
      }),

      choiceStep<DisputeDraft>({
        id: 'other_agrees',
        prompt: (ctx) => ctx.t('dispute.other_agrees.prompt'),
        options: (ctx) => (['yes', 'no', 'unknown'] as const).map((value) => ({ value, label: ctx.t(`dispute.agrees.${value}`) })),
        chosen: (ctx, value) => advance(ctx, { otherPartyAgrees: value as DisputeDraft['otherPartyAgrees'] }),
      }),

      choiceStep<DisputeDraft>({
        id: 'ward',
        prompt: (ctx) => ctx.t('dispute.ward.prompt', { district: ctx.catalog.district }),
        columns: 2,
        options: (ctx) => ctx.catalog.wards.map((w) => ({ value: w.id, label: w.name })),
        chosen: (ctx, value) => advance(ctx, { wardId: value }),
        typed: (ctx, text) => {
          const ward = ctx.catalog.matchWard(text);
          return ward ? advance(ctx, { wardId: ward.id }) : { kind: 'invalid', reason: 'tip.location.ward_unknown' };
        },
      }),

      textStep<DisputeDraft>({
        id: 'address',
        prompt: (ctx) => ctx.t('dispute.address.prompt'),
        minLength: 5,
        maxLength: SHORT,
        accept: (ctx, text) => advance(ctx, { address: text }),
      }),

      {
        id: 'contact',
        // Telegram has a button that shares the number (and one to type it instead), the web chat a phone field; on Zalo it is typed.
        prompt: (ctx): OutboundMessage => ({
          text: ctx.t('dispute.contact.prompt', { how: ctx.t(`dispute.contact.how.${ctx.channel}`) }),
          requestContact: { label: ctx.t('tip.contact.share_button'), ...(ctx.channel === 'telegram' ? { alternative: ctx.t('dispute.contact.type_instead') } : {}) },
        }),
        handle: (ctx, input): StepOutcome<DisputeDraft> => {
          if (input.kind === 'text' && input.text.trim() === ctx.t('dispute.contact.type_instead')) return { kind: 'invalid', reason: 'dispute.contact.type_it' };
          const answer = readContactAnswer(input);
          if (answer.kind === 'invalid') return { kind: 'invalid', reason: `tip.contact.${answer.reason}` };
          return advance(ctx, { phone: answer.phone, name: ctx.draft.name ?? answer.name });
        },
      },

      textStep<DisputeDraft>({
        id: 'requester',
        prompt: (ctx) => ctx.t('dispute.requester.prompt'),
        maxLength: 120,
        accept: (ctx, text) => {
          const parsed = parseNameAndYear(text, ctx.now);
          return parsed ? advance(ctx, { name: parsed.name, birthYear: parsed.birthYear }) : { kind: 'invalid', reason: 'dispute.requester.invalid' };
        },
      }),

      textStep<DisputeDraft>({
        id: 'desired',
        prompt: (ctx) => ctx.t('dispute.desired.prompt'),
        minLength: 3,
        maxLength: 1000,
        accept: (ctx, text) => advance(ctx, { desiredOutcome: text }),
      }),

      choiceStep<DisputeDraft>({
        id: 'review',
        prompt: (ctx) => `${summarizeDispute(ctx.draft, ctx.t, ctx.catalog)}\n\n${ctx.t('review.confirm')}`,
        options: (ctx) => [
          { value: 'send', label: ctx.t('dispute.review.send'), aliases: ['gui', 'send', 'ok'] },
          { value: 'edit', label: ctx.t('review.edit'), aliases: ['sua', 'edit'] },
          { value: 'cancel', label: ctx.t('review.cancel'), aliases: ['huy', 'cancel'] },
        ],
        chosen: (ctx, value) => (value === 'send' ? { kind: 'submit' } : value === 'edit' ? { kind: 'goto', step: 'edit', draft: ctx.draft } : { kind: 'cancel' }),
      }),

      subStep('review', choiceStep<DisputeDraft>({
        id: 'edit',
        prompt: (ctx) => ctx.t('review.edit_prompt'),
        columns: 2,
        options: (ctx) => [
          ...EDITABLE.map((field) => ({ value: field, label: ctx.t(`dispute.review.field.${field}`) })),
          { value: 'review', label: ctx.t('common.back') },
        ],
        chosen: (ctx, value) => ({ kind: 'goto', step: value, draft: { ...ctx.draft, editing: value !== 'review' } }),
      })),
    ],

    submit: async (ctx) => {
      const d = ctx.draft;
      if (!d.kind || !d.description || !d.since || !d.tried || !d.otherParty || !d.otherPartyAgrees || !d.wardId || !d.address || !d.phone || !d.name || !d.desiredOutcome) {
        throw new Error('Dispute draft submitted before every step was answered');
      }
      const { code } = await deps.intake.submit(
        {
          submissionKey: `${ctx.residentKey}:${d.id}`,
          kind: d.kind,
          description: d.description,
          since: d.since,
          tried: d.tried.text,
          otherParty: d.otherParty,
          otherPartyAgrees: d.otherPartyAgrees,
          wardId: d.wardId,
          address: d.address,
          requester: { name: d.name, birthYear: d.birthYear, address: d.address, phone: d.phone },
          desiredOutcome: d.desiredOutcome,
          residentKey: ctx.residentKey,
          channel: ctx.channel,
          lang: ctx.lang,
        },
        ctx.now,
      );
      deps.onFiled();
      return { say: [{ text: ctx.t('dispute.receipt', { code, days: ctx.catalog.disputes.deadlines.startDays }), removeKeyboard: true }], receipt: code };
    },
  };
}

/** Someone in danger, or a crime: mediation is not the place; call 113 or report a tip. */
function divert(ctx: Ctx, why: string): OutboundMessage {
  return {
    text: ctx.t(why === 'danger' ? 'dispute.scope.call_113' : 'dispute.scope.report_tip'),
    buttons: [[{ label: ctx.t('menu.report'), payload: globalPayload('menu', 'report') }]],
  };
}
