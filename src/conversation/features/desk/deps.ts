import type { Catalog } from '../../../config/catalog';
import type { UnitDirectory } from '../../../config/units';
import type { FollowupService } from '../../../domain/followup/followup-service';
import type { DeadlineService } from '../../../domain/deadlines/deadline-service';
import type { DeskService } from '../../../domain/desks/desk-service';
import type { TriageService } from '../../../domain/triage/triage-service';

/** What the officers' desk feature (registering a desk, topics, triage buttons, deadlines) uses. */
export interface DeskDeps {
  catalog: Catalog;
  desks: Pick<DeskService, 'register' | 'bindTopic'>;
  units: UnitDirectory;
  triage: Pick<TriageService, 'handle' | 'authorize' | 'forward'>;
  followups: FollowupService;
  deadlines: Pick<DeadlineService, 'overdueList' | 'extend'>;
  /** A desk registered: deliver what waited for it. */
  /** A unit's desk registered: the cases waiting for that unit get their cards there. */
  onDeskRegistered(unitId: string): Promise<void>;
  /** Whether a web chat may become a desk (WEBCHAT_DESKS). */
  webchatDesks: boolean;
}
