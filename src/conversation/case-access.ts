import type { TriageService } from '../domain/triage/triage-service';
import { officerOf, type Officer } from './actors';
import { deskRefusalText } from './presenters/desk-replies';
import type { Turn } from './turn';

type Allowed = Exclude<Awaited<ReturnType<TriageService['authorize']>>, { refusal: unknown }>;

/**
 * The case an officer pressed a button on, when this chat's desk may act on
 * it; otherwise the officer is told why (an attempt from another unit is
 * audited) and nothing of the turn is saved.
 */
export async function caseForOfficer(turn: Turn, triage: Pick<TriageService, 'authorize'>, reportId: string): Promise<({ officer: Officer } & Allowed) | null> {
  const officer = officerOf(turn.event);
  const allowed = await triage.authorize(officer, reportId);
  if ('refusal' in allowed) {
    turn.skipSave = true;
    turn.say({ text: deskRefusalText(turn.t, allowed.refusal) });
    return null;
  }
  return { officer, ...allowed };
}
