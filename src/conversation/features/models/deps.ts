import type { Catalog } from '../../../config/catalog';
import type { ModelService } from '../../../domain/models/model-service';
import type { ChannelName } from '../../../core/chat';

/** What the self-management models feature (/mohinh, /nhanmohinh, /hoatdong) uses. */
export interface ModelsDeps {
  models: ModelService;
  catalog: Catalog;
  /** The address that opens a private chat with the bot on a channel, started with a model's code (Telegram's t.me link), once known. */
  startLink(channel: ChannelName, payload: string): string | null;
}
