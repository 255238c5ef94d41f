import type { Audience } from '../../../domain/campaigns/audience';
import { type Flow, type StepContext, type StepOutcome } from '../../flow';
import { choiceStep } from '../../steps/choice-step';
import type { OutboundMessage } from '../../../core/chat';
import { stepPayload } from '../../../core/payloads';

export interface SubscribeDraft {
  wardId: string | null;
  topics: string[];
}

type Ctx = StepContext<SubscribeDraft>;

/** /dangky: the ward, then the topics (several; tap to add or remove), then done. Needs consent: it keeps how to reach the resident. */
export function createSubscribeFlow(audience: Pick<Audience, 'subscribe'>): Flow<SubscribeDraft> {
  const topicsPrompt = (ctx: Ctx, draft: SubscribeDraft): OutboundMessage => ({
    text: ctx.t('subscribe.topics_prompt'),
    buttons: [
      ...ctx.catalog.campaigns.topics.map((topic) => [
        { label: `${draft.topics.includes(topic.id) ? '✅ ' : ''}${ctx.t(`campaign_topic.${topic.id}`)}`, payload: stepPayload('topics', topic.id) },
      ]),
      [{ label: ctx.t('subscribe.done'), payload: stepPayload('topics', 'done') }],
    ],
  });
  return {
    id: 'subscribe',
    needsConsent: true,
    newDraft: () => ({ wardId: null, topics: [] }),
    steps: [
      choiceStep<SubscribeDraft>({
        id: 'ward',
        prompt: (ctx) => ctx.t('subscribe.ward_prompt', { district: ctx.catalog.district }),
        columns: 2,
        options: (ctx) => ctx.catalog.wards.map((w) => ({ value: w.id, label: w.name })),
        chosen: (ctx, value) => ({ kind: 'advance', draft: { ...ctx.draft, wardId: value } }),
        typed: (ctx, text) => {
          const ward = ctx.catalog.matchWard(text);
          return ward ? { kind: 'advance', draft: { ...ctx.draft, wardId: ward.id } } : { kind: 'invalid', reason: 'tip.location.ward_unknown' };
        },
      }),
      {
        id: 'topics',
        prompt: (ctx) => topicsPrompt(ctx, ctx.draft),
        handle: (ctx, input): StepOutcome<SubscribeDraft> => {
          const value = input.kind === 'choice' ? input.value : input.kind === 'text' ? (ctx.catalog.campaigns.matchTopic(input.text)?.id ?? (/^(xong|done)$/i.test(input.text.trim()) ? 'done' : null)) : null;
          if (value === 'done') return ctx.draft.topics.length > 0 ? { kind: 'submit' } : { kind: 'invalid', reason: 'subscribe.pick_one' };
          if (!value || !ctx.catalog.campaigns.topics.some((t) => t.id === value)) return { kind: 'invalid', reason: 'subscribe.pick_one' };
          const topics = ctx.draft.topics.includes(value) ? ctx.draft.topics.filter((t) => t !== value) : [...ctx.draft.topics, value];
          const draft = { ...ctx.draft, topics };
          return { kind: 'stay', draft, say: [topicsPrompt(ctx, draft)] };
        },
      },
    ],
    submit: async (ctx) => {
      if (!ctx.draft.wardId) throw new Error('Subscription without a ward');
      await audience.subscribe(ctx.residentKey, ctx.draft.wardId, ctx.draft.topics, ctx.now);
      return {
        say: [
          {
            text: ctx.t('subscribe.done_text', {
              ward: ctx.catalog.wardById(ctx.draft.wardId)?.name ?? '',
              topics: ctx.draft.topics.map((t) => ctx.t(`campaign_topic.${t}`)).join(', '),
            }),
          },
        ],
      };
    },
  };
}
