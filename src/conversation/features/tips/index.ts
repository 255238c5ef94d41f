import { feature, type Feature } from '../../registry/command';
import type { TipsDeps } from './deps';
import { followupButton, followupCommand } from './followup-command';
import { lookupCommand } from './lookup-command';
import { reportCommand } from './report-command';
import { createFollowupFlow } from './followup-flow';
import { createLookupFlow } from './lookup-flow';
import { createTipFlow } from './tip-flow';
import { createPassOnFlow } from './pass-on-flow';
import { passOnToOpenCase } from './pass-on-idle';

export type { TipsDeps };

/** Filing a tip, looking up where it stands, and adding to it later without revealing who one is. */
export function tipsFeature(deps: TipsDeps): Feature {
  return feature(deps, {
    commands: [reportCommand, lookupCommand, followupCommand],
    buttons: [followupButton],
    flows: [createTipFlow(deps), createLookupFlow(deps.reports), createFollowupFlow(deps), createPassOnFlow(deps.followups)],
    idle: [passOnToOpenCase],
  });
}
