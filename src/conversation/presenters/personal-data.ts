import type { Catalog } from '../../config/catalog';
import type { OutboundMessage } from '../../core/chat';
import type { PersonalData } from '../../domain/residents/resident-service';
import type { Translate } from '../../i18n';
import { clip } from '../../shared/text';
import { formatVietnamTime } from '../../shared/vietnam-time';
import { caseCategory } from './case-words';
import { describeOccurred, describePlace } from './desk-card';

const MAX_TEXT = 500;

/**
 * /dulieucuatoi: what the service keeps about the resident, in their words
 * and ours: consent, language, channel, subscription, and each case they
 * filed with what they wrote (long texts shortened). One message per case,
 * so none runs over a platform's length limit.
 */
export function personalDataMessages(t: Translate, catalog: Catalog, data: PersonalData | null, subscription: { wardId: string; topics: string[] } | null): OutboundMessage[] {
  if (!data) return [{ text: t('mydata.nothing') }];
  const head = [
    t('mydata.title'),
    t('mydata.consent', { at: formatVietnamTime(data.consentAt, 'vi'), version: data.consentVersion }),
    t('mydata.language', { lang: data.lang }),
    t('mydata.channel', { channel: t(`channel.${data.channel}`) }),
    subscription
      ? t('mydata.subscription', { ward: catalog.wardById(subscription.wardId)?.name ?? subscription.wardId, topics: subscription.topics.map((topic) => t(`campaign_topic.${topic}`)).join(', ') })
      : t('mydata.no_subscription'),
    data.cases.length > 0 ? t('mydata.cases', { count: data.cases.length }) : t('mydata.no_cases'),
  ];
  const cases = data.cases.map(({ report, contact, parties }) => {
    const lines = [
      t('mydata.case_title', { code: report.code, at: formatVietnamTime(report.createdAt, 'vi'), status: t(`status.${report.status}`) }),
      t('mydata.case_category', { category: caseCategory(t, report.kind, report.category) }),
      t('mydata.case_description', { text: clip(report.description, MAX_TEXT) }),
      t('mydata.case_place', { place: describePlace(report, catalog, t) }),
    ];
    if (report.kind === 'tip') lines.push(t('mydata.case_occurred', { when: describeOccurred(report, t) }));
    if (report.suspects.text) lines.push(t('mydata.case_suspects', { text: clip(report.suspects.text, MAX_TEXT) }));
    if (report.evidence.length > 0) lines.push(t('mydata.case_files', { count: report.evidence.length }));
    lines.push(report.anonymous || !contact ? t('mydata.case_anonymous') : t('mydata.case_contact', { phone: contact.phone, name: contact.name ?? '' }));
    if (parties) lines.push(t('mydata.case_parties', { name: parties.requester.name, address: parties.requester.address, phone: parties.requester.phone, other: parties.otherParty }));
    return { text: lines.join('\n') };
  });
  return [{ text: head.join('\n') }, ...cases, { text: t('mydata.footer') }];
}
