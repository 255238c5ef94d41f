import { feature, type Feature } from '../../registry/command';
import { statsCommand, type StatsDeps } from './stats-command';

export type { StatsDeps };

/** Period statistics (sơ kết) for desks and admins. */
export function statsFeature(deps: StatsDeps): Feature {
  return feature(deps, { commands: [statsCommand] });
}
