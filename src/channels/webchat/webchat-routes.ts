import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { DeskService } from '../../domain/desks/desk-service';
import type { EvidenceStore } from '../../domain/evidence/evidence-store';
import type { ReportService } from '../../domain/reports/report-service';
import type { InboundPipeline } from '../../conversation/inbound-pipeline';
import { type Translate } from '../../i18n';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { WebchatChannel } from './webchat-channel';
import type { InboundEvent, InboundMedia } from '../../core/chat';
import { isLanguage, type Language } from '../../core/language';
import { evidenceTypeOf } from '../../domain/evidence/evidence-type';
import { ensureSession, secureWebchat, sessionOf } from './webchat-security';
import { renderPage } from './webchat-page';
import { WebDeskLock } from './web-desk-lock';

const messageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'id must be 8 to 64 letters, digits, _ or -');

const postMessage = z
  .object({
    id: messageId,
    text: z.string().max(20_000).optional(),
    button: z.string().max(100).optional(),
    /** What the page showed for this message (a button's label, a pin): kept in the transcript beside the bot's messages. */
    label: z.string().max(200).optional(),
    /** Sent by the page on its own (its first /start, a language switch): not shown, not kept as the resident's words. */
    quiet: z.boolean().optional(),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
  })
  .strict()
  .refine((b) => [b.text, b.button, b.location].filter((v) => v !== undefined).length === 1, 'send exactly one of text, button, location');

const pollQuery = z.object({ after: z.coerce.number().int().min(0).default(0) });
const uploadQuery = z.object({ id: messageId, name: z.string().max(200).optional() });

export interface WebchatRouteDeps {
  pipeline: InboundPipeline;
  channel: WebchatChannel;
  desks: DeskService;
  reports: ReportService;
  /** Whether this desk was sent the case's card (a unit that forwarded it, or read it for others, may still open its files). */
  hasCard(reportId: string, deskId: string): Promise<boolean>;
  evidence: EvidenceStore;
  cipher: PiiCipher;
  translate(lang: Language): Translate;
  maxUploadBytes: number;
  /** Requests per minute: one browser session, and one address. */
  limits: { perSession: number; perAddress: number };
  /** A web chat desk locks after this long without its officer acting (WEBCHAT_DESK_IDLE_MINUTES). */
  deskIdleMs: number;
  clock: () => Date;
  /** Local mode: the page says it is the test chat on this machine; otherwise it is the ward's public channel. */
  local: boolean;
}

/** `/trucban <code>` (or `/desk <code>`): what a locked desk types to open again. */
const DESK_CODE = /^\/(?:trucban|desk)\s+(\S+)\s*$/i;

/**
 * The web chat's HTTP side: the page, and a small JSON API through which the
 * page talks to the same InboundPipeline as Telegram. The browser's session
 * is a cookie (webchat-security.ts); every writing request carries the CSRF
 * token the session call gave the page.
 */
