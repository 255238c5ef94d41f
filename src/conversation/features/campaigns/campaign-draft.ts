import type { EvidenceRecord } from '../../../core/report';

/** One message of a campaign being written: its text, and the picture it is the caption of. */
export interface CampaignMessageDraft {
  text: string;
  image: EvidenceRecord | null;
}

export interface CampaignFlowDraft {
  /** A group admin's campaign goes only to the groups they registered. */
  mode: 'unit_admin' | 'group_admin';
  /** A unit admin's units (null: a system admin, every unit); the campaign belongs to them. */
  unitIds?: string[] | null;
  /** The wards this author may reach (null: every ward), offered as "all" and checked when typed. */
  wardScope?: string[] | null;
  authorId: string;
  chatId: string;
  topic: string | null;
  messages: CampaignMessageDraft[];
  /** A picture sent without a caption: the next text sent is its caption. */
  pendingImage?: EvidenceRecord | null;
  /** Pictures replaced while writing: removed from the store when the flow ends. */
  discardedImages?: string[];
  wards: string[];
  recipients: 'both' | 'residents' | 'groups';
  /** Groups only of self-management models of this kind (null: every registered group of the wards). */
  modelKind?: string | null;
  schedule: { kind: 'once'; at: string } | { kind: 'cron'; expression: string; until: string } | null;
  quiet: { startMin: number; endMin: number } | null;
  /** Set when changing an existing campaign (/chiendich <mã> sua): its id and what it says now, each offered to keep. */
  editing?: { id: string; messages: CampaignMessageDraft[]; wards: string[]; schedule: NonNullable<CampaignFlowDraft['schedule']>; quiet: CampaignFlowDraft['quiet'] } | null;
}
