import type { Catalog } from '../../../config/catalog';
import type { EvidenceStore } from '../../../domain/evidence/evidence-store';
import type { OriginalRelease } from '../../../domain/evidence/original-release';
import type { UnitAdminService } from '../../../domain/units/unit-admin-service';

/** What the unit admin feature uses. */
export interface AdminDeps {
  catalog: Catalog;
  unitAdmin: Pick<UnitAdminService, 'listUnits' | 'setCoverage'>;
  /** Originals of cleaned photos, released to unit admins only. */
  originals: Pick<OriginalRelease, 'release'>;
  evidence: Pick<EvidenceStore, 'attachment'>;
}
