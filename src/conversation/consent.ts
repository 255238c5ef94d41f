import type { ResidentService } from '../domain/residents/resident-service';
import type { ConsentGate } from './flow-runner';
import { consentRequest } from './messages';

/** Consent is a resident record: made when the privacy notice is accepted, gone with /xoadulieu. */
export function residentConsent(residents: Pick<ResidentService, 'hasConsented'>, retentionMonths: number): ConsentGate {
  return {
    hasConsented: (key) => residents.hasConsented(key),
    request: (t) => consentRequest(t, retentionMonths),
  };
}
