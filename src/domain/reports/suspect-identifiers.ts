/**
 * Pulls identifiers out of what a resident typed about suspects, in one
 * normalized form each, so officers can search and link tips.
 */
export interface SuspectIdentifier {
  type: 'phone' | 'bank_account' | 'url' | 'plate';
  value: string;
}

const urlPattern = /\b(?:https?:\/\/|www\.)[^\s<>"]+|\b(?:facebook|fb|zalo|t)\.(?:com|me)\/[^\s<>"]+/gi;
const platePattern = /\b(\d{2}[A-Z]{1,2}\d?)[\s-]?(\d{3})\.?(\d{2})\b|\b(\d{2}[A-Z]{1,2}\d?)[\s-]?(\d{4})\b/gi;
const digitRunPattern = /\+?\d[\d .-]{6,}\d/g;

export function extractSuspectIdentifiers(text: string): SuspectIdentifier[] {
  const found: SuspectIdentifier[] = [];
  const seen = new Set<string>();
  const add = (type: SuspectIdentifier['type'], value: string): void => {
    const id = `${type}:${value}`;
    if (!seen.has(id)) {
      seen.add(id);
      found.push({ type, value });
    }
  };

  let rest = text.replace(urlPattern, (url) => {
    // Punctuation that ends the sentence is not part of the link.
    add('url', url.replace(/[.,;:!?)\]]+$/, '').replace(/^https?:\/\//i, '').replace(/\/+$/, '').toLowerCase());
    return ' ';
  });
  rest = rest.replace(platePattern, (_m, a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined, e: string | undefined) => {
    add('plate', a ? `${a}-${b}.${c}`.toUpperCase() : `${d}-${e}`.toUpperCase());
    return ' ';
  });
  for (const run of rest.match(digitRunPattern) ?? []) {
    const digits = run.replace(/\D/g, '');
    const phone = normalizeVietnamesePhone(run);
    if (phone) add('phone', phone);
    else if (digits.length >= 6 && digits.length <= 19) add('bank_account', digits);
  }
  return found;
}

/** "+84 912 345 678", "84912345678", "0912.345.678" → "0912345678"; null if not a Vietnamese number. */
export function normalizeVietnamesePhone(typed: string): string | null {
  let digits = typed.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (digits.startsWith('84') && digits.length === 11) digits = `0${digits.slice(2)}`;
  return /^0[35789]\d{8}$/.test(digits) || /^02\d{9}$/.test(digits) ? digits : null;
}
