import pino from 'pino';

/**
 * One root logger; each module takes a child named after itself. Log lines
 * never carry a reporter's personal data: ids are logged as pseudonymous keys.
 */
const root = pino({
  level: 'info',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;

export function moduleLogger(module: string): Logger {
  return root.child({ module });
}

export function setLogLevel(level: string): void {
  root.level = level;
}
