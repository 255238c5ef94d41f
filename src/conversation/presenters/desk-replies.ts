import type { OutboundMessage } from '../../core/chat';
import type { MediationRefusal, MediationResult } from '../../domain/mediation/mediation-service';
import type { DeskRefusal, TriageResult } from '../../domain/triage/triage-result';
import type { Translate } from '../../i18n';
import { formatVietnamTime } from '../../shared/vietnam-time';

/** Why an officer may not act from this chat, in the desk's words. */
export function deskRefusalText(t: Translate, refusal: DeskRefusal): string {
  return t(`triage.${refusal}`);
}

/** What the pressing officer is told of a triage action; nothing when the card itself shows the change. */
export function presentTriage(t: Translate, result: TriageResult): OutboundMessage[] {
  switch (result.kind) {
    case 'done':
      return [];
    case 'refused':
      return [{ text: result.reason === 'stale_button' ? t('errors.stale_button') : t(`triage.${result.reason}`) }];
    case 'already_done':
      return [{ text: t('triage.already_done', { name: result.by ?? t('triage.unnamed_officer') }) }];
    case 'duplicate_unknown':
      return [{ text: t('triage.duplicate_unknown', { code: result.code }) }];
  }
}

/** What the officer is told of a change to a mediation case; nothing when the card shows it. */
export function presentMediation(t: Translate, result: MediationResult): OutboundMessage[] {
  switch (result.kind) {
    case 'done':
      return [];
    case 'conflict_recorded':
      return [{ text: t('mediation.conflict_recorded', { name: result.name, code: result.code }) }];
    case 'refused':
      return [{ text: mediationRefusalText(t, result.refusal) }];
  }
}

export function mediationRefusalText(t: Translate, refusal: MediationRefusal): string {
  switch (refusal.why) {
    case 'not_a_desk':
    case 'unknown_report':
    case 'not_your_unit':
    case 'changed_meanwhile':
      return t(`triage.${refusal.why}`);
    case 'assign_invalid':
    case 'too_many_sessions':
      return t(`mediation.${refusal.why}`, { max: refusal.max });
    case 'not_on_roster':
      return t('mediation.not_on_roster', { name: refusal.name, roster: refusal.roster });
    case 'conflict':
      return t('mediation.conflict', { name: refusal.name });
    case 'before_session':
      return t('mediation.before_session', { when: formatVietnamTime(refusal.at, 'vi') });
    default:
      return t(`mediation.${refusal.why}`);
  }
}
