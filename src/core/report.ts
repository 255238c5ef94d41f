/**
 * The domain's own words for reports (tips and disputes): statuses, outcomes,
 * places, times and stored files. Storage builds its documents from these.
 */

/** Tips: received → accepted → closed. Disputes: received → assigned → scheduled → settled / not settled → closed. */
export type ReportStatus = 'received' | 'accepted' | 'closed' | DisputeStatus;
export type DisputeStatus = 'assigned' | 'scheduled' | 'settled' | 'not_settled';
export type ReportKind = 'tip' | 'dispute';
/** Whether the other party is known to accept mediation. */
export type PartyAgreement = 'yes' | 'no' | 'unknown';

/** What only a dispute has: the mediation case (hòa giải ở cơ sở). */
export interface DisputeDetails {
  since: string;
  tried: string | null;
  desiredOutcome: string;
  otherPartyAgrees: PartyAgreement;
  /** Encrypted JSON of DisputeParties: names, ages and addresses of both sides. */
  partiesEnc: string;
  assignedAt: Date | null;
  mediators: string[];
  /** Mediators who declared a conflict of interest in this case; they cannot be assigned to it. */
  conflicts: string[];
  session: { at: Date; place: string } | null;
  result: 'settled' | 'not_settled' | null;
  /** Summary of the written agreement (hòa giải thành). */
  agreement: string | null;
  /** The competent authority a case that could not be settled was referred to. */
  referral: string | null;
}

/** The people in a dispute, as the requester described them. Stored encrypted. */
export interface DisputeParties {
  requester: { name: string; birthYear: number | null; address: string; phone: string };
  otherParty: string;
}
/** What a tip's history records: its statuses, and each forwarding to another unit. */
export type HistoryStatus = ReportStatus | 'forwarded';
export type Assessment = 'valuable' | 'not_valuable';
/** How a tip ended, as officers choose it (the reporter is told the same words). */
export const OUTCOMES = ['handled', 'prosecuted', 'not_prosecuted', 'no_basis', 'duplicate'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type LocationKind = 'ward' | 'address' | 'point' | 'unknown';
export type OccurredKind = 'now' | 'today' | 'other' | 'unknown';
export type EvidenceKind = 'photo' | 'video' | 'voice' | 'audio' | 'document';

export interface EvidenceRecord {
  id: string;
  kind: EvidenceKind;
  mime: string;
  size: number;
  sha256: string;
  fileName: string | null;
  /** The platform's own handle (Telegram file_id), reusable to copy the media into a desk chat. */
  platform: { channel: string; fileId: string } | null;
}
