import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from './errors';

/**
 * Encryption of personal data at rest (AES-256-GCM) and pseudonymous keys.
 *
 * Two sub-keys are derived from DATA_ENCRYPTION_KEY with HKDF so the same
 * secret never serves two purposes: one encrypts, one computes the HMAC
 * pseudonyms that stand in for chat ids in every collection.
 */
export interface PiiCipher {
  encrypt(plaintext: string): string;
  decrypt(token: string): string;
  encryptBytes(data: Buffer): Buffer;
  decryptBytes(data: Buffer): Buffer;
  /** A stable, non-reversible key for an identifier such as "telegram:12345". */
  pseudonym(identifier: string): string;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new AppError('config_invalid', 'DATA_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)');
  }
  return key;
}

export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

export function createPiiCipher(masterKey: Buffer): PiiCipher {
  const encKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tinbao/encrypt', 32));
  const macKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tinbao/pseudonym', 32));

  const sealBytes = (data: Buffer): Buffer => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', encKey, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  };

  const openBytes = (sealed: Buffer): Buffer => {
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new AppError('decrypt_failed', 'Ciphertext too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', encKey, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new AppError('decrypt_failed', 'Cannot decrypt: wrong DATA_ENCRYPTION_KEY or corrupted data');
    }
  };

  return {
    encrypt: (plaintext) => `${VERSION}:${sealBytes(Buffer.from(plaintext, 'utf8')).toString('base64')}`,
    decrypt: (token) => {
      const [version, body] = token.split(':', 2);
      if (version !== VERSION || !body) throw new AppError('decrypt_failed', 'Unknown ciphertext format');
      return openBytes(Buffer.from(body, 'base64')).toString('utf8');
    },
    encryptBytes: sealBytes,
    decryptBytes: openBytes,
    pseudonym: (identifier) => createHmac('sha256', macKey).update(identifier).digest('base64url').slice(0, 32),
  };
}
