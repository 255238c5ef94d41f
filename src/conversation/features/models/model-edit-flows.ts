import type { ModelService } from '../../../domain/models/model-service';
import { parseModelSize } from '../../../domain/models/model-size';
import type { AdminActor } from '../../../domain/units/unit-admin-service';
import type { Flow } from '../../flow';
import { textStep } from '../../steps/text-step';

/** Which model a one-question edit is about, and who makes it (set when its button starts the flow). */
export interface ModelEditDraft {
  code: string;
  modelId: string;
  admin: AdminActor | null;
  leaderKey: string;
}

const blank = (): ModelEditDraft => ({ code: '', modelId: '', admin: null, leaderKey: '' });

/** "⛔ Giải thể": the reason (thanh loại: hoạt động cầm chừng, sáp nhập…), then the model is dissolved; its figures stay. */
export function createModelDissolveFlow(models: Pick<ModelService, 'dissolve'>): Flow<ModelEditDraft> {
  return {
    id: 'model_dissolve',
    needsConsent: false,
    newDraft: blank,
    steps: [
      textStep<ModelEditDraft>({
        id: 'reason',
        prompt: (ctx) => ctx.t('models.ask.dissolve_reason', { code: ctx.draft.code }),
        minLength: 5,
        maxLength: 300,
        accept: async (ctx, reason) => {
          const dissolved = ctx.draft.admin ? await models.dissolve(ctx.draft.admin, ctx.draft.modelId, reason, ctx.now) : null;
          return { kind: 'done', say: [{ text: ctx.t(dissolved ? 'models.dissolved' : 'models.not_allowed', { code: ctx.draft.code }) }] };
        },
      }),
    ],
  };
}

/** "👥 Số hộ, số người": the model's size as counted now, by its unit's admin or a leader. */
export function createModelSizeFlow(models: Pick<ModelService, 'setSize'>): Flow<ModelEditDraft> {
  return {
    id: 'model_size',
    needsConsent: false,
    newDraft: blank,
    steps: [
      textStep<ModelEditDraft>({
        id: 'size',
        prompt: (ctx) => ctx.t('models.ask.size'),
        maxLength: 60,
        accept: async (ctx, text) => {
          const size = parseModelSize(text);
          if (!size) return { kind: 'invalid', reason: 'models.size_invalid' };
          const saved = ctx.draft.admin !== null && (await models.setSize({ admin: ctx.draft.admin, leaderKey: ctx.draft.leaderKey }, ctx.draft.modelId, size, ctx.now));
          return { kind: 'done', say: [{ text: ctx.t(saved ? 'models.size_saved' : 'models.not_allowed', { code: ctx.draft.code, households: size.households ?? '?', members: size.members ?? '?' }) }] };
        },
      }),
    ],
  };
}

/** "✏️ Đổi tên": the model's new name, by its unit's admin or a leader. */
export function createModelRenameFlow(models: Pick<ModelService, 'rename'>): Flow<ModelEditDraft> {
  return {
    id: 'model_rename',
    needsConsent: false,
    newDraft: blank,
    steps: [
      textStep<ModelEditDraft>({
        id: 'name',
        prompt: (ctx) => ctx.t('models.ask.rename', { code: ctx.draft.code }),
        minLength: 3,
        maxLength: 120,
        accept: async (ctx, name) => {
          const saved = ctx.draft.admin !== null && (await models.rename({ admin: ctx.draft.admin, leaderKey: ctx.draft.leaderKey }, ctx.draft.modelId, name, ctx.now));
          return { kind: 'done', say: [{ text: ctx.t(saved ? 'models.renamed' : 'models.not_allowed', { code: ctx.draft.code, name }) }] };
        },
      }),
    ],
  };
}
