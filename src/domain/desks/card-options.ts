/** A menu opened on a card: outcomes to close with, units to forward to, or a mediation that failed (another session or a referral). */
export type CardMenu = 'close' | 'forward' | 'unsettled' | null;

/** How a case's desk card is to be drawn for one desk. */
export interface CardOptions {
  /** A menu opened from the card (outcomes to close with, units to forward to). */
  menu?: CardMenu;
  /** The unit of the desk that will see this card. */
  viewerUnitId?: string;
}
