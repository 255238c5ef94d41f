import type { Flow } from '../flow';
import type { FlowRunner } from '../flow-runner';
import type { Turn } from '../turn';

/** Where a command answers: a private chat, or a group (a desk group, a neighbourhood group). */
export type ChatPlace = 'private' | 'group';

/** What every handler may use besides its own feature's services. */
export interface ConversationTools {
  runner: FlowRunner;
  /** Runs another command as if it had been typed (a menu button, "báo tin" typed alone). */
  run(turn: Turn, commandId: string, args: string): Promise<void>;
}

/**
 * A slash command: its names, where it answers and what it does. One file
 * each, in its feature's folder; the feature lists it, the registry finds it.
 */
export interface Command<Deps> {
  /** The command's own name, used between handlers (`tools.run`). */
  id: string;
  /** Names typed after a slash, folded: lower case, no diacritics, letters only ("/BáoTin" is "baotin"). */
  names: { vi: readonly string[]; en: readonly string[] };
  /** Phrases that run it when typed alone, folded ("báo tin" is "bao tin"), outside a flow. */
  bareWords?: readonly string[];
  /** Its bare words work inside a flow too, and in a desk chat's question (cancel). */
  interruptsFlow?: boolean;
  /** Where it answers; elsewhere in a group, the bot says to write privately. */
  where: readonly ChatPlace[];
  handle(turn: Turn, args: string, deps: Deps, tools: ConversationTools): Promise<void>;
}

/** A button that works from anywhere ("g:<action>[:<arg>]"): consent, language, the main menu. */
export interface GlobalButton<Deps> {
  action: string;
  handle(turn: Turn, arg: string | null, deps: Deps, tools: ConversationTools): Promise<void>;
}

/** A button on a case's desk card ("d:<report id>:<action>"), pressed by an officer. */
export interface DeskAction<Deps> {
  accepts(action: string): boolean;
  handle(turn: Turn, reportId: string, action: string, deps: Deps, tools: ConversationTools): Promise<void>;
}

/**
 * What a feature may do with a message outside any flow, before the bot says
 * it did not understand (a reporter writing about their open case). True when
 * it took the message.
 */
export type IdleHandler<Deps> = (turn: Turn, deps: Deps, tools: ConversationTools) => Promise<boolean>;

/** Handlers with their feature's services bound: what the registry holds. */
export type BoundCommand = Omit<Command<unknown>, 'handle'> & { handle(turn: Turn, args: string, tools: ConversationTools): Promise<void> };
export type BoundButton = Omit<GlobalButton<unknown>, 'handle'> & { handle(turn: Turn, arg: string | null, tools: ConversationTools): Promise<void> };
export type BoundDeskAction = Omit<DeskAction<unknown>, 'handle'> & { handle(turn: Turn, reportId: string, action: string, tools: ConversationTools): Promise<void> };

/** What a feature folder contributes to the conversation, with its services bound. */
export interface Feature {
  commands: BoundCommand[];
  buttons: BoundButton[];
  deskActions: BoundDeskAction[];
  /** The flows its commands and buttons start, as data for the flow runner. */
  flows: Flow<unknown>[];
  idle: ((turn: Turn, tools: ConversationTools) => Promise<boolean>)[];
}

/**
 * Binds a feature's handlers to the services they use. Each feature's
 * `index.ts` calls this with its handler list and its own deps type, so the
 * composition root hands every feature exactly what it needs.
 */
export function feature<Deps>(
  deps: Deps,
  parts: { commands?: Command<Deps>[]; buttons?: GlobalButton<Deps>[]; deskActions?: DeskAction<Deps>[]; flows?: Flow<unknown>[]; idle?: IdleHandler<Deps>[] },
): Feature {
  return {
    flows: parts.flows ?? [],
    idle: (parts.idle ?? []).map((handler) => (turn: Turn, tools: ConversationTools) => handler(turn, deps, tools)),
    commands: (parts.commands ?? []).map((c) => ({ ...c, handle: (turn: Turn, args: string, tools: ConversationTools) => c.handle(turn, args, deps, tools) })),
    buttons: (parts.buttons ?? []).map((b) => ({ ...b, handle: (turn: Turn, arg: string | null, tools: ConversationTools) => b.handle(turn, arg, deps, tools) })),
    deskActions: (parts.deskActions ?? []).map((a) => ({ ...a, handle: (turn: Turn, reportId: string, action: string, tools: ConversationTools) => a.handle(turn, reportId, action, deps, tools) })),
  };
}
