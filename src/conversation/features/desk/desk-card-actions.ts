import { ASKS_SUBJECTS, isTriageAction } from '../../../domain/triage/triage-actions';
import { officerOf } from '../../actors';
import { presentTriage } from '../../presenters/desk-replies';
import { caseForOfficer } from '../../case-access';
import type { DeskAction } from '../../registry/command';
import type { DeskDeps } from './deps';

/**
 * Buttons on a tip's card that ask the officer to type something in the desk
 * chat: a message to the reporter, a reason to forward, the code a tip
 * duplicates, how many subjects a handled or prosecuted tip dealt with. Only the officer who pressed is listened to afterwards.
 */
export const deskQuestionAction: DeskAction<DeskDeps> = {
  accepts: (action) => action === 'reply' || action === 'close:duplicate' || ASKS_SUBJECTS.includes(action) || /^fwd:[a-z0-9-]{2,20}$/.test(action),
  async handle(turn, reportId, action, { triage }, { runner }) {
    const allowed = await caseForOfficer(turn, triage, reportId);
    if (!allowed) return;
    const draft = { reportId, code: allowed.report.code, officerId: allowed.officer.userId };
    const forwardTo = /^fwd:(.+)$/.exec(action)?.[1];
    if (forwardTo) await runner.start(turn, 'forward_reason', { ...draft, toUnitId: forwardTo });
    else if (action === 'close:duplicate') await runner.start(turn, 'duplicate_of', draft);
    else if (ASKS_SUBJECTS.includes(action) && isTriageAction(action)) await runner.start(turn, 'close_subjects', { ...draft, action });
    else await runner.start(turn, 'desk_reply', draft);
  },
};

/** Buttons that change a tip at once (accept, assess, close, open a menu); the card shows the change. */
export const triageAction: DeskAction<DeskDeps> = {
  accepts: isTriageAction,
  async handle(turn, reportId, action, { triage }) {
    turn.skipSave = true;
    if (!isTriageAction(action)) return;
    turn.say(...presentTriage(turn.t, await triage.handle(officerOf(turn.event), reportId, action)));
  },
};
