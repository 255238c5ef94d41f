import type { Catalog } from '../../../config/catalog';
import type { UnitDirectory } from '../../../config/units';
import type { ChatAddress } from '../../../core/chat';
import type { DeskService } from '../../../domain/desks/desk-service';
import type { Audience } from '../../../domain/campaigns/audience';
import type { ResidentService } from '../../../domain/residents/resident-service';
import type { ConsentGate } from '../../flow-runner';
import type { ModelService } from '../../../domain/models/model-service';

/** What the account feature (start, consent, language, help, forgetting) uses. */
export interface AccountDeps {
  residents: Pick<ResidentService, 'find' | 'recordConsent' | 'setLanguage' | 'forget' | 'personalData'>;
  consent: ConsentGate;
  audience: Pick<Audience, 'unsubscribe' | 'subscriptionOf'>;
  catalog: Catalog;
  /** Lets channels drop what they keep of a chat (the web chat's transcript) when a resident asks to be forgotten. */
  forgetChannelData(address: ChatAddress): Promise<void>;
  /** Which desk, if any, this chat is: help in a desk chat lists the desk's commands, and its language is the desk's. */
  desks: Pick<DeskService, 'find' | 'setLanguage'>;
  units: UnitDirectory;
  /** A self-management model's link (/start <code>) counts the resident under it. */
  models: Pick<ModelService, 'byCode' | 'join' | 'forget'>;
}
