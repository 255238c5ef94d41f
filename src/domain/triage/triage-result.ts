/** Why an officer may not act on a case from this chat. */
export type DeskRefusal = 'not_a_desk' | 'unknown_report' | 'not_your_unit';

/**
 * What an officer's button press came to. `done` needs no words: the card
 * itself shows the change.
 */
export type TriageResult =
  | { kind: 'done' }
  | { kind: 'refused'; reason: DeskRefusal | 'accept_first' | 'changed_meanwhile' | 'stale_button' }
  /** Another officer made this one-time action first (`by`: their name, when known). */
  | { kind: 'already_done'; by: string | null }
  /** "Duplicate of": the code typed is not an earlier case of this unit. */
  | { kind: 'duplicate_unknown'; code: string };

export type ForwardResult = 'forwarded' | 'closed' | 'unknown_unit' | 'too_many_forwards' | Exclude<TriageResult, { kind: 'done' }>;
