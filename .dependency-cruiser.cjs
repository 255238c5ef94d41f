/**
 * The direction of dependencies, checked by `npm test` (see ARCHITECTURE.md):
 *
 *   core ← domain ← conversation ← channels ← app (main.ts, app.ts, services.ts)
 *
 * shared/, config/ and i18n/ are leaf helpers any layer may use (i18n not in
 * the domain). storage/ is used by the domain and the composition root; the
 * channels keep their own platform state (Zalo tokens and followers, the web
 * chat's transcript) in their own collections.
 */
const FORBIDDEN = (name, comment, from, to) => ({ name, comment, severity: 'error', from: { path: from }, to: { path: to } });

const APP = '^src/(main|app|services)\\.ts$';

module.exports = {
  forbidden: [
    FORBIDDEN('core-is-the-bottom', 'src/core is the vocabulary every layer shares: it imports nothing from the project but itself.', '^src/core/', '^src/(?!core/)'),
    FORBIDDEN('helpers-stay-helpers', 'shared/, config/ and i18n/ are leaf helpers: they import only core/ and each other.', '^src/(shared|config|i18n)/', '^src/(storage|domain|conversation|channels|http)/|' + APP),
    FORBIDDEN('storage-below-domain', 'Storage knows documents and how to write them once; it never calls up into the domain, the conversation or a channel.', '^src/storage/', '^src/(domain|conversation|channels|http|i18n)/|' + APP),
    FORBIDDEN('domain-speaks-no-language', 'Domain services return results; presenters in conversation/ word them. No channel, conversation, i18n or HTTP in the domain.', '^src/domain/', '^src/(conversation|channels|http|i18n)/|' + APP),
    FORBIDDEN('conversation-knows-no-channel', 'The conversation engine, features and presenters are channel-neutral, and reach data only through domain services.', '^src/conversation/', '^src/(channels|http|storage)/|' + APP),
    FORBIDDEN('channels-below-the-app', 'Channels are adapters; the composition root wires them.', '^src/(channels|http)/', APP),
    FORBIDDEN(
      'channels-own-state-only',
      'A channel may keep its own platform state (Zalo, the web chat, leases for its locks) and use the claims helpers; everything else it reaches through the conversation.',
      '^src/channels/',
      '^src/storage/(?!models/(zalo-[a-z-]+|webchat-[a-z]+|lease)\\.model\\.ts$|claims\\.ts$|database\\.ts$)',
    ),
    {
      name: 'no-cycles-across-layers',
      comment: 'A cycle between modules makes two layers one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { path: '^src/' } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    exclude: { path: '^src/channels/webchat/public/' },
  },
};
