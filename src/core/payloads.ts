/**
 * Button payloads, the only data a button carries back: short strings every
 * platform accepts (Telegram allows 64 bytes of callback data).
 */

/** Button payloads: "s:<step>:<value>" answers a step, "g:<action>[:<arg>]" is global. */
export function stepPayload(stepId: string, value: string): string {
  return `s:${stepId}:${value}`;
}

export function globalPayload(action: string, arg?: string): string {
  return arg === undefined ? `g:${action}` : `g:${action}:${arg}`;
}

/** A triage button on a desk card: "d:<report id>:<action>". */
export function deskPayload(reportId: string, action: string): string {
  return `d:${reportId}:${action}`;
}

export function isDeskPayload(payload: string): boolean {
  return payload.startsWith('d:');
}

export type ParsedPayload =
  | { scope: 'step'; step: string; value: string }
  | { scope: 'global'; action: string; arg: string | null }
  | { scope: 'desk'; reportId: string; action: string }
  | null;

export function parsePayload(payload: string): ParsedPayload {
  const desk = /^d:([0-9a-f-]{36}):([a-z0-9_:-]{1,24})$/.exec(payload);
  if (desk) return { scope: 'desk', reportId: desk[1], action: desk[2] };
  const step = /^s:([a-z_]+):(.{1,60})$/.exec(payload);
  if (step) return { scope: 'step', step: step[1], value: step[2] };
  const global = /^g:([a-z_]+)(?::(.{1,60}))?$/.exec(payload);
  if (global) return { scope: 'global', action: global[1], arg: global[2] ?? null };
  return null;
}
