import type { ModelService } from '../../../domain/models/model-service';
import { parseModelSize } from '../../../domain/models/model-size';
import type { AdminActor } from '../../../domain/units/unit-admin-service';
import type { Flow, StepContext, StepOutcome } from '../../flow';
import { modelDetails } from '../../presenters/model-text';
import { choiceStep } from '../../steps/choice-step';
import { textStep } from '../../steps/text-step';
import { modelButtons } from './model-buttons';

export interface ModelCreateDraft {
  /** Who creates it (a unit admin, by Telegram user id), set by /mohinh when the flow starts. */
  admin: AdminActor | null;
  /** The units this admin manages, offered when there are several. */
  unitIds: string[];
  unitId: string | null;
  kind: string | null;
  wardId: string | null;
  area: string | null;
  name: string | null;
  households: number | null;
  members: number | null;
}

type Ctx = StepContext<ModelCreateDraft>;

export function newModelCreateDraft(admin: AdminActor | null = null, unitIds: string[] = []): ModelCreateDraft {
  return { admin, unitIds, unitId: unitIds.length === 1 ? unitIds[0] : null, kind: null, wardId: null, area: null, name: null, households: null, members: null };
}

/** /mohinh → "➕ Tạo mô hình": kind, unit (when the admin has several), ward, khu phố/tổ dân phố, name, size, confirm; then the new model with its code. */
export function createModelCreateFlow(models: Pick<ModelService, 'create' | 'figures' | 'managedUnits'>, startLink: (channel: 'telegram', payload: string) => string | null): Flow<ModelCreateDraft> {
  const advance = (ctx: Ctx, patch: Partial<ModelCreateDraft>): StepOutcome<ModelCreateDraft> => ({ kind: 'advance', draft: { ...ctx.draft, ...patch } });
  /** The unit's wards: those it covers, or every ward for a unit that covers all. */
  const wardsOf = (ctx: Ctx) => {
    const unit = ctx.draft.admin && models.managedUnits(ctx.draft.admin).find((u) => u.id === ctx.draft.unitId);
    return !unit || unit.wards.includes('*') ? ctx.catalog.wards : ctx.catalog.wards.filter((w) => unit.wards.includes(w.id));
  };
  return {
    id: 'model_create',
    needsConsent: false,
    newDraft: () => newModelCreateDraft(),
    steps: [
      choiceStep<ModelCreateDraft>({
        id: 'kind',
        prompt: (ctx) => ctx.t('models.ask.kind'),
        options: (ctx) => ctx.catalog.modelKinds.map((k) => ({ value: k.id, label: ctx.t(`model_kind.${k.id}`), aliases: k.keywords })),
        // An admin of one unit is not asked which.
        chosen: (ctx, value) => (ctx.draft.unitId ? { kind: 'goto', step: 'ward', draft: { ...ctx.draft, kind: value } } : advance(ctx, { kind: value })),
      }),
      choiceStep<ModelCreateDraft>({
        id: 'unit',
        prompt: (ctx) => ctx.t('models.ask.unit'),
        options: (ctx) => (ctx.draft.admin ? models.managedUnits(ctx.draft.admin) : []).map((u) => ({ value: u.id, label: u.name })),
        chosen: (ctx, value) => advance(ctx, { unitId: value }),
      }),
      choiceStep<ModelCreateDraft>({
        id: 'ward',
        prompt: (ctx) => ctx.t('models.ask.ward'),
        columns: 2,
        options: (ctx) => wardsOf(ctx).map((w) => ({ value: w.id, label: w.name })),
        chosen: (ctx, value) => advance(ctx, { wardId: value }),
        typed: (ctx, text) => {
          const ward = ctx.catalog.matchWard(text);
          return ward && wardsOf(ctx).includes(ward) ? advance(ctx, { wardId: ward.id }) : { kind: 'invalid', reason: 'models.ward_outside_unit' };
        },
      }),
      textStep<ModelCreateDraft>({
        id: 'area',
        prompt: (ctx) => ctx.t('models.ask.area'),
        maxLength: 100,
        options: (ctx) => [{ value: 'none', label: ctx.t('models.skip'), aliases: ['bo qua', 'skip', 'khong'] }],
        chosen: (ctx) => advance(ctx, { area: null }),
        accept: (ctx, text) => advance(ctx, { area: text }),
      }),
      textStep<ModelCreateDraft>({
        id: 'name',
        prompt: (ctx) => ctx.t('models.ask.name', { kind: ctx.t(`model_kind.${ctx.draft.kind ?? 'other'}`) }),
        minLength: 3,
        maxLength: 120,
        accept: (ctx, text) => advance(ctx, { name: text }),
      }),
      textStep<ModelCreateDraft>({
        id: 'size',
        prompt: (ctx) => ctx.t('models.ask.size'),
        maxLength: 60,
        options: (ctx) => [{ value: 'none', label: ctx.t('models.skip'), aliases: ['bo qua', 'skip', 'khong ro'] }],
        chosen: (ctx) => advance(ctx, { households: null, members: null }),
        accept: (ctx, text) => {
          const size = parseModelSize(text);
          return size ? advance(ctx, size) : { kind: 'invalid', reason: 'models.size_invalid' };
        },
      }),
      choiceStep<ModelCreateDraft>({
        id: 'confirm',
        prompt: (ctx) =>
          ctx.t('models.ask.confirm', {
            kind: ctx.t(`model_kind.${ctx.draft.kind ?? 'other'}`),
            name: ctx.draft.name ?? '',
            ward: [ctx.draft.area, ctx.catalog.wardById(ctx.draft.wardId ?? '')?.name].filter(Boolean).join(', '),
            households: ctx.draft.households ?? '?',
            members: ctx.draft.members ?? '?',
          }),
        options: (ctx) => [
          { value: 'create', label: ctx.t('models.create'), aliases: ['tao', 'create', 'ok'] },
          { value: 'cancel', label: ctx.t('review.cancel'), aliases: ['huy', 'cancel'] },
        ],
        chosen: (_ctx, value) => (value === 'create' ? { kind: 'submit' } : { kind: 'cancel' }),
      }),
    ],
    submit: async (ctx) => {
      const { draft } = ctx;
      if (!draft.admin || !draft.unitId || !draft.kind || !draft.wardId || !draft.name) throw new Error('Model draft submitted before every step was answered');
      const created = await models.create(
        draft.admin,
        { unitId: draft.unitId, wardId: draft.wardId, area: draft.area, kind: draft.kind, name: draft.name, households: draft.households, members: draft.members },
        ctx.now,
      );
      if (!created) return { say: [{ text: ctx.t('models.not_admin') }] };
      const details = modelDetails(created, await models.figures(created), ctx.t, ctx.catalog, startLink('telegram', created.code));
      return { say: [{ text: `${ctx.t('models.created')}\n\n${details}`, buttons: modelButtons(created, ctx.t, true) }] };
    },
  };
}
