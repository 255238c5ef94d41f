import type { DisputeIntake } from '../../../domain/mediation/dispute-intake';
import type { MediationRegister } from '../../../domain/mediation/mediation-register';
import type { MediationService } from '../../../domain/mediation/mediation-service';
import type { TriageService } from '../../../domain/triage/triage-service';

/** What the grassroots mediation feature (requests, the team's card buttons, the register) uses. */
export interface MediationDeps {
  mediation: Pick<MediationService, 'apply' | 'openUnsettledMenu' | 'mediatorsOf' | 'declareConflict'>;
  register: Pick<MediationRegister, 'export'>;
  triage: Pick<TriageService, 'authorize'>;
  intake: DisputeIntake;
  /** A dispute was filed: deliver it to its team's desks now. */
  onFiled(): void;
}
