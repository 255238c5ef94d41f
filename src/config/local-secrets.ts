import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { generateKey } from '../shared/pii-cipher';
import type { Env } from './env';

const secretsSchema = z.object({ dataEncryptionKey: z.string(), officerInviteCode: z.string() });

export interface Secrets {
  dataEncryptionKey: string;
  officerInviteCode: string;
  /** Where generated secrets were kept, for the start-up banner; null when all came from the environment. */
  generatedFile: string | null;
}

/**
 * Production takes its secrets from the environment (validated in env.ts).
 * The local default generates them once and keeps them in DATA_DIR, so data
 * encrypted yesterday still decrypts today.
 */
export function resolveSecrets(env: Env): Secrets {
  if (env.DATA_ENCRYPTION_KEY && env.OFFICER_INVITE_CODE) {
    return { dataEncryptionKey: env.DATA_ENCRYPTION_KEY, officerInviteCode: env.OFFICER_INVITE_CODE, generatedFile: null };
  }
  const file = path.resolve(env.DATA_DIR, 'local-secrets.json');
  let stored: z.infer<typeof secretsSchema>;
  if (existsSync(file)) {
    stored = secretsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } else {
    stored = { dataEncryptionKey: generateKey(), officerInviteCode: randomBytes(6).toString('hex') };
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return {
    dataEncryptionKey: env.DATA_ENCRYPTION_KEY ?? stored.dataEncryptionKey,
    officerInviteCode: env.OFFICER_INVITE_CODE ?? stored.officerInviteCode,
    generatedFile: file,
  };
}
