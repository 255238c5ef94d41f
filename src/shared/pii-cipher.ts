import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from './errors';

/**
 * Encryption of personal data at rest (AES-256-GCM) and pseudonymous keys.
 *
 * Two sub-keys are derived from a data key with HKDF so the same secret never
 * serves two purposes: one encrypts, one computes the HMAC pseudonyms that
 * stand in for chat ids and identifiers in every collection.
 *
 * Rotation: every ciphertext names the key that made it ("v2:<key id>:…";
 * files start with a header holding it). New data is encrypted with the
 * current key; the previous keys still decrypt what they made until the
 * re-encryption job (storage/key-rotation.ts) has moved it to the current
 * one. Ciphertexts made before key ids ("v1:…", files without the header)
 * are tried with every key. Pseudonyms never change with a rotation: their
 * key is kept in the database, encrypted under the data key (storage/keyring.ts).
 */
export interface PiiCipher {
  encrypt(plaintext: string): string;
  decrypt(token: string): string;
  encryptBytes(data: Buffer): Buffer;
  decryptBytes(data: Buffer): Buffer;
  /** A stable, non-reversible key for an identifier such as "telegram:12345". */
  pseudonym(identifier: string): string;
  /** The id of the key new ciphertexts are made with. */
  readonly currentKeyId: string;
  /** Whether a ciphertext (text or file) was made with the current key. */
  isCurrent(sealed: string | Buffer): boolean;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Files made with a named key begin with these bytes, then the 4-byte key id. */
const FILE_MAGIC = Buffer.from('TBK2');

export function parseKey(text: string, name = 'DATA_ENCRYPTION_KEY'): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new AppError('config_invalid', `${name} must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)`);
  }
  return key;
}

/** Keys in a comma-separated list (DATA_ENCRYPTION_PREVIOUS_KEYS). */
export function parseKeys(text: string | undefined, name: string): Buffer[] {
  return (text ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => parseKey(part, name));
}

export function generateKey(): string {
  return randomBytes(32).toString('base64');
}

/** The pseudonym key a data key gives: what every pseudonym was made with before the keyring kept one. */
export function derivedPseudonymKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tinbao/pseudonym', 32));
}

interface DataKey {
  id: string;
  encKey: Buffer;
}

function dataKey(masterKey: Buffer): DataKey {
  const id = createHmac('sha256', masterKey).update('tinbao/key-id').digest('hex').slice(0, 8);
  return { id, encKey: Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tinbao/encrypt', 32)) };
}

/**
 * @param masterKey the current data key (DATA_ENCRYPTION_KEY)
 * @param options.previous keys that only decrypt, until re-encryption is done
 * @param options.pseudonymKey the keyring's pseudonym key; by default the one the current key derives
 */
export function createPiiCipher(masterKey: Buffer, options: { previous?: Buffer[]; pseudonymKey?: Buffer } = {}): PiiCipher {
  const current = dataKey(masterKey);
  const keys = [current, ...(options.previous ?? []).map(dataKey)];
  const byId = new Map(keys.map((key) => [key.id, key]));
  const macKey = options.pseudonymKey ?? derivedPseudonymKey(masterKey);

  const seal = (key: DataKey, data: Buffer): Buffer => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.encKey, iv);
    const body = Buffer.concat([cipher.update(data), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  };

  const openWith = (key: DataKey, sealed: Buffer): Buffer | null => {
    if (sealed.length < IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.encKey, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      return null;
    }
  };

  /** With the named key, or (no name: made before key ids) with whichever key opens it. */
  const open = (keyId: string | null, sealed: Buffer): Buffer => {
    const candidates = keyId === null ? keys : [byId.get(keyId)].filter((key): key is DataKey => key !== undefined);
    if (keyId !== null && candidates.length === 0) throw new AppError('decrypt_failed', `Cannot decrypt: made with key ${keyId}, which is not configured (DATA_ENCRYPTION_PREVIOUS_KEYS)`);
    for (const key of candidates) {
      const opened = openWith(key, sealed);
      if (opened) return opened;
    }
    throw new AppError('decrypt_failed', 'Cannot decrypt: wrong DATA_ENCRYPTION_KEY or corrupted data');
  };

  const fileKeyId = (data: Buffer): string | null => (data.length > 8 && data.subarray(0, 4).equals(FILE_MAGIC) ? data.subarray(4, 8).toString('hex') : null);

  return {
    currentKeyId: current.id,
    encrypt: (plaintext) => `v2:${current.id}:${seal(current, Buffer.from(plaintext, 'utf8')).toString('base64')}`,
    decrypt: (token) => {
      const [version, ...rest] = token.split(':');
      if (version === 'v1' && rest.length === 1 && rest[0]) return open(null, Buffer.from(rest[0], 'base64')).toString('utf8');
      if (version === 'v2' && rest.length === 2 && rest[0] && rest[1]) return open(rest[0], Buffer.from(rest[1], 'base64')).toString('utf8');
      throw new AppError('decrypt_failed', 'Unknown ciphertext format');
    },
    encryptBytes: (data) => Buffer.concat([FILE_MAGIC, Buffer.from(current.id, 'hex'), seal(current, data)]),
    decryptBytes: (data) => {
      const keyId = fileKeyId(data);
      if (keyId !== null && byId.has(keyId)) return open(keyId, data.subarray(8));
      // A file from before key ids may begin with the magic bytes by chance: it is tried whole with every key.
      return open(null, data);
    },
    isCurrent: (sealed) => (typeof sealed === 'string' ? sealed.startsWith(`v2:${current.id}:`) : fileKeyId(sealed) === current.id),
    pseudonym: (identifier) => createHmac('sha256', macKey).update(identifier).digest('base64url').slice(0, 32),
  };
}
