import { cleanText } from '../../../shared/text';
import type { IdleHandler } from '../../registry/command';
import type { TipsDeps } from './deps';

/** Longest stray message kept to pass on (a /bosung addition allows no more). */
const MAX_PASSED_ON = 2000;

/** A resident with an open case writes outside any flow: offer to pass the message on (see pass-on-flow). */
export const passOnToOpenCase: IdleHandler<TipsDeps> = async (turn, { reports }, { runner }) => {
  const { event } = turn;
  if (event.kind !== 'text') return false;
  const text = cleanText(event.text).slice(0, MAX_PASSED_ON);
  if (!text) return false;
  const open = await reports.openCaseOf(turn.key);
  if (!open) return false;
  await runner.start(turn, 'pass_on', { code: open.code, caseKind: open.kind, text });
  return true;
};
