import { randomUUID } from 'node:crypto';
import type { TipSubmission } from '../../src/domain/reports/report-service';

/** A complete, valid tip as the tip flow submits it (a named fraud tip in Phường 4); override what a spec is about. */
export function tipSubmission(overrides: Partial<TipSubmission> = {}): TipSubmission {
  return {
    submissionKey: randomUUID(),
    category: 'fraud',
    description: 'Giả danh nhân viên ngân hàng gọi điện đòi mã OTP.',
    location: { kind: 'ward', wardId: 'q3-p4', address: null, lat: null, lon: null },
    occurred: { kind: 'today', text: null },
    evidence: [],
    suspectsText: 'SĐT 0987 654 321, STK 0123456789',
    anonymous: false,
    contact: { phone: '0912345678', name: 'Nguyễn Thị Lan' },
    residentKey: 'resident-key-1',
    channel: 'telegram',
    lang: 'vi',
    ...overrides,
  };
}
