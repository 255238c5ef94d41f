import { isMediationAction } from '../../../domain/mediation/mediation-actions';
import { officerOf } from '../../actors';
import type { MediationQuestion } from './mediation-input-flow';
import { mediationRefusalText, presentMediation } from '../../presenters/desk-replies';
import { sessionAhead } from '../../../domain/mediation/mediation-service';
import { caseForOfficer } from '../../case-access';
import type { DeskAction } from '../../registry/command';
import type { MediationDeps } from './deps';

/** Mediation buttons that ask the officer to type something (names, a date and place, an agreement, an authority). */
const QUESTIONS: readonly string[] = ['m_assign', 'm_schedule', 'm_settled', 'm_refer'] satisfies MediationQuestion[];

/** A mediation card's button: a question typed in the desk chat, a menu on the card, or a change made at once. */
export const mediationAction: DeskAction<MediationDeps> = {
  accepts: isMediationAction,
  async handle(turn, reportId, action, { mediation, triage }, { runner }) {
    if (!isMediationAction(action)) return;
    if (QUESTIONS.includes(action)) {
      const allowed = await caseForOfficer(turn, triage, reportId);
      if (!allowed) return;
      // A session's result is asked for only once the session's time has come (or it was brought forward: Đổi lịch).
      const ahead = action === 'm_settled' || action === 'm_refer' ? sessionAhead(allowed.report, turn.now) : null;
      if (ahead) {
        turn.skipSave = true;
        turn.say({ text: mediationRefusalText(turn.t, { why: 'before_session', at: ahead }) });
        return;
      }
      const draft = { reportId, code: allowed.report.code, officerId: allowed.officer.userId, question: action, roster: mediation.mediatorsOf(allowed.desk.unitId) };
      return runner.start(turn, 'mediation_input', draft);
    }
    turn.skipSave = true;
    const officer = officerOf(turn.event);
    const result = action === 'm_unsettled' ? await mediation.openUnsettledMenu(officer, reportId) : await mediation.apply(officer, reportId, { kind: action === 'm_close' ? 'close' : 'continue' });
    turn.say(...presentMediation(turn.t, result));
  },
};
