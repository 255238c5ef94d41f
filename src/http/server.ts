import Fastify, { type FastifyInstance } from 'fastify';
import { moduleLogger } from '../shared/logger';

const log = moduleLogger('http');

/**
 * The HTTP server shared by the web chat and webhooks. Bodies that are not
 * valid JSON get 400 with a plain reason; no handler error crashes the process.
 */
export function createHttpServer(options: { trustProxy?: boolean } = {}): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: options.trustProxy ?? false });

  // Raw uploads from the web chat arrive as bytes of any type; the flow decides
  // what it accepts and answers the resident in their language.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );

  app.setErrorHandler((error: { statusCode?: number; code?: string; message: string }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) log.error({ err: error, url: request.url }, 'request failed');
    const reason = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError ? 'malformed_json' : status === 500 ? 'internal_error' : (error.code ?? 'bad_request');
    // A refusal that explains itself to a person (too many requests, in their language) keeps its words.
    void reply.code(status).send(status === 429 ? { error: reason, message: error.message } : { error: reason });
  });
  app.setNotFoundHandler((_request, reply) => void reply.code(404).send({ error: 'not_found' }));

  app.get('/healthz', async () => ({ status: 'ok' }));
  return app;
}
