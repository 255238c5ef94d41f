import { randomUUID } from 'node:crypto';
import type { Catalog } from '../../../config/catalog';
import type { Translate } from '../../../i18n';
import type { PartyAgreement } from '../../../core/report';

/** A dispute being written. Stored encrypted in the conversation state between messages. */
export interface DisputeDraft {
  id: string;
  kind: string | null;
  description: string | null;
  since: string | null;
  /** What was tried already; text null when the resident skipped. */
  tried: { text: string | null } | null;
  otherParty: string | null;
  otherPartyAgrees: PartyAgreement | null;
  wardId: string | null;
  address: string | null;
  phone: string | null;
  name: string | null;
  birthYear: number | null;
  desiredOutcome: string | null;
  editing: boolean;
}

export function newDisputeDraft(): DisputeDraft {
  return {
    id: randomUUID(),
    kind: null,
    description: null,
    since: null,
    tried: null,
    otherParty: null,
    otherPartyAgrees: null,
    wardId: null,
    address: null,
    phone: null,
    name: null,
    birthYear: null,
    desiredOutcome: null,
    editing: false,
  };
}

/** "Nguyễn Văn An, 1975" → name and year of birth (the year is optional). */
export function parseNameAndYear(text: string, now: Date): { name: string; birthYear: number | null } | null {
  const year = /(?:^|[\s,;(])((?:19|20)\d{2})\)?\s*$/.exec(text);
  const birthYear = year ? Number(year[1]) : null;
  const name = (year ? text.slice(0, year.index) : text).replace(/[\s,;(-]+$/, '').trim();
  if (name.length < 2 || name.length > 100 || /\d/.test(name)) return null;
  if (birthYear !== null && (birthYear < 1900 || birthYear > now.getUTCFullYear())) return null;
  return { name, birthYear };
}

/** The review a requester reads before sending. */
export function summarizeDispute(draft: DisputeDraft, t: Translate, catalog: Catalog): string {
  const none = t('review.none');
  const ward = draft.wardId ? catalog.wardById(draft.wardId)?.name : null;
  return [
    t('dispute.review.title'),
    `${t('dispute.review.kind')}: ${draft.kind ? t(`dispute_kind.${draft.kind}`) : none}`,
    `${t('dispute.review.description')}: ${draft.description ?? none}`,
    `${t('dispute.review.since')}: ${draft.since ?? none}`,
    `${t('dispute.review.tried')}: ${draft.tried?.text ?? none}`,
    `${t('dispute.review.other_party')}: ${draft.otherParty ?? none}`,
    `${t('dispute.review.other_agrees')}: ${draft.otherPartyAgrees ? t(`dispute.agrees.${draft.otherPartyAgrees}`) : none}`,
    `${t('dispute.review.place')}: ${[draft.address, ward].filter(Boolean).join(', ') || none}`,
    `${t('dispute.review.requester')}: ${draft.name ?? none}${draft.birthYear ? ` (${draft.birthYear})` : ''}, ${draft.phone ?? none}`,
    `${t('dispute.review.desired')}: ${draft.desiredOutcome ?? none}`,
  ].join('\n');
}
