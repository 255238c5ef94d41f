import type { OutboundMessage } from '../../core/chat';
import type { Language } from '../../core/language';
import { globalPayload } from '../../core/payloads';
import type { DeskNotice } from '../../domain/desks/desk-notice';
import type { ReporterNotice } from '../../domain/followup/reporter-notice';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';
import { deadlineKey } from './case-words';

/** A notice to a reporter in their language. */
export function reporterNoticeMessage(t: Translate, lang: Language, notice: ReporterNotice): OutboundMessage {
  switch (notice.kind) {
    case 'tip_accepted':
      return { text: t('reporter.accepted', { code: notice.code, unit: notice.unit }) };
    case 'tip_forwarded':
      return { text: t('reporter.forwarded', { code: notice.code, unit: notice.unit }) };
    case 'tip_closed':
      return { text: t('reporter.closed', { code: notice.code, unit: notice.unit, outcome: t(`outcome.${notice.outcome}`) }) };
    case 'mediation':
      return {
        text: t(`mediation.requester.${notice.step}`, {
          code: notice.code,
          unit: notice.unit,
          when: notice.session ? formatVietnamTime(notice.session.at, lang) : '',
          place: notice.session?.place ?? '',
          authority: notice.authority,
          days: notice.days,
        }),
      };
    case 'desk_message':
      return {
        text: t('reporter.message', { unit: notice.unit, code: notice.code, text: notice.text }),
        buttons: [[{ label: t('reporter.answer_button'), payload: globalPayload('followup', notice.code) }]],
      };
  }
}

/** A notice to a desk, without its placement or files (the caller adds those). */
export function deskNoticeText(t: Translate, notice: DeskNotice): string {
  switch (notice.kind) {
    case 'reminder': {
      const text = t(deadlineKey(notice.caseKind, `reminder_${notice.reminder}`), { code: notice.code, hours: notice.hours, due: formatVietnamTime(notice.dueAt, 'vi') });
      return notice.escalatedTo.length > 0 ? `${text}\n${t('deadline.escalated', { units: notice.escalatedTo.join(', ') })}` : text;
    }
    case 'followup':
      return notice.text
        ? t(notice.caseKind === 'dispute' ? 'desk.followup_text_dispute' : 'desk.followup_text', { code: notice.code, text: notice.text })
        : t(notice.caseKind === 'dispute' ? 'desk.followup_file_dispute' : 'desk.followup_file', { code: notice.code });
  }
}
