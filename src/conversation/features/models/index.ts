import { feature, type Feature } from '../../registry/command';
import { activityCommand } from './activity-command';
import { createActivityFlow } from './activity-flow';
import type { ModelsDeps } from './deps';
import { leaderCommand } from './leader-command';
import { commendButton, modelButton } from './model-button';
import { commendCommand } from './commend-command';
import { createCommendFlow } from './commend-flow';
import { createModelCreateFlow } from './model-create-flow';
import { createModelDissolveFlow, createModelRenameFlow, createModelSizeFlow } from './model-edit-flows';
import { modelsCommand } from './models-command';

export type { ModelsDeps };

/** Neighbourhood self-management models: unit admins create them and invite leaders; leaders record what their model did. */
export function modelsFeature(deps: ModelsDeps): Feature {
  return feature(deps, {
    commands: [modelsCommand, leaderCommand, activityCommand, commendCommand],
    buttons: [modelButton, commendButton],
    flows: [createModelCreateFlow(deps.models, deps.startLink), createModelDissolveFlow(deps.models),  createModelSizeFlow(deps.models), createModelRenameFlow(deps.models), createActivityFlow(deps.models), createCommendFlow(deps.commendations, deps.translate)],
  });
}
