import { formatVietnamTime } from '../../../shared/vietnam-time';
import { officerOf } from '../../actors';
import type { Command } from '../../registry/command';
import type { DeskDeps } from './deps';

/** /giahan <mã> <số ngày> <lý do> (/extend): moves a case's outcome deadline, with the reason on record. */
export const extendCommand: Command<DeskDeps> = {
  id: 'extend',
  names: { vi: ['giahan'], en: ['extend'] },
  where: ['private', 'group'],
  async handle(turn, args, { deadlines }) {
    const result = await deadlines.extend(officerOf(turn.event), args, turn.now);
    const vars: Record<string, string> = result.kind === 'extended' ? { code: result.code, due: formatVietnamTime(result.dueAt, turn.lang) } : {};
    turn.say({ text: turn.t(`deadline.extend_${result.kind}`, vars) });
  },
};
