import { z } from 'zod';
import { AppError } from '../shared/errors';

/**
 * Every environment variable the service reads, declared, parsed and
 * validated here once at start-up. No other module reads `process.env`.
 * The README's configuration table mirrors this schema.
 */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z
  .object({
    APP_MODE: z.enum(['local', 'production']).default('local'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATA_DIR: z.string().default('.data'),
    CONFIG_DIR: z.string().default('config'),

    MONGODB_URI: optionalString,
    FERRETDB_BIN: optionalString,

    DATA_ENCRYPTION_KEY: optionalString,
    /** Keys rotated out, comma-separated: they still decrypt until the re-encryption job has moved everything to DATA_ENCRYPTION_KEY. */
    DATA_ENCRYPTION_PREVIOUS_KEYS: optionalString,
    OFFICER_INVITE_CODE: optionalString,

    TELEGRAM_BOT_TOKEN: optionalString,
    TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),
    TELEGRAM_WEBHOOK_SECRET: optionalString,
    TELEGRAM_POLLING: booleanFlag.default(true),
    ADMIN_TELEGRAM_IDS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^\d{1,20}$/, 'must be Telegram user ids (digits), separated by commas'))),

    ZALO_APP_ID: optionalString,
    ZALO_APP_SECRET: optionalString,
    ZALO_OA_SECRET_KEY: optionalString,
    ZALO_API_BASE: z.string().url().default('https://openapi.zalo.me'),
    ZALO_OAUTH_BASE: z.string().url().default('https://oauth.zaloapp.com'),
    ZALO_ACCESS_TOKEN: optionalString,
    ZALO_REFRESH_TOKEN: optionalString,
    /** Campaigns reach Zalo followers outside the 7-day window as promotion messages (a verified OA with promotion quota). */
    ZALO_PROMOTION: booleanFlag.default(false),

    /** Behind a reverse proxy (the compose file's Caddy): client address and https taken from its X-Forwarded-* headers. */
    TRUST_PROXY: booleanFlag.default(false),
    /** The web chat: on by default in local mode, off in production unless set to true. */
    WEBCHAT_ENABLED: booleanFlag.optional(),
    /** Whether a web chat may become a unit's desk (/trucban): on by default in local mode, off in production unless set to true. */
    WEBCHAT_DESKS: booleanFlag.optional(),
    /** A web chat desk locks after this many minutes without its officer writing or pressing a button; /trucban <code> opens it again. */
    WEBCHAT_DESK_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
    /** Requests one web chat browser session may make per minute (the page polls 40 times a minute), and one address, all its sessions. */
    WEBCHAT_REQUESTS_PER_MINUTE: z.coerce.number().int().min(50).default(120),
    WEBCHAT_REQUESTS_PER_MINUTE_PER_ADDRESS: z.coerce.number().int().min(50).default(600),

    /** A self-management model with no activity recorded for this many weeks is flagged "hoạt động cầm chừng" for its unit to review (/mohinh). */
    MODEL_DORMANT_WEEKS: z.coerce.number().int().min(1).max(104).default(8),

    MAX_TEXT_LENGTH: z.coerce.number().int().min(50).max(4000).default(2000),
    MAX_EVIDENCE_FILES: z.coerce.number().int().min(0).max(50).default(10),
    MAX_EVIDENCE_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
    CONVERSATION_TTL_HOURS: z.coerce.number().positive().default(24),
    DESK_DELIVERY_INTERVAL_MS: z.coerce.number().int().min(50).default(30_000),
    DESK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
    BROADCAST_RATE_PER_SECOND: z.coerce.number().positive().max(10_000).default(30),
    BROADCAST_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
    BROADCAST_GROUP_PER_MINUTE: z.coerce.number().int().positive().default(20),
    BROADCAST_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(32),
    BROADCAST_SEND_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
    BROADCAST_WORKER: booleanFlag.default(true),
    BROADCAST_IDLE_POLL_MS: z.coerce.number().int().min(100).default(15_000),
    CHAT_MESSAGES_PER_MINUTE: z.coerce.number().int().min(5).default(60),
    ZALO_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    /** How long one Telegram Bot API call may take before it is abandoned as failed (and retried like any failure); long polling is not cut. */
    TELEGRAM_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    DATABASE_TIMEOUT_MS: z.coerce.number().int().min(200).default(10_000),
    PRIVACY_RETENTION_MONTHS: z.coerce.number().int().positive().default(24),
    /** How long officers' audit entries, stored period figures and campaign runs are kept. */
    AUDIT_RETENTION_MONTHS: z.coerce.number().int().positive().default(60),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_WEBHOOK_URL is set (Telegram sends it back in X-Telegram-Bot-Api-Secret-Token)',
      });
    }
    if (env.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{1,256}$/.test(env.TELEGRAM_WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'may contain only A-Z, a-z, 0-9, _ and - (1 to 256 characters), as Telegram requires',
      });
    }
    if (env.ZALO_OA_SECRET_KEY) {
      for (const name of ['ZALO_APP_ID', 'ZALO_APP_SECRET'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when ZALO_OA_SECRET_KEY is set (the Zalo channel)' });
      }
    }
    if (env.APP_MODE === 'production') {
      for (const name of ['DATA_ENCRYPTION_KEY', 'OFFICER_INVITE_CODE', 'MONGODB_URI'] as const) {
        if (!env[name]) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is required when APP_MODE=production' });
        }
      }
    }
  })
  .transform((env) => ({
    ...env,
    WEBCHAT_ENABLED: env.WEBCHAT_ENABLED ?? env.APP_MODE === 'local',
    WEBCHAT_DESKS: env.WEBCHAT_DESKS ?? env.APP_MODE === 'local',
  }));

export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`)
      .join('\n');
    throw new AppError('config_invalid', `Invalid configuration:\n${problems}\nSee the configuration table in README.md.`);
  }
  return result.data;
}
