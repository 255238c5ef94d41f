import type { ReportService } from '../../../domain/reports/report-service';
import type { Flow } from '../../flow';
import { statusMessage } from '../../messages';
import { textStep } from '../../steps/text-step';

/** /tracuu without a code: one question, the receipt code. Needs no consent: nothing personal is kept. */
export function createLookupFlow(reports: ReportService): Flow<Record<string, never>> {
  return {
    id: 'lookup',
    needsConsent: false,
    newDraft: () => ({}),
    steps: [
      textStep({
        id: 'code',
        prompt: (ctx) => ctx.t('lookup.prompt'),
        maxLength: 40,
        accept: async (ctx, typed) => ({
          kind: 'done',
          say: [statusMessage(ctx.t, ctx.lang, await reports.statusByCode(typed), typed)],
        }),
      }),
    ],
  };
}
