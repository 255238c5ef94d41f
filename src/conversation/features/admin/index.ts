import { feature, type Feature } from '../../registry/command';
import { coverageCommand } from './coverage-command';
import type { AdminDeps } from './deps';
import { unitsCommand } from './units-command';

export type { AdminDeps };

/** Unit and system admins: units with their desk codes, and what each unit covers. */
export function adminFeature(deps: AdminDeps): Feature {
  return feature(deps, { commands: [unitsCommand, coverageCommand] });
}
