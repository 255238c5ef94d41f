import type { AdminActor } from '../../../domain/units/unit-admin-service';
import type { Commendations } from '../../../domain/models/commendations';
import { isLanguage, DEFAULT_LANGUAGE } from '../../../core/language';
import type { Translate } from '../../../i18n';
import type { Language } from '../../../core/language';
import type { Flow, StepContext, StepOutcome } from '../../flow';
import { textStep } from '../../steps/text-step';

export interface CommendDraft {
  /** A reporter, through one of their tips (by id), or a model (by code). */
  target: { kind: 'reporter' | 'model'; id: string } | null;
  admin: AdminActor | null;
  /** Set when the flow starts: what makes this commendation's notice sent once however often the answer is delivered. */
  key: string;
}

/** The commendation: the admin's words, or the standard ones; then it is sent through the bot. */
export function createCommendFlow(commendations: Pick<Commendations, 'commendReporter' | 'commendModel'>, translate: (lang: Language) => Translate): Flow<CommendDraft> {
  const send = async (ctx: StepContext<CommendDraft>, words: string | null): Promise<StepOutcome<CommendDraft>> => {
    const { target, admin } = ctx.draft;
    if (!target || !admin) return { kind: 'done', say: [{ text: ctx.t('models.not_admin') }] };
    const text = (t: Translate, vars: Record<string, string>) => t(words ? 'commend.message_custom' : 'commend.message_standard', { ...vars, words: words ?? '' });
    const result =
      target.kind === 'reporter'
        ? await commendations.commendReporter(admin, target.id, (lang, code) => ({ text: text(translate(isLanguage(lang) ? lang : DEFAULT_LANGUAGE), { code }) }), ctx.draft.key, ctx.now)
        : await commendations.commendModel(admin, target.id, { text: text(ctx.t, { code: target.id }) }, ctx.now);
    return { kind: 'done', say: [{ text: ctx.t(`commend.${target.kind}_${result}`) }] };
  };
  return {
    id: 'commend',
    needsConsent: false,
    newDraft: () => ({ target: null, admin: null, key: '' }),
    steps: [
      textStep<CommendDraft>({
        id: 'words',
        prompt: (ctx) => ctx.t(ctx.draft.target?.kind === 'model' ? 'commend.ask_model' : 'commend.ask_reporter'),
        minLength: 5,
        maxLength: 1000,
        options: (ctx) => [{ value: 'standard', label: ctx.t('commend.standard'), aliases: ['mac dinh', 'standard'] }],
        chosen: (ctx) => send(ctx, null),
        accept: (ctx, words) => send(ctx, words),
      }),
    ],
  };
}
