import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { foldVietnamese } from '../../src/shared/text';
import { ROOT } from '../support/services';

describe('Vietnamese typed with or without diacritics', () => {
  it('folds diacritics, đ and case, and collapses spaces', () => {
    expect(foldVietnamese('  Phường   Võ Thị Sáu ')).toBe('phuong vo thi sau');
    expect(foldVietnamese('ĐÁNH BẠC')).toBe('danh bac');
    // The same word in decomposed Unicode (as some keyboards send it) folds the same way.
    expect(foldVietnamese('Lừa đảo'.normalize('NFD'))).toBe(foldVietnamese('Lừa đảo'));
  });
});

describe('the catalog in config/', () => {
  const catalog = loadCatalog(path.join(ROOT, 'config'));

  it('maps every category to a reporting group used in statistics', () => {
    expect(catalog.categories.map((c) => c.id)).toEqual(
      expect.arrayContaining(['drugs', 'theft_robbery', 'fraud', 'gambling', 'loan_sharking', 'public_disorder', 'prostitution', 'smuggling_counterfeit', 'political_security', 'traffic', 'other']),
    );
    for (const category of catalog.categories) expect(catalog.groups).toContain(category.group);
  });

  it('matches "phuong 4", "Phường 4", "P4" and "4" to the same ward, and nothing else', () => {
    for (const typed of ['phuong 4', 'Phường 4', 'PHUONG 4', 'p4', '4']) expect(catalog.matchWard(typed)?.id).toBe('q3-p4');
    expect(catalog.matchWard('phường vo thi sau')?.id).toBe('q3-vtsau');
    expect(catalog.matchWard('phường 99')).toBeUndefined();
    expect(catalog.matchWard('')).toBeUndefined();
  });

  it('matches categories by keywords without diacritics', () => {
    expect(catalog.matchCategory('lua dao')?.id).toBe('fraud');
    expect(catalog.matchCategory('Ma Túy')?.id).toBe('drugs');
    expect(catalog.matchCategory('something else')).toBeUndefined();
  });
});
