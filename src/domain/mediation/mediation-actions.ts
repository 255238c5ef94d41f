/** Buttons of a mediation case card: "m_" actions change the case, "reply" writes to the requester. */
export type MediationAction = 'm_assign' | 'm_schedule' | 'm_settled' | 'm_unsettled' | 'm_continue' | 'm_refer' | 'm_close';

export function isMediationAction(value: string): value is MediationAction {
  return ['m_assign', 'm_schedule', 'm_settled', 'm_unsettled', 'm_continue', 'm_refer', 'm_close'].includes(value);
}
