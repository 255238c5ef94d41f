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
  /**
   * A cleaned photo's untouched original (metadata and all), kept encrypted for
   * the chain of custody with its SHA-256; only a unit admin's audited action
   * releases it. Absent for files that are not cleaned.
   */
  original?: { id: string; sha256: string; size: number; mime: string } | null;
}

/** A tip or a dispute as it is stored: the report aggregate every service reads. */
export interface ReportDoc {
  _id: string;
  code: string;
  kind: ReportKind;
  /** A tip category, or for a dispute its kind (config/disputes.json). */
  category: string;
  group: string;
  description: string;
  location: { kind: LocationKind; wardId: string | null; address: string | null; lat: number | null; lon: number | null };
  occurred: { kind: OccurredKind; text: string | null };
  evidence: EvidenceRecord[];
  suspects: { text: string | null; identifiers: { type: string; value: string }[] };
  anonymous: boolean;
  /** Link back to the reporter for follow-up; null once they used /xoadulieu. Never sent to a desk. */
  reporter: { residentKey: string; contactEnc: string | null } | null;
  channel: string;
  lang: string;
  /** Subjects (đối tượng) dealt with, as the officer said when closing the tip as handled or prosecuted (0 allowed); null otherwise. */
  subjects?: number | null;
  /** The self-management model whose link brought the reporter (its name as it was then); never who they are. */
  model?: { id: string; name: string } | null;
  /** Units the tip was routed to; every officer query is scoped by these. */
  unitIds: string[];
  status: ReportStatus;
  statusHistory: { status: HistoryStatus; at: Date }[];
  /** Each move to another unit, with its reason; its count is the routing round that one-time actions are claimed in. */
  forwards: { fromUnitId: string; toUnitId: string; reason: string; by: string; at: Date }[];
  /** Earlier tips of the same units that share a suspect identifier (phone, account, link, plate). */
  relatedCodes: string[];
  /** The units that held each related tip when this one was filed (older reports lack it: their codes alone). */
  relatedHolders?: { code: string; unitIds: string[] }[];
  /** Valuable or not (có giá trị): the figure every period report counts. */
  assessment: Assessment | null;
  /** When the assessment was made, so a period's figures can be computed as they stood at its end. */
  assessedAt: Date | null;
  /** The officer who accepted the tip, and their unit. */
  assignee: { unitId: string; name: string } | null;
  outcome: Outcome | null;
  /** When the tip was closed; the retention job detaches the reporter PRIVACY_RETENTION_MONTHS after it. */
  closedAt: Date | null;
  /** Code of the earlier tip this one repeats, when closed as a duplicate. */
  duplicateOf: string | null;
  /** When the tip must be accepted, and when it must have an outcome (extendable, with a reason). */
  deadlines: {
    ackDueAt: Date;
    outcomeDueAt: Date;
    extensions: { days: number; reason: string; by: string; at: Date }[];
    /**
     * When the reminder job must next look at this case (its next reminder,
     * or at once after its deadlines changed); null when no reminder is left.
     * The job reads only cases whose time has come, so a backlog of overdue
     * cases is never read again and again.
     */
    remindAt?: Date | null;
  };
  /** Unique per draft, so a double-tapped "send" can never file the same tip twice. */
  submissionKey: string;
  /** Counts officers' changes; each change claims "<id>:v<version>" first, so changes never interleave. */
  version: number;
  /** Null for tips. */
  dispute: DisputeDetails | null;
  createdAt: Date;
  /** Set by storage only: what the resident wrote is stored encrypted (storage/report-sealing.ts). The domain never sees it. */
  sealed?: boolean;
}

/**
 * A desk that gets a case's card for other units: they have no desk yet
 * (`no_desk`: the fallback unit's desk), or left it unaccepted past its
 * deadline (`escalated`: the unit they escalate to).
 */
export interface OnBehalfOf {
  unitIds: string[];
  reason: 'no_desk' | 'escalated';
}

/** A tip the resident said is happening now: its card is marked so and sent before any other waiting card. */
export function isHappeningNow(report: Pick<ReportDoc, 'kind' | 'occurred'>): boolean {
  return report.kind === 'tip' && report.occurred.kind === 'now';
}
