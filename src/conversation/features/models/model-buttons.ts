import type { Button } from '../../../core/chat';
import { globalPayload } from '../../../core/payloads';
import type { Translate } from '../../../i18n';
import type { CommunityModelDoc } from '../../../core/community-model';

/** A model action on a button: "g:model:<op>:<code>". */
export type ModelOp = 'show' | 'invite' | 'size' | 'rename' | 'dissolve' | 'keep' | 'activity';

export function modelPayload(op: ModelOp | 'new', code = ''): string {
  return globalPayload('model', code ? `${op}:${code}` : op);
}

/** A model as a choice in a list ("MH-7K3M9Q · Tổ liên gia số 5"), pressing which does `op` on it. */
export function modelChoice(model: Pick<CommunityModelDoc, 'code' | 'name'>, op: ModelOp): Button {
  return { label: `${model.code} · ${model.name}`.slice(0, 60), payload: modelPayload(op, model.code) };
}

/** What can be done with a model from its card: the unit admin's actions, or a leader's. */
export function modelButtons(model: Pick<CommunityModelDoc, 'code' | 'status'>, t: Translate, admin: boolean): Button[][] {
  if (model.status === 'dissolved') return [];
  const rows: Button[][] = [];
  if (admin) rows.push([{ label: t('models.button.invite'), payload: modelPayload('invite', model.code) }]);
  else rows.push([{ label: t('models.button.activity'), payload: modelPayload('activity', model.code) }]);
  rows.push([
    { label: t('models.button.size'), payload: modelPayload('size', model.code) },
    { label: t('models.button.rename'), payload: modelPayload('rename', model.code) },
  ]);
  if (admin && model.status === 'review') rows.push([{ label: t('models.button.keep'), payload: modelPayload('keep', model.code) }]);
  if (admin) rows.push([{ label: t('models.button.dissolve'), payload: modelPayload('dissolve', model.code) }]);
  return rows;
}
