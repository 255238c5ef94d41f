import type { FastifyInstance } from 'fastify';
import type { Env } from '../../config/env';
import type { InboundPipeline } from '../../conversation/inbound-pipeline';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { Models } from '../../storage/database';
import type { ChannelRegistry } from '../channel';
import { ZaloChannel } from './zalo-channel';
import { ZaloClient } from './zalo-client';
import { ZaloTokens } from './zalo-tokens';
import { ZaloWebhook } from './zalo-webhook';

/** Wires the Zalo OA channel: token store, client, channel, and the webhook route. */
export function startZalo(
  env: Env & { ZALO_APP_ID: string; ZALO_APP_SECRET: string; ZALO_OA_SECRET_KEY: string },
  deps: { models: Models; cipher: PiiCipher; channels: ChannelRegistry; pipeline: InboundPipeline; http: FastifyInstance; clock: () => Date },
): ZaloWebhook {
  const { models, cipher, clock } = deps;
  const tokens = new ZaloTokens(
    models.zaloTokens,
    models.leases,
    cipher,
    { oauthBase: env.ZALO_OAUTH_BASE, appId: env.ZALO_APP_ID, appSecret: env.ZALO_APP_SECRET, timeoutMs: env.ZALO_HTTP_TIMEOUT_MS, bootstrap: { accessToken: env.ZALO_ACCESS_TOKEN, refreshToken: env.ZALO_REFRESH_TOKEN } },
    clock,
  );
  const channel = new ZaloChannel(new ZaloClient(env.ZALO_API_BASE, tokens, env.ZALO_HTTP_TIMEOUT_MS), { contacts: models.zaloContacts, held: models.zaloHeld }, cipher, clock);
  deps.channels.register(channel);
  const webhook = new ZaloWebhook({ appId: env.ZALO_APP_ID, oaSecretKey: env.ZALO_OA_SECRET_KEY, downloadTimeoutMs: env.ZALO_HTTP_TIMEOUT_MS }, models.zaloEvents, cipher, channel, deps.pipeline, clock);
  webhook.register(deps.http);
  return webhook;
}
