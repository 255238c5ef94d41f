import { feature, type Feature } from '../../registry/command';
import { conflictCommand } from './conflict-command';
import type { MediationDeps } from './deps';
import { disputeCommand } from './dispute-command';
import { mediationAction } from './mediation-card-actions';
import { registerCommand } from './register-command';
import { createDisputeFlow } from './dispute-flow';
import { createMediationInputFlow } from './mediation-input-flow';

export type { MediationDeps };

/** Grassroots mediation: requests from residents, the team's buttons on a case, conflicts of interest, the register. */
export function mediationFeature(deps: MediationDeps): Feature {
  return feature(deps, {
    commands: [disputeCommand, registerCommand, conflictCommand],
    deskActions: [mediationAction],
    flows: [createDisputeFlow(deps), createMediationInputFlow(deps.mediation)],
  });
}
