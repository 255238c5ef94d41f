import { parseStatsPeriod } from '../../../shared/vietnam-period';
import { globalPayload } from '../../../core/payloads';
import { adminActor } from '../../actors';
import type { Command } from '../../registry/command';
import type { ModelsDeps } from './deps';

/**
 * /khenthuong [kỳ] (/commend): for the admin's units and the period (this
 * month by default), the reporters (by receipt code only) and the models
 * with the most valuable tips, each with a button to thank them through the
 * bot.
 */
export const commendCommand: Command<ModelsDeps> = {
  id: 'commend',
  names: { vi: ['khenthuong'], en: ['commend'] },
  where: ['private'],
  async handle(turn, args, { models, commendations }) {
    const admin = adminActor(turn.event);
    if (models.managedUnits(admin).length === 0) return void turn.say({ text: turn.t('models.not_admin') });
    const parsed = parseStatsPeriod(args, turn.now);
    if (!parsed) return void turn.say({ text: turn.t('commend.usage') });
    const { reporters, models: ranked } = await commendations.ranking(admin, parsed.period);
    if (reporters.length === 0 && ranked.length === 0) return void turn.say({ text: turn.t('commend.none') });
    const lines = [
      turn.t('commend.title', { period: turn.t(`stats.period_name.${parsed.kind}`) }),
      ...(ranked.length > 0 ? [turn.t('commend.models_title'), ...ranked.map((m, i) => turn.t('commend.model_line', { n: i + 1, code: m.code, name: m.name, valuable: m.valuable }))] : []),
      ...(reporters.length > 0 ? [turn.t('commend.reporters_title'), ...reporters.map((r, i) => turn.t('commend.reporter_line', { n: i + 1, codes: r.codes.join(', '), valuable: r.valuable }))] : []),
    ];
    turn.say({
      text: lines.join('\n'),
      buttons: [
        ...ranked.map((m) => [{ label: turn.t('commend.button_model', { code: m.code }), payload: globalPayload('commend', `m:${m.code}`) }]),
        ...reporters.map((r) => [{ label: turn.t('commend.button_reporter', { code: r.codes.at(-1) ?? '' }), payload: globalPayload('commend', `r:${r.reportId}`) }]),
      ],
    });
  },
};
