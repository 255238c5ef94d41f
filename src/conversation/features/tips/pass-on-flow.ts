import type { ReportKind } from '../../../core/report';
import type { FollowupService } from '../../../domain/followup/followup-service';
import type { Flow } from '../../flow';
import { mainMenu } from '../../messages';
import { followupKey } from '../../presenters/followup-words';
import { choiceStep } from '../../steps/choice-step';

/** A message written outside any flow, and the open case it may be about. */
export interface PassOnDraft {
  code: string;
  caseKind: ReportKind;
  text: string;
}

/**
 * A reporter with an open case wrote something the bot has no question for
 * (a requester answering the session's invitation, say): one button sends it
 * to the desk or team handling the case, as /bosung would; nothing is dropped
 * without the resident knowing.
 */
export function createPassOnFlow(followups: Pick<FollowupService, 'addFromReporter'>): Flow<PassOnDraft> {
  return {
    id: 'pass_on',
    needsConsent: true,
    newDraft: () => ({ code: '', caseKind: 'tip', text: '' }),
    steps: [
      choiceStep<PassOnDraft>({
        id: 'confirm',
        prompt: (ctx) => ctx.t(`pass_on.prompt_${ctx.draft.caseKind}`, { code: ctx.draft.code }),
        options: (ctx) => [
          { value: 'send', label: ctx.t(`pass_on.send_${ctx.draft.caseKind}`), aliases: ['gui', 'send', 'co', 'yes'] },
          { value: 'no', label: ctx.t('pass_on.no'), aliases: ['khong', 'no'] },
        ],
        chosen: (ctx, value) => (value === 'send' ? { kind: 'submit' } : { kind: 'done', say: [mainMenu(ctx.t, ctx.t('pass_on.kept'))] }),
      }),
    ],
    submit: async (ctx) => {
      const { code, text } = ctx.draft;
      const result = await followups.addFromReporter(ctx.residentKey, code, { text, evidence: null });
      return { say: [{ text: ctx.t(followupKey(result, code), { code }) }] };
    },
  };
}
