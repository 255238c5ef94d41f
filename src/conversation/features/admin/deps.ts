import type { Catalog } from '../../../config/catalog';
import type { UnitAdminService } from '../../../domain/units/unit-admin-service';

/** What the unit admin feature uses. */
export interface AdminDeps {
  catalog: Catalog;
  unitAdmin: Pick<UnitAdminService, 'listUnits' | 'setCoverage'>;
}
