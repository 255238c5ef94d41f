import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { loadUnits } from '../../src/config/units';
import { ROOT } from '../support/services';

describe('routing tips to units (config/units.json)', () => {
  const catalog = loadCatalog(path.join(ROOT, 'config'));
  const units = loadUnits(path.join(ROOT, 'config'), catalog);
  const ids = (ward: string | null, category: string) => units.route(ward, category).map((u) => u.id);

  it('sends a tip to the ward police covering its ward', () => {
    expect(ids('q3-p4', 'theft_robbery')).toEqual(['cap-p4']);
    expect(ids('q3-p11', 'fraud')).toEqual(['cap-p9']);
  });

  it('adds units that cover the category everywhere', () => {
    expect(ids('q3-p4', 'drugs')).toEqual(['cap-p4', 'q3-drugs']);
  });

  it('sends a tip without a known ward to the units covering all wards, or the fallback', () => {
    expect(ids(null, 'drugs')).toEqual(['q3-drugs']);
    expect(ids(null, 'gambling')).toEqual(['q3-duty']);
  });

  it('copies urgent categories to the extra units configured for them', () => {
    expect(ids('q3-p9', 'political_security')).toEqual(['cap-p9', 'q3-duty']);
  });

  it('refuses a configuration naming a ward that does not exist', () => {
    expect(() => loadUnits(path.join(ROOT, 'test', 'fixtures', 'bad-units'), catalog)).toThrow(/unknown ward q3-p99/);
  });
});