export async function registerWebchatRoutes(app: FastifyInstance, deps: WebchatRouteDeps): Promise<void> {
  const publicDir = path.join(__dirname, 'public');
  const template = readFileSync(path.join(publicDir, 'index.html'), 'utf8');
  const script = readFileSync(path.join(publicDir, 'webchat.js'), 'utf8');
  const styles = readFileSync(path.join(publicDir, 'webchat.css'), 'utf8');
  const languageOf = (request: FastifyRequest): Language => {
    const header = request.headers['accept-language'];
    return typeof header === 'string' && /^en\b/i.test(header) ? 'en' : 'vi';
  };
  const { limited } = await secureWebchat(app, {
    cookieSecret: deps.cipher.pseudonym('webchat:cookie-secret'),
    perSessionPerMinute: deps.limits.perSession,
    perAddressPerMinute: deps.limits.perAddress,
    politeMessage: (request) => deps.translate(languageOf(request))('webchat.rate_limited'),
  });
  const writing = { onRequest: app.csrfProtection, preHandler: limited };
  const reading = { preHandler: limited };
  const noSession = (reply: FastifyReply) => reply.code(401).send({ error: 'no_session' });
  const deskLock = new WebDeskLock(deps.desks, deps.deskIdleMs, deps.clock);
  const locked = (request: FastifyRequest, reply: FastifyReply) =>
    reply.code(401).send({ error: 'desk_locked', message: deps.translate(languageOf(request))('webchat.desk_locked', { minutes: deskLock.idleMinutes }) });
  /** This browser's session, unless it has none or is a desk locked for inactivity (then the answer is sent here). */
  const openSession = async (request: FastifyRequest, reply: FastifyReply, acting: boolean): Promise<string | null> => {
    const session = sessionOf(request);
    if (!session) {
      await noSession(reply);
      return null;
    }
    if ((await deskLock.state(session, acting)) === 'locked') {
      await locked(request, reply);
      return null;
    }
    return session;
  };

  app.get('/', async (request, reply) => {
    const queryLang = (request.query as { lang?: unknown }).lang;
    const lang: Language = isLanguage(queryLang) ? queryLang : 'vi';
    return reply.type('text/html; charset=utf-8').send(renderPage(template, lang, deps.translate(lang), deps.maxUploadBytes, deps.local));
  });
  app.get('/webchat.js', async (_request, reply) => reply.type('application/javascript; charset=utf-8').send(script));
  app.get('/webchat.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(styles));

  // Starts (or resumes) this browser's session: the cookie is set here, and the page gets only the CSRF token for its writes.
  app.post('/api/webchat/sessions', reading, async (request, reply) => {
    ensureSession(request, reply);
    return { csrfToken: reply.generateCsrf() };
  });

  app.post('/api/webchat/messages', writing, async (request, reply) => {
    const session = sessionOf(request);
    if (!session) return noSession(reply);
    const parsed = postMessage.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_request', issues: parsed.error.issues.map((i) => i.message) });
    const body = parsed.data;
    if ((await deskLock.state(session, true)) === 'locked') {
      // Only the unit's own code opens a locked desk; then the bot answers it as usual ("this chat is already the desk of …").
      const code = DESK_CODE.exec(body.text?.trim() ?? '')?.[1];
      if (!code || !(await deskLock.unlock(session, code))) return locked(request, reply);
    }
    const base = baseEvent(deps.cipher, session, body.id);
    let event: InboundEvent;
    if (body.location) event = { ...base, kind: 'location', lat: body.location.lat, lon: body.location.lon };
    else if (body.button !== undefined) event = { ...base, kind: 'button', payload: body.button };
    else event = textEvent(base, body.text ?? '');
    const own = body.quiet ? undefined : (body.label ?? body.text ?? (body.location ? `📍 ${body.location.lat}, ${body.location.lon}` : undefined));
    // Not recorded (the database is unreachable, say): 503, and the page sends the same message again, which is then handled once.
    if (own && !(await deps.channel.recordOwn(session, body.id, own.slice(0, 2000)).then(() => true, () => false))) return reply.code(503).send({ error: 'retry_later' });
    const result = await deps.pipeline.process(event);
    if (result === 'failed' || result === 'pending') return reply.code(503).send({ error: 'retry_later' });
    return { result };
  });

  app.post('/api/webchat/upload', { ...writing, bodyLimit: deps.maxUploadBytes + 1024 }, async (request, reply) => {
    const session = await openSession(request, reply, true);
    if (!session) return reply;
    const parsed = uploadQuery.safeParse(request.query);
    if (!parsed.success || !Buffer.isBuffer(request.body)) return reply.code(400).send({ error: 'invalid_request' });
    const bytes = request.body;
    const mime = (request.headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
    const media: InboundMedia = {
      kind: mime.startsWith('image/') ? 'photo' : mime.startsWith('video/') ? 'video' : mime.startsWith('audio/') ? 'audio' : 'document',
      mime,
      size: bytes.length,
      fileName: parsed.data.name ?? null,
      platformFileId: null,
      fetch: async () => bytes,
    };
    const event: InboundEvent = { ...baseEvent(deps.cipher, session, parsed.data.id), kind: 'media', media };
    if (!(await deps.channel.recordOwn(session, parsed.data.id, `📎 ${parsed.data.name ?? media.kind}`).then(() => true, () => false))) return reply.code(503).send({ error: 'retry_later' });
    return { result: await deps.pipeline.process(event) };
  });

  app.get('/api/webchat/messages', reading, async (request, reply) => {
    const session = await openSession(request, reply, false);
    if (!session) return reply;
    const parsed = pollQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_request' });
    return { messages: await deps.channel.since(session, parsed.data.after) };
  });

  // A file the bot made for a chat (an export, a chart) is served to that chat's session only.
  app.get('/api/webchat/files/:id', reading, async (request, reply) => {
    const session = await openSession(request, reply, false);
    if (!session) return reply;
    const params = z.object({ id: z.string().uuid() }).safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'invalid_request' });
    const file = await deps.channel.file(session, params.data.id);
    if (!file) return reply.code(404).send({ error: 'not_found' });
    return sendFile(reply, file.data, file.fileName ?? params.data.id);
  });

  // Evidence is shown only to a web chat registered as the desk of a unit holding the tip, or one that was sent its card.
  app.get('/api/webchat/evidence/:id', reading, async (request, reply) => {
    const session = await openSession(request, reply, false);
    if (!session) return reply;
    const params = z.object({ id: z.string().uuid() }).safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'invalid_request' });
    const desk = await deps.desks.find({ channel: 'webchat', chatId: session });
    if (!desk) return reply.code(403).send({ error: 'desk_only' });
    const found = await deps.reports.evidenceById(params.data.id);
    if (!found) return reply.code(404).send({ error: 'not_found' });
    if (!found.unitIds.includes(desk.unitId) && !(await deps.hasCard(found.reportId, desk._id))) return reply.code(403).send({ error: 'not_your_unit' });
    return sendFile(reply, await deps.evidence.load(found.record.id), found.record.fileName ?? found.record.id);
  });
}

/**
 * A stored file, typed by what its bytes are (never by a stored or claimed
 * type): a picture shown in the page, anything else downloaded; nosniff
 * (helmet) keeps the browser from guessing otherwise.
 */
async function sendFile(reply: FastifyReply, data: Buffer, fileName: string): Promise<FastifyReply> {
  const detected = await evidenceTypeOf(data, 'document');
  const textual = /\.csv$/i.test(fileName) ? 'text/csv; charset=utf-8' : null;
  const mime = detected?.mime ?? textual ?? 'application/octet-stream';
  const disposition = mime.startsWith('image/') ? 'inline' : 'attachment';
  return reply.type(mime).header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(fileName)}`).send(data);
}

function baseEvent(cipher: PiiCipher, session: string, id: string) {
  return {
    key: `webchat:${cipher.pseudonym(session)}:${id}`,
    address: { channel: 'webchat' as const, chatId: session },
    isGroup: false,
    senderId: session,
    senderName: null,
  };
}

function textEvent(base: ReturnType<typeof baseEvent>, text: string): InboundEvent {
  const command = /^\/([\p{L}\p{N}_]{1,64})(?:\s+([\s\S]*))?$/u.exec(text.trim());
  if (command) return { ...base, kind: 'command', command: command[1], args: (command[2] ?? '').trim() };
  return { ...base, kind: 'text', text };
}
