import type { ReportDoc } from '../core/report';
import type { PiiCipher } from '../shared/pii-cipher';

/**
 * What a resident wrote in a report, and where it happened, is stored
 * encrypted field by field: the description, the typed address and a map
 * pin, when it happened in their words, the suspects' description and
 * identifiers, and a dispute's story and agreement. A database dump shows
 * none of it. What statistics, routing and deadlines need stays plain:
 * kind, category, ward, units, statuses, dates, assessment, outcome.
 *
 * A report written so carries `sealed: true`; one from before (or seeded
 * plain by hand) is read as it is, and the re-encryption job seals it.
 */
export interface SealedFields {
  sealed?: boolean;
  location: ReportDoc['location'] & { pointEnc?: string | null };
}

/** The `$set` paths that hold sealed text. */
const SEALED_TEXT_PATHS = ['description', 'location.address', 'occurred.text', 'suspects.text', 'dispute.since', 'dispute.tried', 'dispute.desiredOutcome', 'dispute.agreement'] as const;

export class ReportSealing {
  constructor(private readonly cipher: Pick<PiiCipher, 'encrypt' | 'decrypt'>) {}

  /** The report as stored. */
  seal(report: ReportDoc): ReportDoc {
    const point = report.location.lat !== null && report.location.lon !== null ? JSON.stringify([report.location.lat, report.location.lon]) : null;
    const sealed: ReportDoc & SealedFields = {
      ...report,
      sealed: true,
      description: this.lock(report.description),
      location: { ...report.location, address: this.lockOrNull(report.location.address), lat: null, lon: null, pointEnc: point === null ? null : this.lock(point) },
      occurred: { ...report.occurred, text: this.lockOrNull(report.occurred.text) },
      suspects: { text: this.lockOrNull(report.suspects.text), identifiers: report.suspects.identifiers.map((i) => ({ type: i.type, value: this.lock(i.value) })) },
      dispute: report.dispute
        ? {
            ...report.dispute,
            since: this.lock(report.dispute.since),
            tried: this.lockOrNull(report.dispute.tried),
            desiredOutcome: this.lock(report.dispute.desiredOutcome),
            agreement: this.lockOrNull(report.dispute.agreement),
          }
        : null,
    };
    return sealed;
  }

  /** The report as the domain reads it; any projection of it (absent fields stay absent). */
  open<T extends Partial<ReportDoc>>(stored: T): T {
    const doc = stored as T & Partial<SealedFields>;
    if (!doc.sealed) return stored;
    const { sealed: _sealed, ...rest } = doc;
    const opened: Partial<ReportDoc> = { ...(rest as Partial<ReportDoc>) };
    if (typeof doc.description === 'string') opened.description = this.cipher.decrypt(doc.description);
    if (doc.location) {
      const { pointEnc, ...location } = doc.location;
      const [lat, lon] = pointEnc ? (JSON.parse(this.cipher.decrypt(pointEnc)) as [number, number]) : [location.lat, location.lon];
      opened.location = { ...location, address: this.openOrNull(location.address), lat, lon };
    }
    if (doc.occurred) opened.occurred = { ...doc.occurred, text: this.openOrNull(doc.occurred.text) };
    if (doc.suspects) opened.suspects = { text: this.openOrNull(doc.suspects.text), identifiers: doc.suspects.identifiers.map((i) => ({ type: i.type, value: this.cipher.decrypt(i.value) })) };
    if (doc.dispute) {
      const d = doc.dispute;
      opened.dispute = {
        ...d,
        since: this.cipher.decrypt(d.since),
        tried: this.openOrNull(d.tried),
        desiredOutcome: this.cipher.decrypt(d.desiredOutcome),
        agreement: this.openOrNull(d.agreement ?? null),
      };
    }
    return opened as T;
  }

  /**
   * A change's `$set`, with the sealed paths it sets encrypted. Only a
   * sealed report may be written so: the re-encryption job seals every
   * report before it serves (see key-rotation.ts).
   */
  sealSet(set: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(set).map(([path, value]) => [path, (SEALED_TEXT_PATHS as readonly string[]).includes(path) && typeof value === 'string' ? this.lock(value) : value]),
    );
  }

  private lock(text: string): string {
    return this.cipher.encrypt(text);
  }

  private lockOrNull(text: string | null): string | null {
    return text === null ? null : this.cipher.encrypt(text);
  }

  private openOrNull(text: string | null): string | null {
    return text === null ? null : this.cipher.decrypt(text);
  }
}
