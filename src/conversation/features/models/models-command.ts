import { adminActor } from '../../actors';
import type { Turn } from '../../turn';
import { modelDetails, modelLine } from '../../presenters/model-text';
import type { Command, ConversationTools } from '../../registry/command';
import type { ModelsDeps } from './deps';
import { modelButtons, modelChoice, modelPayload } from './model-buttons';
import { newModelCreateDraft } from './model-create-flow';

const NEW_WORDS = /^(tao|tạo|moi|mới|new|create)$/i;
/** Models listed as buttons under /mohinh (the rest are reached by code). */
const LISTED = 12;

/**
 * /mohinh (/models): a unit admin's models (and a leader's own) with their
 * status; `/mohinh <mã>` one model with its figures and actions;
 * `/mohinh tao` creates one.
 */
export const modelsCommand: Command<ModelsDeps> = {
  id: 'models',
  names: { vi: ['mohinh'], en: ['models'] },
  where: ['private'],
  async handle(turn, args, deps, { runner }) {
    const admin = adminActor(turn.event);
    const typed = args.trim();
    if (NEW_WORDS.test(typed)) return startModelCreation(turn, deps, runner);
    if (typed) return showModel(turn, typed, deps);
    const visible = await deps.models.visibleTo(admin, turn.key);
    const isAdmin = deps.models.managedUnits(admin).length > 0;
    if (visible.length === 0) return void turn.say({ text: turn.t(isAdmin ? 'models.none_yet' : 'models.not_admin'), buttons: isAdmin ? [[{ label: turn.t('models.button.new'), payload: modelPayload('new') }]] : undefined });
    const context = { t: turn.t, catalog: deps.catalog };
    turn.say({
      text: [turn.t('models.list_title', { count: visible.length }), ...visible.map((m) => modelLine(m, context.t, context.catalog))].join('\n'),
      buttons: [
        ...visible.filter((m) => m.status !== 'dissolved').slice(0, LISTED).map((m) => [modelChoice(m, 'show')]),
        ...(isAdmin ? [[{ label: turn.t('models.button.new'), payload: modelPayload('new') }]] : []),
      ],
    });
  },
};

/** "➕ Tạo mô hình" (or /mohinh tao): the creation flow, for an admin of at least one unit. */
export function startModelCreation(turn: Turn, { models }: ModelsDeps, runner: ConversationTools['runner']): Promise<void> {
  const admin = adminActor(turn.event);
  const units = models.managedUnits(admin);
  if (units.length === 0) return Promise.resolve(void turn.say({ text: turn.t('models.not_admin') }));
  return runner.start(turn, 'model_create', { ...newModelCreateDraft(admin, units.map((u) => u.id)) });
}

/** One model in full, to its unit's admin or one of its leaders; to anyone else, nothing (not even whether it exists). */
export async function showModel(turn: Turn, code: string, { models, catalog, startLink }: ModelsDeps): Promise<void> {
  const model = await models.byCode(code);
  const admin = adminActor(turn.event);
  const isAdmin = model !== null && models.administers(admin, model);
  if (!model || (!isAdmin && !model.leaders.some((l) => l.key === turn.key))) return void turn.say({ text: turn.t('models.not_found', { code }) });
  turn.say({ text: modelDetails(model, await models.figures(model), turn.t, catalog, startLink('telegram', model.code)), buttons: modelButtons(model, turn.t, isAdmin) });
}
