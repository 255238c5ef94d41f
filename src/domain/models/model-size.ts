import { foldVietnamese } from '../../shared/text';

/** "45 hộ, 160 người", "45 160", "45": households and members as typed; null when the answer names no number. */
export function parseModelSize(text: string): { households: number | null; members: number | null } | null {
  const folded = foldVietnamese(text);
  const households = /(\d{1,6})\s*(?:ho|households?|can)\b/.exec(folded)?.[1];
  const members = /(\d{1,6})\s*(?:nguoi|nhan khau|people|persons?|members?)\b/.exec(folded)?.[1];
  if (households || members) return { households: households ? Number(households) : null, members: members ? Number(members) : null };
  const numbers = folded.match(/\d{1,6}/g) ?? [];
  if (numbers.length === 0 || numbers.length > 2) return null;
  return { households: Number(numbers[0]), members: numbers[1] !== undefined ? Number(numbers[1]) : null };
}
