import type { Catalog } from '../../../config/catalog';
import type { ModelService } from '../../../domain/models/model-service';
import type { Commendations } from '../../../domain/models/commendations';
import type { Translate } from '../../../i18n';
import type { Language } from '../../../core/language';
import type { ChannelName } from '../../../core/chat';

/** What the self-management models feature (/mohinh, /nhanmohinh, /hoatdong) uses. */
export interface ModelsDeps {
  models: ModelService;
  catalog: Catalog;
  /** The address that opens a private chat with the bot on a channel, started with a model's code (Telegram's t.me link), once known. */
  startLink(channel: ChannelName, payload: string): string | null;
  commendations: Commendations;
  /** A commendation reaches a reporter in their own language. */
  translate(lang: Language): Translate;
}
