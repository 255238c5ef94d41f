import { foldVietnamese } from '../../shared/text';
import type { BoundButton, BoundCommand, BoundDeskAction, Feature } from './command';

/**
 * Every command, global button and desk-card action of the features, found
 * by what a person typed or pressed. Names are checked once, at start-up: two
 * commands may not share a name.
 */
export class CommandRegistry {
  private readonly byName = new Map<string, BoundCommand>();
  private readonly byId = new Map<string, BoundCommand>();
  private readonly byBareWord = new Map<string, BoundCommand>();
  private readonly buttons = new Map<string, BoundButton>();
  private readonly deskActions: BoundDeskAction[] = [];
  /** What features do with a message outside any flow, in order (see IdleHandler). */
  readonly idle: Feature['idle'] = [];

  constructor(features: Feature[]) {
    for (const feature of features) {
      const { commands, buttons, deskActions } = feature;
      for (const command of commands) {
        claim(this.byId, command.id, command, 'command id');
        for (const name of [...command.names.vi, ...command.names.en]) claim(this.byName, folded(name, foldName), command, 'command name');
        for (const word of command.bareWords ?? []) claim(this.byBareWord, folded(word, foldWords), command, 'bare word');
      }
      for (const button of buttons) claim(this.buttons, button.action, button, 'button action');
      this.deskActions.push(...deskActions);
      this.idle.push(...feature.idle);
    }
  }

  /** "/BaoTin", "/báotin" and "/baotin" are one command. */
  command(typed: string): BoundCommand | null {
    return this.byName.get(foldName(typed)) ?? null;
  }

  /** A command typed alone without a slash ("báo tin", "Hủy."). */
  bareWord(text: string): BoundCommand | null {
    return this.byBareWord.get(foldWords(text)) ?? null;
  }

  byCommandId(id: string): BoundCommand {
    const command = this.byId.get(id);
    if (!command) throw new Error(`Unknown command ${id}. Known commands are: ${[...this.byId.keys()].join(', ')}`);
    return command;
  }

  button(action: string): BoundButton | null {
    return this.buttons.get(action) ?? null;
  }

  deskAction(action: string): BoundDeskAction | null {
    return this.deskActions.find((a) => a.accepts(action)) ?? null;
  }

  /** Every command's names, for a channel's command menu or a spec. */
  list(): BoundCommand[] {
    return [...this.byId.values()];
  }
}

const foldName = (typed: string): string => foldVietnamese(typed).replace(/[^a-z]/g, '');
const foldWords = (typed: string): string => foldVietnamese(typed).replace(/[.!?]+$/, '');

/** A declared name as it will be looked up; one that could never match what people type is a mistake. */
function folded(declared: string, fold: (typed: string) => string): string {
  if (fold(declared) !== declared) throw new Error(`Command names and bare words are declared folded (lower case, no diacritics): "${declared}" should be "${fold(declared)}"`);
  return declared;
}

function claim<T>(map: Map<string, T>, key: string, value: T, what: string): void {
  if (map.has(key)) throw new Error(`Two handlers claim the ${what} "${key}"`);
  map.set(key, value);
}
