import { randomInt } from 'node:crypto';

/**
 * Receipt codes: a prefix ("TB-" for a tip, "HG-" for a dispute taken to
 * mediation) and six characters from an alphabet without the look-alikes
 * 0/O, 1/I/L, so a code read aloud or copied by hand stays right.
 * 31^6 ≈ 887 million codes per prefix; uniqueness is enforced by a unique index.
 */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export type ReceiptPrefix = 'TB' | 'HG';
const PREFIXES: ReceiptPrefix[] = ['TB', 'HG'];
const LENGTH = 6;

export type ReceiptGenerator = (prefix: ReceiptPrefix) => string;

/** Whether a code names a dispute (HG-) or a tip, as typed; null when it cannot be a code. */
export function caseKindOfCode(typed: string): 'tip' | 'dispute' | null {
  const code = parseReceiptCode(typed);
  return code ? (code.startsWith('HG') ? 'dispute' : 'tip') : null;
}

export const randomReceiptCode: ReceiptGenerator = (prefix) => {
  let body = '';
  for (let i = 0; i < LENGTH; i += 1) body += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return `${prefix}-${body}`;
};

/**
 * Reads a code as typed ("tb 7k3m9q", "TB7K3M9Q", "hg-7k3m9q"); six bare
 * characters are read as a tip's code. Null if it cannot be one.
 */
export function parseReceiptCode(typed: string): string | null {
  let compact = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  let prefix: ReceiptPrefix = 'TB';
  const given = PREFIXES.find((p) => compact.length === p.length + LENGTH && compact.startsWith(p));
  if (given) {
    prefix = given;
    compact = compact.slice(given.length);
  }
  if (compact.length !== LENGTH) return null;
  for (const char of compact) if (!RECEIPT_ALPHABET.includes(char)) return null;
  return `${prefix}-${compact}`;
}
