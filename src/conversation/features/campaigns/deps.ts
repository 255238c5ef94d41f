import type { Catalog } from '../../../config/catalog';
import type { ChatAddress } from '../../../core/chat';
import type { Audience } from '../../../domain/campaigns/audience';
import type { CampaignService } from '../../../domain/campaigns/campaign-service';
import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import type { ModelService } from '../../../domain/models/model-service';

/** What the prevention campaigns feature (subscriptions, groups, campaigns) uses. */
export interface CampaignDeps {
  catalog: Catalog;
  audience: Pick<Audience, 'subscribe' | 'unsubscribe' | 'registerGroup'>;
  campaigns: Pick<CampaignService, 'roleOf' | 'wardsOf' | 'list' | 'command' | 'editable' | 'create' | 'update'>;
  /** Where campaign pictures are kept. */
  evidence: EvidenceStore;
  /** True when the user administers the group chat (asked of the platform). */
  isChatAdmin(address: ChatAddress, userId: string): Promise<boolean>;
  /** /nhom <mã mô hình>: the self-management model a group is registered for. */
  models: Pick<ModelService, 'byCode'>;
}
