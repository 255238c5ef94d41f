import { OUTCOMES } from '../../core/report';

/** Triage actions an officer can press on a desk card. */
export type TriageAction = 'accept' | 'valuable' | 'not_valuable' | 'close_menu' | 'close_back' | 'forward_menu' | `close:${(typeof OUTCOMES)[number]}`;

/**
 * Buttons that open a question in the desk chat rather than change the tip:
 * "reply" (a message to the reporter) and "fwd:<unit>" (the reason for
 * forwarding to that unit).
 */
export type DeskButtonAction = TriageAction | 'reply' | 'forward_menu' | `fwd:${string}`;

/** Closing as handled or prosecuted asks the officer first how many subjects (đối tượng) were dealt with: every review counts them. */
export const ASKS_SUBJECTS: readonly string[] = ['close:handled', 'close:prosecuted'];

export function isTriageAction(value: string): value is TriageAction {
  return ['accept', 'valuable', 'not_valuable', 'close_menu', 'close_back', 'forward_menu'].includes(value) || OUTCOMES.some((o) => value === `close:${o}`);
}
