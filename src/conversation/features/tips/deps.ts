import type { ChatAddress } from '../../../core/chat';
import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import type { FollowupService } from '../../../domain/followup/followup-service';
import type { ReportService } from '../../../domain/reports/report-service';

/** What the tips feature (filing, looking up and adding to a tip) uses. */
export interface TipsDeps {
  reports: ReportService;
  followups: FollowupService;
  evidence: EvidenceStore;
  /** A tip was filed: deliver it to its desks now. */
  onTipFiled(): void;
  /** The pseudonymous key of a chat. */
  keyOf(address: ChatAddress): string;
  /** The self-management model whose link brought this resident, if any: their tips carry it. */
  modelOf(residentKey: string): Promise<{ id: string; name: string } | null>;
}
