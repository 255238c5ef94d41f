import { feature, type Feature } from '../../registry/command';
import { coverageCommand } from './coverage-command';
import type { AdminDeps } from './deps';
import { unitsCommand } from './units-command';
import { originalCommand } from './original-command';

export type { AdminDeps };

/** Unit and system admins: units with their desk codes, what each unit covers, and photo originals for the chain of custody. */
export function adminFeature(deps: AdminDeps): Feature {
  return feature(deps, { commands: [unitsCommand, coverageCommand, originalCommand] });
}
