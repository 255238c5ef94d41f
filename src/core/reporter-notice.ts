import type { Outcome } from './report';

/** A step of mediation the requester hears of. */
export type MediationStep = 'assigned' | 'scheduled' | 'settled' | 'continued' | 'referred' | 'closed';

/**
 * What the bot tells a reporter about their case, as data: the presenter says
 * it in the reporter's language. Only a unit's name, never an officer's.
 */
export type ReporterNotice =
  | { kind: 'tip_accepted' | 'tip_forwarded'; code: string; unit: string }
  | { kind: 'tip_closed'; code: string; unit: string; outcome: Outcome }
  | { kind: 'mediation'; step: MediationStep; code: string; unit: string; session: { at: Date; place: string } | null; authority: string; days: number }
  /** An officer's own words, with a button to answer. */
  | { kind: 'desk_message'; code: string; unit: string; text: string };
