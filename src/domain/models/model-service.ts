import { randomInt, randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Unit } from '../../config/units';
import type { ChatAddress } from '../../core/chat';
import type { PiiCipher } from '../../shared/pii-cipher';
import { insertOnce } from '../../storage/claims';
import type { AuditEntryDoc } from '../../storage/models/audit-log.model';
import type { CommunityModelDoc } from '../../storage/models/community-model.model';
import type { LeaseDoc } from '../../storage/models/lease.model';
import type { BroadcastGroupDoc } from '../../storage/models/broadcast-group.model';
import type { ModelActivity, ModelActivityDoc } from '../../storage/models/model-activity.model';
import type { ModelMemberDoc } from '../../storage/models/model-member.model';
import type { AdminActor } from '../units/unit-admin-service';
import { addActivity, noActivity, type ActivityTotals } from './activity-totals';

/** What a unit admin fills in to create a model (/mohinh). */
export type NewModel = Pick<CommunityModelDoc, 'unitId' | 'wardId' | 'area' | 'kind' | 'name' | 'households' | 'members'>;

/** Someone acting on a model from a chat: a leader (by the chat's pseudonym) or an admin. */
export interface ModelActor {
  key: string;
  address: ChatAddress;
  name: string | null;
}

/** Who changes a model: its unit's admin, or one of its leaders (by the chat's pseudonym). */
export interface ModelEditor {
  admin: AdminActor;
  leaderKey: string;
}

export type InviteAnswer = { result: 'accepted'; model: CommunityModelDoc } | { result: 'invalid' | 'already_leader' };

export interface ModelServiceModels {
  communityModels: Model<CommunityModelDoc>;
  modelMembers: Model<ModelMemberDoc>;
  modelActivities: Model<ModelActivityDoc>;
  leases: Model<LeaseDoc>;
  auditLog: Model<AuditEntryDoc>;
  /** The model's registered chat groups (/nhom <mã mô hình>), counted on its card. */
  broadcastGroups: Model<BroadcastGroupDoc>;
}

/** Letters of a model's join code and a leader's invite: no 0/O, 1/I/L, read out over the phone without doubt. */
const CODE_LETTERS = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const INVITE_DAYS = 7;
/** A model's join code: `MH` and six letters (`MH-7K3M9Q` typed with or without the dash, in any case). */
const MODEL_CODE = /^MH-?([A-Z2-9]{6})$/i;

function randomCode(length: number): string {
  return Array.from({ length }, () => CODE_LETTERS[randomInt(CODE_LETTERS.length)]).join('');
}

/** The stored form of a typed join code, or null when it is not one. */
export function parseModelCode(typed: string): string | null {
  const match = MODEL_CODE.exec(typed.trim());
  return match ? `MH-${match[1].toUpperCase()}` : null;
}

/**
 * Self-management models (mô hình tự quản) of a unit's wards: unit admins
 * create them and invite their leaders, leaders record what the model did,
 * and residents who come through a model's link are counted under it. Every
 * change is audited.
 */
export class ModelService {
  constructor(
    private readonly models: ModelServiceModels,
    private readonly unitsManagedBy: (admin: AdminActor) => Unit[],
    private readonly cipher: PiiCipher,
    /** Tips that carry a model, and of those judged valuable. */
    private readonly tipsOf: (modelId: string) => Promise<{ tips: number; valuable: number }>,
  ) {}

  /** The units whose models this admin may create and change (empty: not an admin). */
  managedUnits(admin: AdminActor): Unit[] {
    return this.unitsManagedBy(admin);
  }

