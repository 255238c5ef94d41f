import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
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

const sessionId = z.string().regex(/^[a-f0-9]{32}$/, 'sessionId must be 32 hex characters');
const messageId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'id must be 8 to 64 letters, digits, _ or -');

const postMessage = z
  .object({
    sessionId,
    id: messageId,
    text: z.string().max(20_000).optional(),
    button: z.string().max(100).optional(),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
  })
  .strict()
  .refine((b) => [b.text, b.button, b.location].filter((v) => v !== undefined).length === 1, 'send exactly one of text, button, location');

const pollQuery = z.object({ sessionId, after: z.coerce.number().int().min(0).default(0) });
const uploadQuery = z.object({ sessionId, id: messageId, name: z.string().max(200).optional() });

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
}

/**
 * The local web chat's HTTP side: the page, and a small JSON API through
 * which the page talks to the same InboundPipeline as Telegram.
 */
export function registerWebchatRoutes(app: FastifyInstance, deps: WebchatRouteDeps): void {
  const publicDir = path.join(__dirname, 'public');
  const template = readFileSync(path.join(publicDir, 'index.html'), 'utf8');
  const script = readFileSync(path.join(publicDir, 'webchat.js'), 'utf8');
  const styles = readFileSync(path.join(publicDir, 'webchat.css'), 'utf8');

  app.get('/', async (request, reply) => {
    const queryLang = (request.query as { lang?: unknown }).lang;
    const lang: Language = isLanguage(queryLang) ? queryLang : 'vi';
    return reply.type('text/html; charset=utf-8').send(renderPage(template, lang, deps.translate(lang)));
  });
  app.get('/webchat.js', async (_request, reply) => reply.type('application/javascript; charset=utf-8').send(script));
  app.get('/webchat.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(styles));

  app.post('/api/webchat/sessions', async () => ({ sessionId: randomBytes(16).toString('hex') }));

  app.post('/api/webchat/messages', async (request, reply) => {
    const parsed = postMessage.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_request', issues: parsed.error.issues.map((i) => i.message) });
    const body = parsed.data;
    const base = baseEvent(deps.cipher, body.sessionId, body.id);
    let event: InboundEvent;
    if (body.location) event = { ...base, kind: 'location', lat: body.location.lat, lon: body.location.lon };
    else if (body.button !== undefined) event = { ...base, kind: 'button', payload: body.button };
    else event = textEvent(base, body.text ?? '');
    const result = await deps.pipeline.process(event);
    // Not recorded (the database is unreachable, say): 503, and the page sends the same message again, which is then handled once.
    if (result === 'failed' || result === 'pending') return reply.code(503).send({ error: 'retry_later' });
    return { result };
  });

  app.post('/api/webchat/upload', { bodyLimit: deps.maxUploadBytes + 1024 }, async (request, reply) => {
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
    const event: InboundEvent = { ...baseEvent(deps.cipher, parsed.data.sessionId, parsed.data.id), kind: 'media', media };
    return { result: await deps.pipeline.process(event) };
  });

  app.get('/api/webchat/messages', async (request, reply) => {
    const parsed = pollQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: 'invalid_request' });
    return { messages: await deps.channel.since(parsed.data.sessionId, parsed.data.after) };
  });

  // A file the bot made for a chat (an export, a chart) is served to that chat's session only.
  app.get('/api/webchat/files/:id', async (request, reply) => {
    const params = z.object({ id: z.string().uuid() }).safeParse(request.params);
    const query = z.object({ sessionId }).safeParse(request.query);
    if (!params.success || !query.success) return reply.code(400).send({ error: 'invalid_request' });
    const file = await deps.channel.file(query.data.sessionId, params.data.id);
    if (!file) return reply.code(404).send({ error: 'not_found' });
    const name = encodeURIComponent(file.fileName ?? params.data.id);
    return reply.type(file.mime).header('content-disposition', `inline; filename*=UTF-8''${name}`).send(file.data);
  });

  // Evidence is shown only to a web chat registered as the desk of a unit holding the tip, or one that was sent its card.
  app.get('/api/webchat/evidence/:id', async (request, reply) => {
    const params = z.object({ id: z.string().uuid() }).safeParse(request.params);
    const query = z.object({ sessionId }).safeParse(request.query);
    if (!params.success || !query.success) return reply.code(400).send({ error: 'invalid_request' });
    const desk = await deps.desks.find({ channel: 'webchat', chatId: query.data.sessionId });
    if (!desk) return reply.code(403).send({ error: 'desk_only' });
    const found = await deps.reports.evidenceById(params.data.id);
    if (!found) return reply.code(404).send({ error: 'not_found' });
    if (!found.unitIds.includes(desk.unitId) && !(await deps.hasCard(found.reportId, desk._id))) return reply.code(403).send({ error: 'not_your_unit' });
    return reply.type(found.record.mime).send(await deps.evidence.load(found.record.id));
  });
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

function renderPage(template: string, lang: Language, t: Translate): string {
  const keys = ['title', 'subtitle', 'placeholder', 'send', 'attach', 'emergency', 'switch_language', 'connection_lost', 'uploading', 'map_pin', 'share_location', 'location_failed'];
  const strings = Object.fromEntries(keys.map((k) => [k, t(`webchat.${k}`)]));
  const json = JSON.stringify({ lang, strings }).replace(/</g, '\\u003c');
  return template
    .replace(/\{\{lang\}\}/g, lang)
    .replace(/\{\{(\w+)\}\}/g, (_m, key: string) => escapeHtml(strings[key] ?? ''))
    .replace('/*BOOTSTRAP*/', json);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
