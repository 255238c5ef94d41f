import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { foldVietnamese } from '../../src/shared/text';
import { parseVietnamDateTime } from '../../src/shared/vietnam-time';
import { parsePeriod } from '../../src/shared/vietnam-period';
import { parseNameAndYear } from '../../src/conversation/features/mediation/dispute-draft';
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

describe('dates and names as people in Vietnam type them', () => {
  const now = new Date('2026-11-23T10:00:00Z');

  it('reads a session date and time in Vietnam time, with the place after it', () => {
    expect(parseVietnamDateTime('25/11/2026 19:00, Nhà văn hóa khu phố 3', now)).toEqual({ at: new Date('2026-11-25T12:00:00Z'), hasTime: true, rest: 'Nhà văn hóa khu phố 3' });
    expect(parseVietnamDateTime('25/11 19h30 tại UBND phường', now)?.at).toEqual(new Date('2026-11-25T12:30:00Z'));
    expect(parseVietnamDateTime('31/02/2026 10:00', now)).toBeNull();
    expect(parseVietnamDateTime('mai', now)).toBeNull();
  });

  it('takes a period for the register by Vietnam days, the end day included, this month by default', () => {
    expect(parsePeriod('01/11/2026 30/11/2026', now)).toEqual({ from: new Date('2026-10-31T17:00:00Z'), to: new Date('2026-11-30T17:00:00Z') });
    expect(parsePeriod('', now)).toEqual({ from: new Date('2026-10-31T17:00:00Z'), to: new Date('2026-11-23T17:00:00Z') });
    expect(parsePeriod('30/11/2026 01/11/2026', now)).toBeNull();
    expect(parsePeriod('{"$gt": ""}', now)).toBeNull();
  });

  it('splits a requester’s name from their year of birth', () => {
    expect(parseNameAndYear('Nguyễn Văn An, 1975', now)).toEqual({ name: 'Nguyễn Văn An', birthYear: 1975 });
    expect(parseNameAndYear('Vũ Đức Khoa', now)).toEqual({ name: 'Vũ Đức Khoa', birthYear: null });
    expect(parseNameAndYear('An 2099', now)).toBeNull();
    expect(parseNameAndYear('0912345678', now)).toBeNull();
  });
});
