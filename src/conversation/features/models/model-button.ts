import { adminActor } from '../../actors';
import type { GlobalButton } from '../../registry/command';
import { startActivity } from './activity-command';
import type { ModelsDeps } from './deps';
import { showModel, startModelCreation } from './models-command';

/** "🏅 Khen …" under /khenthuong ("g:commend:r:<tip id>" or "g:commend:m:<model code>"): asks for the words, then sends them. */
export const commendButton: GlobalButton<ModelsDeps> = {
  action: 'commend',
  async handle(turn, arg, { models }, { runner }) {
    const match = /^([rm]):(.+)$/.exec(arg ?? '');
    const admin = adminActor(turn.event);
    if (!match || models.managedUnits(admin).length === 0) return void turn.say({ text: turn.t('models.not_admin') });
    await runner.start(turn, 'commend', { target: { kind: match[1] === 'r' ? 'reporter' : 'model', id: match[2] }, admin, key: turn.event.key });
  },
};

/** The buttons under a model ("g:model:<op>:<code>") and under /mohinh ("g:model:new"). Each checks who presses, as typed commands do. */
export const modelButton: GlobalButton<ModelsDeps> = {
  action: 'model',
  async handle(turn, arg, deps, tools) {
    const [op = '', code = ''] = (arg ?? '').split(':');
    const admin = adminActor(turn.event);
    if (op === 'new') return startModelCreation(turn, deps, tools.runner);
    if (op === 'show') return showModel(turn, code, deps);
    const model = await deps.models.byCode(code);
    const isAdmin = model !== null && deps.models.administers(admin, model);
    const isLeader = model !== null && model.leaders.some((l) => l.key === turn.key);
    if (!model || model.status === 'dissolved' || (!isAdmin && !isLeader)) return void turn.say({ text: turn.t('models.not_allowed', { code }) });
    const edit = { code: model.code, modelId: model._id, admin, leaderKey: turn.key };
    if (op === 'activity' && isLeader) return startActivity(turn, model, tools);
    if (op === 'size') return tools.runner.start(turn, 'model_size', { ...edit });
    if (op === 'rename') return tools.runner.start(turn, 'model_rename', { ...edit });
    if (op === 'invite' && isAdmin) {
      const invite = await deps.models.invite(admin, model._id, turn.now);
      return void turn.say({ text: turn.t(invite ? 'models.invite_code' : 'models.not_allowed', { code: model.code, name: model.name, invite: invite ?? '' }) });
    }
    if (op === 'dissolve' && isAdmin) return tools.runner.start(turn, 'model_dissolve', { ...edit });
    if (op === 'keep' && isAdmin) return void turn.say({ text: turn.t((await deps.models.keep(admin, model._id, turn.now)) ? 'models.kept' : 'models.not_allowed', { code: model.code }) });
    turn.say({ text: turn.t('models.not_allowed', { code }) });
  },
};