  async create(admin: AdminActor, input: NewModel, now: Date): Promise<CommunityModelDoc | null> {
    if (!this.managedUnits(admin).some((u) => u.id === input.unitId)) return null;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const doc: CommunityModelDoc = { _id: randomUUID(), code: `MH-${randomCode(6)}`, ...input, leaders: [], invite: null, status: 'active', dissolved: null, createdAt: now, updatedAt: now };
      // The code is unique (index): a clash with another model's draws again.
      if (await insertOnce(this.models.communityModels, doc)) {
        await this.audit(doc, adminAudit(admin), 'model_created', {}, { ...input, code: doc.code }, now);
        return doc;
      }
    }
    throw new Error('Could not draw a free model code');
  }

  /** The models of the units this admin manages, and those this chat leads; dissolved ones last. */
  async visibleTo(admin: AdminActor, leaderKey: string): Promise<CommunityModelDoc[]> {
    const unitIds = this.managedUnits(admin).map((u) => u.id);
    const docs = await this.models.communityModels.find({ $or: [{ unitId: { $in: unitIds } }, { 'leaders.key': leaderKey }] }).lean();
    return docs.sort((a, b) => Number(a.status === 'dissolved') - Number(b.status === 'dissolved') || a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** The models this chat leads and that still work. */
  async ledBy(leaderKey: string): Promise<CommunityModelDoc[]> {
    return (await this.models.communityModels.find({ 'leaders.key': leaderKey }).lean()).filter((m) => m.status !== 'dissolved');
  }

  async byCode(typed: string): Promise<CommunityModelDoc | null> {
    const code = parseModelCode(typed);
    return code ? this.models.communityModels.findOne({ code }).lean() : null;
  }

  async byId(id: string): Promise<CommunityModelDoc | null> {
    return this.models.communityModels.findById(id).lean();
  }

  /** Whether this admin manages the model's unit. */
  administers(admin: AdminActor, model: Pick<CommunityModelDoc, 'unitId'>): boolean {
    return this.managedUnits(admin).some((u) => u.id === model.unitId);
  }

  /**
   * A one-time code the named leader sends the bot (/nhanmohinh <code>),
   * valid for seven days; a new invite replaces one not used yet. Only its
   * keyed hash is kept.
   */
  async invite(admin: AdminActor, modelId: string, now: Date): Promise<string | null> {
    const model = await this.byId(modelId);
    if (!model || model.status === 'dissolved' || !this.administers(admin, model)) return null;
    const code = `LD-${randomCode(8)}`;
    const invite = { hash: this.inviteHash(code), expiresAt: new Date(now.getTime() + INVITE_DAYS * 24 * 3_600_000) };
    await this.models.communityModels.updateOne({ _id: model._id }, { $set: { invite, updatedAt: now } });
    await this.audit(model, adminAudit(admin), 'model_leader_invited', {}, { expiresAt: invite.expiresAt }, now);
    return code;
  }

  /** /nhanmohinh <code>: the chat that sends a valid invite becomes a leader of its model; the code works once. */
  async acceptInvite(typed: string, leader: ModelActor, now: Date): Promise<InviteAnswer> {
    const hash = this.inviteHash(typed.trim().toUpperCase());
    const model = await this.models.communityModels.findOne({ 'invite.hash': hash }).lean();
    if (!model?.invite || model.invite.expiresAt <= now || model.status === 'dissolved') return { result: 'invalid' };
    if (model.leaders.some((l) => l.key === leader.key)) return { result: 'already_leader' };
    // Used once, even by two chats sending it at the same moment: only the first insert of its lease wins.
    if (!(await insertOnce(this.models.leases, { _id: `model-invite:${hash}`, expiresAt: model.invite.expiresAt }))) return { result: 'invalid' };
    const entry = { key: leader.key, addressEnc: this.cipher.encrypt(JSON.stringify(leader.address)), name: leader.name, since: now };
    await this.models.communityModels.updateOne({ _id: model._id }, { $set: { invite: null, updatedAt: now }, $push: { leaders: entry } });
    await this.audit(model, leaderAudit(leader), 'model_leader_joined', {}, { name: leader.name }, now);
    return { result: 'accepted', model: { ...model, invite: null, leaders: [...model.leaders, entry] } };
  }

  /** Households and members, as the admin or a leader counts them now. */
  setSize(editor: ModelEditor, modelId: string, size: { households: number | null; members: number | null }, now: Date): Promise<boolean> {
    return this.change(editor, modelId, size, 'model_size_set', now);
  }

  /** A new name (the group renamed itself, a typo), by the admin or a leader. */
  rename(editor: ModelEditor, modelId: string, name: string, now: Date): Promise<boolean> {
    return this.change(editor, modelId, { name }, 'model_renamed', now);
  }

  private async change(editor: ModelEditor, modelId: string, fields: Partial<Pick<CommunityModelDoc, 'name' | 'households' | 'members'>>, action: string, now: Date): Promise<boolean> {
    const model = await this.byId(modelId);
    if (!model || model.status === 'dissolved' || !this.mayEdit(editor, model)) return false;
    await this.models.communityModels.updateOne({ _id: model._id }, { $set: { ...fields, updatedAt: now } });
    const before = Object.fromEntries(Object.keys(fields).map((key) => [key, model[key as keyof typeof fields]]));
    await this.audit(model, { channel: editor.admin.address.channel, userId: editor.admin.telegramUserId ?? editor.leaderKey, name: editor.admin.name }, action, before, fields, now);
    return true;
  }

  /** Dissolved (thanh loại) with a reason: its link no longer counts residents, its leaders record nothing more. Its figures stay. */
  async dissolve(admin: AdminActor, modelId: string, reason: string, now: Date): Promise<CommunityModelDoc | null> {
    const model = await this.byId(modelId);
    if (!model || model.status === 'dissolved' || !this.administers(admin, model)) return null;
    const dissolved = { reason, at: now, by: admin.name ?? admin.telegramUserId };
    await this.models.communityModels.updateOne({ _id: model._id }, { $set: { status: 'dissolved', dissolved, invite: null, updatedAt: now } });
    await this.audit(model, adminAudit(admin), 'model_dissolved', { status: model.status }, { status: 'dissolved', reason }, now);
    return { ...model, status: 'dissolved', dissolved };
  }

  /** A model flagged for review (no activity for weeks) that its unit decided to keep. */
  async keep(admin: AdminActor, modelId: string, now: Date): Promise<boolean> {
    const model = await this.byId(modelId);
    if (!model || model.status === 'dissolved' || !this.administers(admin, model)) return false;
    await this.models.communityModels.updateOne({ _id: model._id }, { $set: { status: 'active', keptAt: now, updatedAt: now } });
    await this.audit(model, adminAudit(admin), 'model_kept', { status: model.status }, { status: 'active' }, now);
    return true;
  }

  /**
   * The nightly look at every active model: one with nothing recorded for
   * `weeks` (since it was created, or kept after an earlier flag) is flagged
   * "hoạt động cầm chừng" for its unit to keep or dissolve. Returns the codes
   * flagged.
   */
  async flagDormant(weeks: number, now: Date): Promise<string[]> {
    const cutoff = new Date(now.getTime() - weeks * 7 * 24 * 3_600_000);
    const flagged: string[] = [];
    for (const model of await this.models.communityModels.find({ status: 'active' }).lean()) {
      const since = [model.createdAt, model.keptAt ?? null].filter((d): d is Date => d !== null).reduce((a, b) => (a > b ? a : b));
      if (since >= cutoff) continue;
      if (await this.models.modelActivities.exists({ modelId: model._id, at: { $gte: cutoff } })) continue;
      const changed = await this.models.communityModels.updateOne({ _id: model._id, status: 'active' }, { $set: { status: 'review', updatedAt: now } });
      if (changed.modifiedCount !== 1) continue;
      await this.audit(model, { channel: 'system', userId: 'model-dormancy', name: null }, 'model_flagged_dormant', { status: 'active' }, { status: 'review', weeks }, now);
      flagged.push(model.code);
    }
    return flagged;
  }

  /** What a leader recorded that the model did: counted in the review, audited. */
  async record(leader: ModelActor, modelId: string, activity: ModelActivity, now: Date): Promise<boolean> {
    const model = await this.byId(modelId);
    if (!model || model.status === 'dissolved' || !model.leaders.some((l) => l.key === leader.key)) return false;
    const id = randomUUID();
    await this.models.modelActivities.create({ _id: id, modelId: model._id, unitId: model.unitId, activity, at: now, by: leader.key });
    if (model.status === 'review') await this.models.communityModels.updateOne({ _id: model._id, status: 'review' }, { $set: { status: 'active', updatedAt: now } });
    await this.audit(model, leaderAudit(leader), 'model_activity_recorded', {}, { activityId: id, ...activity }, now);
    return true;
  }

  /** A resident arrived through a model's link: counted under it (the latest link they followed). False for a dissolved model. */
  async join(residentKey: string, model: CommunityModelDoc, now: Date): Promise<boolean> {
    if (model.status === 'dissolved') return false;
    await this.models.modelMembers.updateOne({ _id: residentKey }, { $set: { modelId: model._id, joinedAt: now } }, { upsert: true });
    return true;
  }

  /** The model a resident's tips carry: the one whose link brought them, while it still works. */
  async modelOf(residentKey: string): Promise<{ id: string; name: string } | null> {
    const member = await this.models.modelMembers.findById(residentKey).lean();
    if (!member) return null;
    const model = await this.byId(member.modelId);
    return model && model.status !== 'dissolved' ? { id: model._id, name: model.name } : null;
  }

  /** /xoadulieu: the resident is no longer counted under a model. */
  async forget(residentKey: string): Promise<void> {
    await this.models.modelMembers.deleteOne({ _id: residentKey });
  }

  /** A model's figures since it began: residents it brought, their tips, and what its leaders recorded. */
  async figures(model: Pick<CommunityModelDoc, '_id'>): Promise<{ residents: number; groups: number; tips: number; valuable: number; activity: ActivityTotals }> {
    const [residents, groups, tips, records] = await Promise.all([
      this.models.modelMembers.countDocuments({ modelId: model._id }),
      this.models.broadcastGroups.countDocuments({ modelId: model._id }),
      this.tipsOf(model._id),
      this.models.modelActivities.find({ modelId: model._id }, { activity: 1 }).lean(),
    ]);
    const activity = noActivity();
    for (const record of records) addActivity(activity, record.activity);
    return { residents, groups, ...tips, activity };
  }

  private mayEdit(actor: ModelEditor, model: CommunityModelDoc): boolean {
    return this.administers(actor.admin, model) || model.leaders.some((l) => l.key === actor.leaderKey);
  }

  private inviteHash(code: string): string {
    return this.cipher.pseudonym(`model-invite:${code}`);
  }

  private async audit(model: Pick<CommunityModelDoc, '_id' | 'unitId'>, actor: AuditEntryDoc['actor'], action: string, before: Record<string, unknown>, after: Record<string, unknown>, at: Date): Promise<void> {
    await this.models.auditLog.create({ _id: randomUUID(), reportId: null, unitId: model.unitId, actor, action, before: { modelId: model._id, ...before }, after, at });
  }
}

function adminAudit(admin: AdminActor): AuditEntryDoc['actor'] {
  return { channel: admin.address.channel, userId: admin.telegramUserId ?? '', name: admin.name };
}

/** A leader in the audit log: by the chat's pseudonym, never the chat id. */
function leaderAudit(leader: ModelActor): AuditEntryDoc['actor'] {
  return { channel: leader.address.channel, userId: leader.key, name: leader.name };
}
