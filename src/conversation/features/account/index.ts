import { feature, type Feature } from '../../registry/command';
import { consentButton, forgetButton, languageButton, menuButton } from './account-buttons';
import { cancelCommand } from './cancel-command';
import type { AccountDeps } from './deps';
import { forgetCommand } from './forget-command';
import { helpCommand } from './help-command';
import { languageCommand } from './language-command';
import { myDataCommand } from './my-data-command';
import { startCommand } from './start-command';

export type { AccountDeps };

/** Start, consent, language, help, cancelling a flow and forgetting one's data. */
export function accountFeature(deps: AccountDeps): Feature {
  return feature(deps, {
    commands: [startCommand, helpCommand, languageCommand, myDataCommand, forgetCommand, cancelCommand],
    buttons: [consentButton, languageButton, forgetButton, menuButton],
  });
}
