import { normalizeVietnamesePhone } from '../../domain/reports/suspect-identifiers';
import { cleanText } from '../../shared/text';
import type { StepInput } from '../flow';

const MAX_NAME = 100;

export type ContactAnswer = { kind: 'contact'; phone: string; name: string | null } | { kind: 'invalid'; reason: 'not_own' | 'bad_phone' };

/**
 * A phone number given by sharing one's own contact (Telegram's button) or
 * by typing it; a shared contact of someone else is refused.
 */
export function readContactAnswer(input: StepInput): ContactAnswer {
  if (input.kind === 'contact') {
    if (!input.isOwn) return { kind: 'invalid', reason: 'not_own' };
    const phone = normalizeVietnamesePhone(input.phone) ?? input.phone.replace(/[^\d+]/g, '');
    return { kind: 'contact', phone, name: input.name ? cleanText(input.name).slice(0, MAX_NAME) : null };
  }
  if (input.kind === 'text') {
    const phone = normalizeVietnamesePhone(input.text);
    return phone ? { kind: 'contact', phone, name: input.senderName } : { kind: 'invalid', reason: 'bad_phone' };
  }
  return { kind: 'invalid', reason: 'bad_phone' };
}
