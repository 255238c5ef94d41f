import type { Model } from 'mongoose';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { ResidentDoc } from '../../storage/models/resident.model';
import type { ChatAddress } from '../../core/chat';
import type { Language } from '../../core/language';
import type { DisputeParties, ReportDoc } from '../../core/report';
import type { ReportRepository } from '../../storage/report-repository';
import { insertOrUpdate } from '../../storage/claims';

/** How many of a resident's cases /dulieucuatoi lists (newest first). */
export const MAX_CASES_SHOWN = 20;

/** What the service keeps about one resident (see ResidentService.personalData). */
export interface PersonalData {
  consentAt: Date;
  consentVersion: number;
  lang: string;
  channel: string;
  cases: { report: ReportDoc; contact: { phone: string; name: string | null } | null; parties: DisputeParties | null }[];
}

/** Bump when the privacy notice changes materially; residents are then asked again. */
export const CONSENT_VERSION = 1;

export interface Resident {
  key: string;
  lang: Language;
  consentAt: Date;
}

/**
 * Residents exist only from the moment they accept the privacy notice.
 * Their chat id is kept encrypted so the bot can reach them again (for
 * follow-ups), and /xoadulieu removes it and detaches their reports.
 */
const CONSENT_REMEMBERED_MS = 10 * 60_000;

export class ResidentService {
  /**
   * Residents this process saw consent lately, and when: the consent check
   * at the start and at the end of every flow reads nothing for them. Kept
   * ten minutes, so a /xoadulieu sent through another instance is honoured
   * here within that time (through this one, at once).
   */
  private readonly consented = new Map<string, number>();

  constructor(
    private readonly residents: Model<ResidentDoc>,
    private readonly reports: Pick<ReportRepository, 'disputesOf' | 'update' | 'detachResident' | 'filedBy'>,
    private readonly cipher: PiiCipher,
  ) {}

  async find(key: string): Promise<Resident | null> {
    const doc = await this.residents.findOne({ _id: key }).lean();
    if (!doc || doc.consentVersion !== CONSENT_VERSION) return null;
    return { key, lang: doc.lang as Language, consentAt: doc.consentAt };
  }

  /** Whether the resident accepted the current privacy notice. */
  async hasConsented(key: string): Promise<boolean> {
    const seen = this.consented.get(key);
    if (seen !== undefined && Date.now() - seen < CONSENT_REMEMBERED_MS) return true;
    const consented = Boolean(await this.find(key));
    if (consented) this.remember(key);
    return consented;
  }

  private remember(key: string): void {
    this.consented.delete(key);
    this.consented.set(key, Date.now());
    if (this.consented.size > 10_000) this.consented.delete(this.consented.keys().next().value ?? '');
  }

  async recordConsent(key: string, address: ChatAddress, lang: Language, now: Date): Promise<void> {
    const fields = {
      channel: address.channel,
      chatRefEnc: this.cipher.encrypt(JSON.stringify(address)),
      consentAt: now,
      consentVersion: CONSENT_VERSION,
      lang,
    };
    await insertOrUpdate(this.residents, { _id: key, ...fields, createdAt: now }, { $set: fields });
    this.remember(key);
  }

  async setLanguage(key: string, lang: Language): Promise<void> {
    await this.residents.updateOne({ _id: key }, { $set: { lang } });
  }

  /** Where to reach a resident again, decrypted; null if they never consented or asked to be forgotten. */
  async address(key: string): Promise<ChatAddress | null> {
    const doc = await this.residents.findOne({ _id: key }).lean();
    return doc ? (JSON.parse(this.cipher.decrypt(doc.chatRefEnc)) as ChatAddress) : null;
  }

  /**
   * Everything the service keeps about a resident, decrypted, for their own
   * eyes (/dulieucuatoi): their consent, language and channel, and the cases
   * they filed with what they wrote in them (the last MAX_CASES_SHOWN).
   * Null when the service keeps nothing (never consented, or forgotten).
   */
  async personalData(key: string): Promise<PersonalData | null> {
    const doc = await this.residents.findOne({ _id: key }).lean();
    if (!doc) return null;
    const cases = await this.reports.filedBy(key, MAX_CASES_SHOWN);
    return {
      consentAt: doc.consentAt,
      consentVersion: doc.consentVersion,
      lang: doc.lang,
      channel: doc.channel,
      cases: cases.map((report) => ({
        report,
        contact: report.reporter?.contactEnc ? (JSON.parse(this.cipher.decrypt(report.reporter.contactEnc)) as { phone: string; name: string | null }) : null,
        parties: report.dispute ? (JSON.parse(this.cipher.decrypt(report.dispute.partiesEnc)) as DisputeParties) : null,
      })),
    };
  }

  /** Deletes the resident's personal data and detaches it from their reports. Returns how many reports were detached. */
  async forget(key: string): Promise<number> {
    this.consented.delete(key);
    // A mediation case keeps the names and addresses its register needs (Law on Grassroots Mediation), but not the phone number.
    for (const report of await this.reports.disputesOf(key)) {
      if (!report.dispute) continue;
      const parties = JSON.parse(this.cipher.decrypt(report.dispute.partiesEnc)) as DisputeParties;
      parties.requester.phone = '';
      await this.reports.update(report._id, { $set: { 'dispute.partiesEnc': this.cipher.encrypt(JSON.stringify(parties)) } });
    }
    const detached = await this.reports.detachResident(key);
    await this.residents.deleteOne({ _id: key });
    return detached;
  }
}
