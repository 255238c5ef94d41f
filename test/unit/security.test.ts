import { createPiiCipher, derivedPseudonymKey, parseKey, parseKeys } from '../../src/shared/pii-cipher';
import { parseEnv } from '../../src/config/env';
import { sameSecret } from '../../src/shared/secrets';

describe('personal data encryption', () => {
  const cipher = createPiiCipher(Buffer.alloc(32, 1));

  it('round-trips text and never repeats a ciphertext', () => {
    const a = cipher.encrypt('0912345678');
    const b = cipher.encrypt('0912345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('0912345678');
    expect(cipher.decrypt(a)).toBe('0912345678');
  });

  it('refuses a tampered ciphertext or another key', () => {
    const token = cipher.encrypt('Nguyễn Văn A');
    const [version, keyId, sealed] = token.split(':');
    const body = Buffer.from(sealed ?? '', 'base64');
    body[body.length - 1] ^= 1;
    expect(() => cipher.decrypt(`${version}:${keyId}:${body.toString('base64')}`)).toThrow(/Cannot decrypt/);
    expect(() => createPiiCipher(Buffer.alloc(32, 2)).decrypt(token)).toThrow(/not configured/);
  });

  describe('key rotation', () => {
    const oldKey = Buffer.alloc(32, 1);
    const newKey = Buffer.alloc(32, 7);
    const rotating = createPiiCipher(newKey, { previous: [oldKey] });

    it('names the key in every ciphertext, text and file, and encrypts new data with the current key', () => {
      const token = cipher.encrypt('0912345678');
      expect(token.startsWith(`v2:${cipher.currentKeyId}:`)).toBe(true);
      expect(rotating.currentKeyId).not.toBe(cipher.currentKeyId);
      expect(rotating.isCurrent(token)).toBe(false);
      expect(rotating.isCurrent(rotating.encrypt('x'))).toBe(true);
      expect(rotating.isCurrent(cipher.encryptBytes(Buffer.from('photo')))).toBe(false);
      expect(rotating.isCurrent(rotating.encryptBytes(Buffer.from('photo')))).toBe(true);
    });

    it('decrypts with a previous key what it made, and what was made before key ids', () => {
      expect(rotating.decrypt(cipher.encrypt('Trần Văn B'))).toBe('Trần Văn B');
      expect(rotating.decryptBytes(cipher.encryptBytes(Buffer.from('photo'))).toString()).toBe('photo');
      // Made before key ids: "v1:" text and files without the header, as stored by earlier versions.
      const legacyText = `v1:${cipher.encrypt('cũ').split(':')[2]}`;
      expect(rotating.decrypt(legacyText)).toBe('cũ');
      const legacyFile = cipher.encryptBytes(Buffer.from('ảnh cũ')).subarray(8);
      expect(rotating.decryptBytes(legacyFile).toString()).toBe('ảnh cũ');
    });

    it('keeps pseudonyms when told the key they were made with', () => {
      const kept = createPiiCipher(newKey, { previous: [oldKey], pseudonymKey: derivedPseudonymKey(oldKey) });
      expect(kept.pseudonym('telegram:42')).toBe(cipher.pseudonym('telegram:42'));
    });

    it('reads the previous keys from a comma-separated list', () => {
      expect(parseKeys(` ${oldKey.toString('base64')} , ${newKey.toString('hex')}`, 'DATA_ENCRYPTION_PREVIOUS_KEYS')).toEqual([oldKey, newKey]);
      expect(parseKeys(undefined, 'DATA_ENCRYPTION_PREVIOUS_KEYS')).toEqual([]);
      expect(() => parseKeys('short', 'DATA_ENCRYPTION_PREVIOUS_KEYS')).toThrow(/DATA_ENCRYPTION_PREVIOUS_KEYS must be 32 bytes/);
    });
  });

  it('gives stable pseudonyms that reveal nothing of the id', () => {
    expect(cipher.pseudonym('telegram:42')).toBe(cipher.pseudonym('telegram:42'));
    expect(cipher.pseudonym('telegram:42')).not.toBe(cipher.pseudonym('telegram:43'));
    expect(cipher.pseudonym('telegram:42')).not.toContain('42');
  });

  it('accepts a 32-byte key as hex or base64 and rejects anything else', () => {
    expect(parseKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseKey(Buffer.alloc(32, 3).toString('base64'))).toHaveLength(32);
    expect(() => parseKey('short')).toThrow(/32 bytes/);
  });

  it('compares secrets of any length', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
});

describe('configuration', () => {
  it('runs locally with no variables at all', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ APP_MODE: 'local', PORT: 3000, HOST: '127.0.0.1', WEBCHAT_ENABLED: true });
    expect(env.MONGODB_URI).toBeUndefined();
    expect(env.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('refuses production without an encryption key, invite code and MongoDB, naming each variable', () => {
    expect(() => parseEnv({ APP_MODE: 'production' })).toThrow(/DATA_ENCRYPTION_KEY: is required[\s\S]*OFFICER_INVITE_CODE[\s\S]*MONGODB_URI/);
  });

  it('requires a webhook secret Telegram accepts when a webhook URL is set', () => {
    expect(() => parseEnv({ TELEGRAM_WEBHOOK_URL: 'https://x.example/webhooks/telegram' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => parseEnv({ TELEGRAM_WEBHOOK_URL: 'https://x.example/h', TELEGRAM_WEBHOOK_SECRET: 'has space' })).toThrow(/A-Z/);
  });

  it('names the variable when a number is not one', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});
