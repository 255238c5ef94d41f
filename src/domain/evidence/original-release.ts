import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { EvidenceRecord } from '../../core/report';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { ReportRepository } from '../../storage/report-repository';
import { parseReceiptCode } from '../reports/receipt-code';
import type { AdminActor, UnitAdminService } from '../units/unit-admin-service';

export type ReleaseResult =
  | { kind: 'released'; code: string; n: number; original: EvidenceRecord }
  | { kind: 'bad_request' | 'not_found' | 'not_admin' | 'no_file' | 'no_original' };

/**
 * The untouched original of a cleaned photo (its metadata may place the
 * reporter's home), released only to an admin of a unit holding the case,
 * one file at a time, each release (and each refused attempt) audited.
 */
export class OriginalRelease {
  constructor(
    private readonly reports: Pick<ReportRepository, 'byCode'>,
    private readonly unitAdmin: Pick<UnitAdminService, 'manages'>,
    private readonly audit: Model<AuditEntryDoc>,
  ) {}

  /** /banggoc <mã> <số>: the n-th evidence file's original. */
  async release(admin: AdminActor, args: string, now: Date): Promise<ReleaseResult> {
    const [typed, number] = args.trim().split(/\s+/);
    const code = typed ? parseReceiptCode(typed) : null;
    const n = Number(number);
    if (!code || !Number.isInteger(n) || n < 1) return { kind: 'bad_request' };
    const report = await this.reports.byCode(code);
    if (!report) return { kind: 'not_found' };
    const file = report.evidence[n - 1];
    const allowed = this.unitAdmin.manages(admin, report.unitIds);
    await this.audit.create({
      _id: randomUUID(),
      reportId: report._id,
      unitId: report.unitIds[0] ?? '*',
      actor: { channel: admin.address.channel, userId: admin.telegramUserId ?? '', name: admin.name },
      action: allowed ? 'release_original' : 'refused_release_original',
      before: {},
      after: { file: n, sha256: file?.original?.sha256 ?? null },
      at: now,
    });
    if (!allowed) return { kind: 'not_admin' };
    if (!file) return { kind: 'no_file' };
    if (!file.original) return { kind: 'no_original' };
    const { id, sha256, size, mime } = file.original;
    const ext = mime === 'image/png' ? 'png' : mime.split('/')[1] ?? 'bin';
    return { kind: 'released', code: report.code, n, original: { id, sha256, size, mime, kind: 'photo', fileName: `original-${report.code}-${n}.${ext}`, platform: null } };
  }
}
