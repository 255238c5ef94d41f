import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';

/** The cookie that holds a web chat session: a random id, never in a URL, a body or the page. */
export const SESSION_COOKIE = 'tinbao_chat';
const SESSION_ID = /^[a-f0-9]{32}$/;
/** A session cookie lives this long without use (the page renews it with each start). */
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export interface WebchatLimits {
  /** Signs the CSRF secret's cookie: the same on every instance (a browser's requests reach any of them). */
  cookieSecret: string;
  /** Requests one browser session may make in a minute (the page polls every 1.5 s: 40 of them). */
  perSessionPerMinute: number;
  /** Requests one address may make in a minute, all its sessions together. */
  perAddressPerMinute: number;
  /** Told to a browser that went over a limit. */
  politeMessage: (request: FastifyRequest) => string;
}

/**
 * What makes the web chat safe to put on a ward's website:
 * - the session is an HttpOnly, SameSite=Strict cookie (Secure when served
 *   over HTTPS, as behind the proxy), a random id; nothing that grants it
 *   travels in a URL, a body or the page;
 * - every writing request carries a CSRF token bound to that browser
 *   (@fastify/csrf-protection, double submit with a signed secret cookie);
 * - every response has a strict Content-Security-Policy and nosniff
 *   (@fastify/helmet);
 * - requests are limited per session (@fastify/rate-limit) and per address
 *   (all its sessions together), counted in each instance's memory: with n
 *   instances a browser may make up to n times as many.
 */
export async function secureWebchat(app: FastifyInstance, limits: WebchatLimits): Promise<{ limited: preHandlerAsyncHookHandler[] }> {
  await app.register(fastifyCookie, { secret: limits.cookieSecret });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/cookie', cookieOpts: { httpOnly: true, sameSite: 'strict', path: '/', signed: true }, getToken: (request) => headerOf(request, 'x-csrf-token') });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
    },
    // The page is served over plain HTTP on 127.0.0.1 in local mode: no HSTS from here; the proxy in front sets it (deploy/Caddyfile).
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyRateLimit, { global: false });
  const exceeded = (request: FastifyRequest) => ({ statusCode: 429, code: 'rate_limited', error: 'rate_limited', message: limits.politeMessage(request) });
  // @fastify/rate-limit runs one limiter per request, so the address's budget (all its sessions together) is counted beside it.
  const perSession = app.rateLimit({ max: limits.perSessionPerMinute, timeWindow: 60_000, keyGenerator: (request) => `session:${sessionOf(request) ?? request.ip}`, errorResponseBuilder: exceeded });
  const addresses = new MinuteBudget(limits.perAddressPerMinute);
  const perAddress: preHandlerAsyncHookHandler = async (request, reply) => {
    // Returning the reply ends the request here: the handler does not run.
    if (!addresses.take(request.ip, Date.now())) return reply.code(429).send({ error: 'rate_limited', message: limits.politeMessage(request) });
  };
  return { limited: [perAddress, perSession] };
}

/** Requests per key in the minute since the key's first request of that minute; a key idle for a minute is forgotten. */
class MinuteBudget {
  private readonly used = new Map<string, { since: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly perMinute: number) {}

  /** Counts one request of `key`; false once the key has used its minute's budget. */
  take(key: string, now: number): boolean {
    if (now - this.lastSweep >= 60_000) {
      this.lastSweep = now;
      for (const [k, entry] of this.used) if (now - entry.since >= 60_000) this.used.delete(k);
    }
    const entry = this.used.get(key);
    if (!entry || now - entry.since >= 60_000) {
      this.used.set(key, { since: now, count: 1 });
      return true;
    }
    entry.count += 1;
    return entry.count <= this.perMinute;
  }
}

/** The session of this browser, from its cookie; null without a valid one. */
export function sessionOf(request: FastifyRequest): string | null {
  const value = request.cookies[SESSION_COOKIE];
  return value !== undefined && SESSION_ID.test(value) ? value : null;
}

/** This browser's session: the one its cookie names, or a new one set in a cookie now. */
export function ensureSession(request: FastifyRequest, reply: FastifyReply): string {
  const session = sessionOf(request) ?? randomBytes(16).toString('hex');
  void reply.setCookie(SESSION_COOKIE, session, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', maxAge: SESSION_MAX_AGE_S });
  return session;
}

function headerOf(request: FastifyRequest, name: string): string | void {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
