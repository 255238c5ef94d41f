import type { ChatAddress } from '../../core/chat';
import type { OnBehalfOf, ReportDoc } from '../../core/report';
import type { Language } from '../../core/language';

/** A menu opened on a card: outcomes to close with, units to forward to, or a mediation that failed (another session or a referral). */
export type CardMenu = 'close' | 'forward' | 'unsettled' | null;

/**
 * Shows a case's card in a desk chat as it stands now, drawn for that desk:
 * edited in place (`messageRef`), or sent anew where the platform cannot edit.
 * The card's text and buttons only: its files were sent with it once.
 */
export type ShowCard = (desk: ChatAddress, messageRef: string | null, report: ReportDoc, options: CardOptions) => Promise<void>;

/** How a case's desk card is to be drawn for one desk. */
export interface CardOptions {
  /** A menu opened from the card (outcomes to close with, units to forward to). */
  menu?: CardMenu;
  /** The unit of the desk that will see this card. */
  viewerUnitId?: string;
  /** The language of the desk that will see it (Vietnamese by default). */
  lang?: Language;
  /** This desk reads the card for units that have no desk or let it wait (no buttons: it is theirs to act on). */
  onBehalfOf?: OnBehalfOf | null;
  /** The exchange with the reporter so far, for a card that reaches a unit after a forward. */
  thread?: ThreadEntry[];
}

/** One message of the exchange between the desks and a case's reporter. */
export interface ThreadEntry {
  from: 'reporter' | 'desk';
  /** The unit that wrote (for a desk's message). */
  unitId: string | null;
  text: string | null;
  withFile: boolean;
  at: Date;
}
