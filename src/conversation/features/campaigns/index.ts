import { feature, type Feature } from '../../registry/command';
import { campaignCommand } from './campaign-command';
import type { CampaignDeps } from './deps';
import { groupCommand } from './group-command';
import { subscribeCommand } from './subscribe-command';
import { unsubscribeCommand } from './unsubscribe-command';
import { createCampaignFlow } from './campaign-flow';
import { createSubscribeFlow } from './subscribe-flow';

export type { CampaignDeps };

/** Prevention campaigns: residents subscribe, group admins register groups, admins write and run campaigns. */
export function campaignsFeature(deps: CampaignDeps): Feature {
  return feature(deps, {
    commands: [subscribeCommand, unsubscribeCommand, groupCommand, campaignCommand],
    flows: [createSubscribeFlow(deps.audience), createCampaignFlow(deps.campaigns, deps.evidence)],
  });
}
