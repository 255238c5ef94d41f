import { randomUUID } from 'node:crypto';
import type { Catalog } from '../../../config/catalog';
import type { Translate } from '../../../i18n';
import { describeOccurred, describePlace } from '../../presenters/desk-card';
import type { EvidenceRecord, ReportDoc } from '../../../core/report';

/** A tip being written. Stored encrypted in the conversation state between messages. */
export interface TipDraft {
  id: string;
  category: string | null;
  description: string | null;
  location: ReportDoc['location'] | null;
  occurred: ReportDoc['occurred'] | null;
  evidence: EvidenceRecord[];
  evidenceDone: boolean;
  suspects: { text: string | null } | null;
  anonymous: boolean | null;
  contact: { phone: string; name: string | null } | null;
  /** Set while the resident edits one answer from the review. */
  editing: boolean;
}

export function newTipDraft(): TipDraft {
  return {
    id: randomUUID(),
    category: null,
    description: null,
    location: null,
    occurred: null,
    evidence: [],
    evidenceDone: false,
    suspects: null,
    anonymous: null,
    contact: null,
    editing: false,
  };
}

/** The review a resident reads before sending. */
export function summarizeTip(draft: TipDraft, t: Translate, catalog: Catalog): string {
  const none = t('review.none');
  const lines = [
    t('review.title'),
    `${t('review.category')}: ${draft.category ? t(`category.${draft.category}`) : none}`,
    `${t('review.description')}: ${draft.description ?? none}`,
    `${t('review.place')}: ${draft.location ? describePlace({ location: draft.location }, catalog, t) : none}`,
    `${t('review.occurred')}: ${draft.occurred ? describeOccurred({ occurred: draft.occurred }, t) : none}`,
    `${t('review.evidence')}: ${draft.evidence.length > 0 ? t('review.files', { count: draft.evidence.length }) : none}`,
    `${t('review.suspects')}: ${draft.suspects?.text ?? none}`,
    `${t('review.identity')}: ${draft.anonymous === false && draft.contact ? (draft.contact.name ? t('review.named_with_name', { name: draft.contact.name, phone: draft.contact.phone }) : t('review.named', { phone: draft.contact.phone })) : t('review.anonymous')}`,
  ];
  return lines.join('\n');
}
