import type { ReportService } from '../../../domain/reports/report-service';
import type { Flow } from '../../flow';
import { statusMessage } from '../../messages';
import { textStep } from '../../steps/text-step';

/** Who is looking: the chat's pseudonymous key, so a reporter also sees how their own case ended. */
interface LookupDraft {
  askerKey: string | null;
}

/** /tracuu without a code: one question, the receipt code. Needs no consent: nothing personal is kept. */
export function createLookupFlow(reports: ReportService): Flow<LookupDraft> {
  return {
    id: 'lookup',
    needsConsent: false,
    newDraft: () => ({ askerKey: null }),
    steps: [
      textStep<LookupDraft>({
        id: 'code',
        prompt: (ctx) => ctx.t('lookup.prompt'),
        maxLength: 40,
        accept: async (ctx, typed) => ({
          kind: 'done',
          say: [statusMessage(ctx.t, ctx.lang, await reports.statusByCode(typed, ctx.draft.askerKey), typed)],
        }),
      }),
    ],
  };
}
