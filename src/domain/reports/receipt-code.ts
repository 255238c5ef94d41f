import { randomInt } from 'node:crypto';

/**
 * Receipt codes: "TB-" and six characters from an alphabet without the look-
 * alikes 0/O, 1/I/L, so a code read aloud or copied by hand stays right.
 * 31^6 ≈ 887 million codes; uniqueness is enforced by a unique index.
 */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const PREFIX = 'TB';
const LENGTH = 6;

export type ReceiptGenerator = () => string;

export const randomReceiptCode: ReceiptGenerator = () => {
  let body = '';
  for (let i = 0; i < LENGTH; i += 1) body += RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)];
  return `${PREFIX}-${body}`;
};

/** Reads a code as typed ("tb 7k3m9q", "TB7K3M9Q", "7k3m9q"); null if it cannot be one. */
export function parseReceiptCode(typed: string): string | null {
  let compact = typed.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length === PREFIX.length + LENGTH && compact.startsWith(PREFIX)) compact = compact.slice(PREFIX.length);
  if (compact.length !== LENGTH) return null;
  for (const char of compact) if (!RECEIPT_ALPHABET.includes(char)) return null;
  return `${PREFIX}-${compact}`;
}
