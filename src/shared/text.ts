/**
 * Folds Vietnamese text for matching: residents often type without
 * diacritics ("phuong 4") or with a different Unicode composition, so every
 * comparison of typed text against a known name goes through this.
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Collapses whitespace and strips control characters a resident cannot have meant. */
export function cleanText(input: string): string {
  return input
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/** Text shortened to at most `max` characters, with "…" where it was cut (quotes of what someone wrote, in a card or a list). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
