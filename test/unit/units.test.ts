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

  it('never sends a tip to a mediation team, and sends disputes only to the mediation team of their ward', () => {
    for (const ward of ['q3-p4', 'q3-p9', null]) for (const category of ['theft_robbery', 'drugs']) expect(ids(ward, category).some((id) => id.startsWith('hg-'))).toBe(false);
    const teams = (ward: string, kind: string) => units.routeDispute(ward, kind).map((u) => u.id);
    expect(teams('q3-p5', 'noise')).toEqual(['hg-p4']);
    expect(teams('q3-p11', 'land')).toEqual(['hg-p9']);
    // A ward no team covers goes to the fallback unit, which passes it on.
    expect(teams('q3-vtsau', 'noise')).toEqual(['q3-duty']);
  });

  it('forwards tips only to units that take tips, and disputes only to mediation teams, even from the fallback unit', () => {
    expect(units.forwardTargets('dispute', 'hg-p4').map((u) => u.id)).toEqual(['hg-p9']);
    expect(units.forwardTargets('dispute', 'q3-duty').map((u) => u.id)).toEqual(['hg-p4', 'hg-p9']);
    expect(units.forwardTargets('tip', 'cap-p4').map((u) => u.id)).toEqual(['cap-p9', 'cap-vts', 'q3-drugs', 'q3-duty']);
  });

  it('refuses a configuration naming a ward that does not exist', () => {
    expect(() => loadUnits(path.join(ROOT, 'test', 'fixtures', 'bad-units'), catalog)).toThrow(/unknown ward q3-p99/);
  });
});
