import { RECEIPT_ALPHABET, parseReceiptCode, randomReceiptCode } from '../../src/domain/reports/receipt-code';
import { extractSuspectIdentifiers, normalizeVietnamesePhone } from '../../src/domain/reports/suspect-identifiers';

describe('receipt codes', () => {
  it('are "TB-" (a tip) or "HG-" (a dispute) and six characters without look-alikes (0/O, 1/I/L)', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(randomReceiptCode('TB')).toMatch(/^TB-[2-9A-HJKMNP-Z]{6}$/);
      expect(randomReceiptCode('HG')).toMatch(/^HG-[2-9A-HJKMNP-Z]{6}$/);
    }
    expect(RECEIPT_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('are read back however a resident types them', () => {
    expect(parseReceiptCode('tb-7k3m9q')).toBe('TB-7K3M9Q');
    expect(parseReceiptCode('TB 7K3M9Q')).toBe('TB-7K3M9Q');
    expect(parseReceiptCode('7k3m9q')).toBe('TB-7K3M9Q');
    expect(parseReceiptCode('hg 7k3m9q')).toBe('HG-7K3M9Q');
    expect(parseReceiptCode('XX-7K3M9Q')).toBeNull();
    expect(parseReceiptCode('TB-7K3M9')).toBeNull();
    expect(parseReceiptCode('TB-0OIL11')).toBeNull();
    expect(parseReceiptCode('{"$gt": ""}')).toBeNull();
  });
});

describe('suspect identifiers', () => {
  it('normalizes Vietnamese phone numbers to one form', () => {
    expect(normalizeVietnamesePhone('+84 912 345 678')).toBe('0912345678');
    expect(normalizeVietnamesePhone('0912.345.678')).toBe('0912345678');
    expect(normalizeVietnamesePhone('84912345678')).toBe('0912345678');
    expect(normalizeVietnamesePhone('12345')).toBeNull();
  });

  it('extracts phones, bank accounts, links and plates from free text', () => {
    const found = extractSuspectIdentifiers('Gọi từ 0987 654 321, bảo chuyển vào STK 1903 5555 8888 Techcombank, link https://fb.com/lua.dao/, xe 59X1-234.56');
    expect(found).toEqual(
      expect.arrayContaining([
        { type: 'phone', value: '0987654321' },
        { type: 'bank_account', value: '190355558888' },
        { type: 'url', value: 'fb.com/lua.dao' },
        { type: 'plate', value: '59X1-234.56' },
      ]),
    );
  });
});
