import { isLanguage, type Language } from '../../../core/language';
import type { Turn } from '../../turn';
import { languageChoice, mainMenu } from '../../messages';
import type { ConversationTools, GlobalButton } from '../../registry/command';
import type { AccountDeps } from './deps';
import { ownEntry } from '../../../shared/lookup';

/** "Đồng ý" / "Không đồng ý" under the privacy notice; agreeing starts the flow that asked for it. */
export const consentButton: GlobalButton<AccountDeps> = {
  action: 'consent',
  async handle(turn, arg, { residents }, { runner }) {
    if (arg !== 'yes') {
      turn.set({ pendingFlow: null });
      turn.say({ text: turn.t('privacy.declined') });
      return;
    }
    await residents.recordConsent(turn.key, turn.event.address, turn.lang, turn.now);
    turn.say({ text: turn.t('privacy.accepted') });
    const pending = turn.pendingFlow;
    if (pending) await runner.start(turn, pending);
    else turn.say(mainMenu(turn.t));
  },
};

/** A language picked: kept for the chat and the resident, and the current question asked again in it. */
export const languageButton: GlobalButton<AccountDeps> = {
  action: 'lang',
  async handle(turn, lang, deps, tools) {
    if (!isLanguage(lang)) {
      turn.say(languageChoice(turn.t));
      return;
    }
    await useLanguage(turn, lang, deps, tools);
  },
};

/**
 * Kept for the chat and the resident, and for a desk its cards, reminders and
 * notices from now on; the current question is asked again in it.
 */
export async function useLanguage(turn: Turn, lang: Language, { residents, desks }: AccountDeps, tools: ConversationTools): Promise<void> {
  turn.set({ lang });
  await residents.setLanguage(turn.key, lang);
  await desks.setLanguage(turn.event.address, lang);
  turn.say({ text: turn.t('language.changed') });
  // Then what comes next, in the new language: the step in progress, or (in a private chat) the notice or the menu.
  const prompt = tools.runner.currentPrompt(turn);
  if (prompt) turn.say(prompt);
  else if (!turn.event.isGroup) await tools.run(turn, 'start', '');
}

/** "Xóa" confirmed: the draft, the resident's personal data, their subscriptions, their conversation and the channel's copy go. */
export const forgetButton: GlobalButton<AccountDeps> = {
  action: 'forget',
  async handle(turn, arg, deps, { runner }) {
    if (arg !== 'yes') {
      turn.say(mainMenu(turn.t, turn.t('forget.kept')));
      return;
    }
    await runner.discardDraft(turn);
    const detached = await deps.residents.forget(turn.key);
    // Forgetting stops every campaign message too (the subscription held how to reach them).
    await deps.audience.unsubscribe(turn.key);
    // No longer counted under the model whose link brought them.
    await deps.models.forget(turn.key);
    await deps.forgetChannelData(turn.event.address);
    // The conversation is saved blank: nothing of it is kept but its language and version.
    turn.set({ flow: null, step: null, draft: null, pendingFlow: null, expiredFlow: null, filed: null });
    turn.say({ text: turn.t('forget.done', { count: detached }) });
  },
};

/** The main menu's buttons run the command of the same name. */
const MENU_COMMANDS: Record<string, string> = { report: 'report', dispute: 'dispute', subscribe: 'subscribe', lookup: 'lookup', language: 'language' };

export const menuButton: GlobalButton<AccountDeps> = {
  action: 'menu',
  async handle(turn, arg, _deps, tools) {
    await tools.run(turn, (arg && ownEntry(MENU_COMMANDS, arg)) ?? 'help', '');
  },
};
