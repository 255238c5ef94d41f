import type { ChatAddress, OutboundMessage } from '../core/chat';
import type { Language } from '../core/language';
import type { TellDesk } from '../domain/desks/case-threads';
import type { EvidenceStore } from '../domain/evidence/evidence-store';
import type { TellReporter } from '../domain/followup/reporter-notice';
import type { ReporterNotices } from '../domain/followup/reporter-notices';
import type { ResidentService } from '../domain/residents/resident-service';
import type { Translate } from '../i18n';
import { deskNoticeText, reporterNoticeMessage } from './presenters/notice-text';

export interface NotifierDeps {
  residents: Pick<ResidentService, 'find'>;
  notices: Pick<ReporterNotices, 'enqueue'>;
  translate(lang: Language): Translate;
  evidence: Pick<EvidenceStore, 'attachment'>;
  send(address: ChatAddress, messages: OutboundMessage[]): Promise<unknown>;
}

/**
 * How the domain's notices become messages: a reporter's in their own
 * language, queued durably; a desk's in that desk's language, under the case's
 * card, with the file the reporter added.
 */
export function createNotifiers(deps: NotifierDeps): { tellReporter: TellReporter; tellDesk: TellDesk } {
  return {
    tellReporter: async (residentKey, notice, key) => {
      const resident = await deps.residents.find(residentKey);
      if (!resident) return;
      await deps.notices.enqueue(resident.key, [reporterNoticeMessage(deps.translate(resident.lang), resident.lang, notice)], key);
    },
    tellDesk: async (address, thread, notice) => {
      const attachment = notice.kind === 'followup' ? notice.attachment : null;
      await deps.send(address, [
        {
          text: deskNoticeText(deps.translate(thread.lang), notice),
          replyTo: thread.replyTo,
          threadId: thread.threadId,
          attachments: attachment ? [deps.evidence.attachment(attachment)] : undefined,
        },
      ]);
    },
  };
}
