import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { ChatAddress, OutboundMessage } from '../../core/chat';
import type { Period } from '../../shared/vietnam-period';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { ReportRepository } from '../../storage/report-repository';
import type { AdminActor } from '../units/unit-admin-service';
import type { ModelService } from './model-service';

/** A reporter as a commendation list shows them: never who they are, only their valuable tips' codes. */
export interface CommendableReporter {
  /** The latest of their valuable tips: what a commendation is addressed through. */
  reportId: string;
  codes: string[];
  valuable: number;
}

export interface CommendableModel {
  code: string;
  name: string;
  valuable: number;
}

export type CommendResult = 'sent' | 'not_allowed' | 'unreachable';

/** How many reporters and models a list shows. */
const TOP = 10;

/**
 * /khenthuong: for a unit and a period, the models and the reporters (by
 * receipt code) with the most valuable tips, and commendations sent to them
 * through the bot. A reporter's commendation goes through the durable
 * reporter notices, addressed by their tip: the admin never learns who they
 * are. A model's goes to each of its leaders. Every commendation is audited.
 */
export class Commendations {
  constructor(
    private readonly reports: Pick<ReportRepository, 'valuableTipsOf' | 'byId'>,
    private readonly models: Pick<ModelService, 'managedUnits' | 'byCode' | 'byId' | 'administers'>,
    private readonly notices: { enqueue(residentKey: string, messages: OutboundMessage[], key?: string): Promise<void> },
    private readonly send: (address: ChatAddress, messages: OutboundMessage[]) => Promise<unknown>,
    private readonly cipher: PiiCipher,
    private readonly audit: Model<AuditEntryDoc>,
  ) {}

  /** The admin's units' valuable tips of the period, by reporter and by model, most first (empty lists: not an admin, or none). */
  async ranking(admin: AdminActor, period: Period): Promise<{ reporters: CommendableReporter[]; models: CommendableModel[] }> {
    const unitIds = this.models.managedUnits(admin).map((u) => u.id);
    if (unitIds.length === 0) return { reporters: [], models: [] };
    const tips = await this.reports.valuableTipsOf(unitIds, period.from, period.to);
    const reporters = new Map<string, CommendableReporter>();
    const models = new Map<string, { id: string; name: string; valuable: number }>();
    for (const tip of tips) {
      // A reporter who used /xoadulieu can no longer be reached: not listed.
      if (tip.reporter) {
        const entry = reporters.get(tip.reporter.residentKey) ?? { reportId: tip._id, codes: [], valuable: 0 };
        entry.codes.push(tip.code);
        entry.valuable += 1;
        entry.reportId = tip._id;
        reporters.set(tip.reporter.residentKey, entry);
      }
      if (tip.model) {
        const entry = models.get(tip.model.id) ?? { id: tip.model.id, name: tip.model.name, valuable: 0 };
        entry.valuable += 1;
        models.set(tip.model.id, entry);
      }
    }
    const byMost = <T extends { valuable: number }>(list: T[]) => list.sort((a, b) => b.valuable - a.valuable).slice(0, TOP);
    const modelCodes = await Promise.all([...models.values()].map(async (m) => ({ ...m, code: (await this.modelCodeOf(m.id)) ?? '' })));
    return { reporters: byMost([...reporters.values()]), models: byMost(modelCodes.filter((m) => m.code !== '')).map(({ code, name, valuable }) => ({ code, name, valuable })) };
  }

  /**
   * Thanks the reporter of a tip through the bot, in their own language
   * (`message(lang)`), once per `key`. Only an admin of a unit holding the tip.
   */
  async commendReporter(admin: AdminActor, reportId: string, message: (lang: string, code: string) => OutboundMessage, key: string, now: Date): Promise<CommendResult> {
    const report = await this.reports.byId(reportId);
    const unitIds = this.models.managedUnits(admin).map((u) => u.id);
    if (!report || !report.unitIds.some((id) => unitIds.includes(id))) return 'not_allowed';
    if (!report.reporter) return 'unreachable';
    await this.notices.enqueue(report.reporter.residentKey, [message(report.lang, report.code)], `commend:${key}`);
    await this.record(admin, report.unitIds.find((id) => unitIds.includes(id)) ?? report.unitIds[0], 'commend_reporter', { code: report.code }, now);
    return 'sent';
  }

  /** Thanks a model's leaders through the bot. */
  async commendModel(admin: AdminActor, code: string, message: OutboundMessage, now: Date): Promise<CommendResult> {
    const model = await this.models.byCode(code);
    if (!model || !this.models.administers(admin, model)) return 'not_allowed';
    if (model.leaders.length === 0) return 'unreachable';
    for (const leader of model.leaders) await this.send(JSON.parse(this.cipher.decrypt(leader.addressEnc)) as ChatAddress, [message]);
    await this.record(admin, model.unitId, 'commend_model', { code: model.code, leaders: model.leaders.length }, now);
    return 'sent';
  }

  private async modelCodeOf(id: string): Promise<string | null> {
    return (await this.models.byId(id))?.code ?? null;
  }

  private async record(admin: AdminActor, unitId: string, action: string, after: Record<string, unknown>, at: Date): Promise<void> {
    await this.audit.create({ _id: randomUUID(), reportId: null, unitId, actor: { channel: admin.address.channel, userId: admin.telegramUserId ?? '', name: admin.name }, action, before: {}, after, at });
  }
}
