import type { Catalog } from '../../../config/catalog';
import type { ModelService } from '../../../domain/models/model-service';

/** What the self-management models feature (/mohinh, /nhanmohinh, /hoatdong) uses. */
export interface ModelsDeps {
  models: ModelService;
  catalog: Catalog;
}
