import { normalizeVietnamesePhone } from '../../domain/reports/suspect-identifiers';
import { cleanText } from '../../shared/text';
import type { StepInput } from '../flow';

const MAX_NAME = 100;

export type ContactAnswer = { kind: 'contact'; phone: string; name: string | null } | { kind: 'invalid'; reason: 'not_own' | 'bad_phone' };

/** A Vietnamese phone number written the ways people write one: "0912 345 678", "+84 912.345.678". */
const TYPED_PHONE = /(?:\+?84|0)[\d .-]{8,14}\d/;

/**
 * A phone number given by sharing one's own contact (Telegram's button) or
 * by typing it, with the name typed after or before it if any ("0912 345 678
 * Nguyễn Văn An"; else the platform's name for the sender, when it gives one);
 * a shared contact of someone else is refused.
 */
export function readContactAnswer(input: StepInput): ContactAnswer {
  if (input.kind === 'contact') {
    if (!input.isOwn) return { kind: 'invalid', reason: 'not_own' };
    const phone = normalizeVietnamesePhone(input.phone) ?? input.phone.replace(/[^\d+]/g, '');
    return { kind: 'contact', phone, name: input.name ? cleanText(input.name).slice(0, MAX_NAME) : null };
  }
  if (input.kind === 'text') {
    const typed = TYPED_PHONE.exec(input.text)?.[0] ?? input.text;
    const phone = normalizeVietnamesePhone(typed);
    if (!phone) return { kind: 'invalid', reason: 'bad_phone' };
    const rest = cleanText(input.text.replace(typed, ' ').replace(/[,;:()\-–]+/g, ' '));
    const name = /\p{L}{2}/u.test(rest) ? rest.slice(0, MAX_NAME) : input.senderName;
    return { kind: 'contact', phone, name };
  }
  return { kind: 'invalid', reason: 'bad_phone' };
}
