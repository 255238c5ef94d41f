import path from 'node:path';
import { loadCatalog } from '../../src/config/catalog';
import { WardFinder, type WardPlace } from '../../src/config/ward-finder';
import { ROOT } from '../support/services';

const catalog = loadCatalog(path.join(ROOT, 'config'));

describe('a ward found inside a typed address', () => {
  it.each([
    ['hem 12 Tran Van Dang, phuong 4', 'q3-p4', 'hem 12 Tran Van Dang'],
    ['hẻm 12 Trần Văn Đang, phường 4', 'q3-p4', 'hẻm 12 Trần Văn Đang'],
    ['Chợ Bàn Cờ, phường 9', 'q3-p9', 'Chợ Bàn Cờ'],
    ['123 Nguyễn Đình Chiểu P4', 'q3-p4', '123 Nguyễn Đình Chiểu'],
    ['123 Nguyễn Đình Chiểu P.4', 'q3-p4', '123 Nguyễn Đình Chiểu'],
    ['123 Nguyễn Đình Chiểu p. 4, Quận 3', 'q3-p4', '123 Nguyễn Đình Chiểu, Quận 3'],
    ['45/2 Kỳ Đồng F9', 'q3-p9', '45/2 Kỳ Đồng'],
    ['quán cà phê góc Phường 04', 'q3-p4', 'quán cà phê góc'],
    ['ở P4', 'q3-p4', 'ở'],
    ['PHƯỜNG 14 - hẻm 30 Lê Văn Sỹ', 'q3-p14', 'hẻm 30 Lê Văn Sỹ'],
    ['số 7 Bà Huyện Thanh Quan, Phường Võ Thị Sáu', 'q3-vtsau', 'số 7 Bà Huyện Thanh Quan'],
    ['so 7 ba huyen thanh quan phuong vo thi sau', 'q3-vtsau', 'so 7 ba huyen thanh quan'],
    ['5 Trần Quốc Thảo, P. VTS', 'q3-vtsau', '5 Trần Quốc Thảo'],
    ['🙂 hẻm 5, P4', 'q3-p4', '🙂 hẻm 5'],
    ['Hem 5 Phuong 4'.normalize('NFD'), 'q3-p4', 'Hem 5'],
  ])('%s → %s, keeping "%s"', (typed, wardId, rest) => {
    const found = catalog.findWardIn(typed);
    expect(found?.ward.id).toBe(wardId);
    expect(found?.rest).toBe(rest);
  });

  it.each([
    ['12 Võ Thị Sáu', 'a street with a ward’s name, without the prefix'],
    ['P41 tầng 3', 'a longer number'],
    ['phường 4a', 'a number followed by a letter'],
    ['gần ranh phường 4 và phường 9', 'two different wards'],
    ['phòng 4, khách sạn Sài Gòn', 'a word that only starts like a prefix'],
    ['phường 7', 'a ward not in the list'],
    ['ấp 4, xã khác', 'another level'],
  ])('finds nothing in "%s" (%s)', (typed) => {
    expect(catalog.findWardIn(typed)).toBeUndefined();
  });

  it('reads the commune and township forms for rural wards', () => {
    const rural: WardPlace[] = [
      { id: 'bh', name: 'Xã Bình Hưng', aliases: [], boundary: null },
      { id: 'ct', name: 'Thị trấn Cần Thạnh', aliases: ['TT. CT'], boundary: null },
      { id: 'p2', name: 'Phường 2', aliases: [], boundary: null },
    ];
    const finder = new WardFinder(rural);
    expect(finder.findIn('ấp 3, xã Bình Hưng')?.ward.id).toBe('bh');
    expect(finder.findIn('ap 3 xa binh hung')?.ward.id).toBe('bh');
    expect(finder.findIn('đường Rừng Sác, thị trấn Cần Thạnh')?.ward.id).toBe('ct');
    expect(finder.findIn('duong Rung Sac, TT Can Thanh')?.ward.id).toBe('ct');
    expect(finder.findIn('chợ, TT. CT')?.ward.id).toBe('ct');
    // "Phường" is not the prefix of a commune.
    expect(finder.findIn('phường Bình Hưng')).toBeUndefined();
    expect(finder.named('binh hung')?.id).toBe('bh');
  });
});

describe('a ward named as the whole answer', () => {
  it.each(['phuong 4', 'Phường 4', 'PHUONG 4', 'p4', 'P.4', 'F4', '4', '04', 'ward 4'])('"%s" is Phường 4', (typed) => {
    expect(catalog.matchWard(typed)?.id).toBe('q3-p4');
  });

  it.each(['Phường Võ Thị Sáu', 'phuong vo thi sau', 'Võ Thị Sáu', 'VTS', 'P. VTS'])('"%s" is Phường Võ Thị Sáu', (typed) => {
    expect(catalog.matchWard(typed)?.id).toBe('q3-vtsau');
  });

  it.each(['phường 99', '', '   ', 'P41'])('"%s" is no ward', (typed) => {
    expect(catalog.matchWard(typed)).toBeUndefined();
  });
});

describe('a map pin', () => {
  it('inside a ward’s boundary is that ward', () => {
    expect(catalog.wardAt(10.7795, 106.682)?.id).toBe('q3-p9');
    expect(catalog.wardAt(10.772, 106.6825)?.id).toBe('q3-p4');
    expect(catalog.wardAt(10.785, 106.692)?.id).toBe('q3-vtsau');
  });

  it('outside every ward is no ward', () => {
    expect(catalog.wardAt(10.8231, 106.6297)).toBeUndefined(); // Tân Bình
    expect(catalog.wardAt(21.0285, 105.8542)).toBeUndefined(); // Hà Nội
    expect(catalog.wardAt(Number.NaN, 106.68)).toBeUndefined();
  });

  it('every sample ward has a boundary, and no two overlap at their centres', () => {
    for (const ward of catalog.wards) {
      expect(ward.boundary).not.toBeNull();
      const ring = ward.boundary?.coordinates[0] ?? [];
      const lon = ring.reduce((sum, p) => sum + p[0], 0) / ring.length;
      const lat = ring.reduce((sum, p) => sum + p[1], 0) / ring.length;
      if (ward.id !== 'q3-vtsau') expect(catalog.wardAt(lat, lon)?.id).toBe(ward.id);
    }
  });
});
