import { createPiiCipher, parseKey } from '../../src/shared/pii-cipher';
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
    const body = Buffer.from(token.slice(3), 'base64');
    body[body.length - 1] ^= 1;
    expect(() => cipher.decrypt(`v1:${body.toString('base64')}`)).toThrow(/Cannot decrypt/);
    expect(() => createPiiCipher(Buffer.alloc(32, 2)).decrypt(token)).toThrow(/Cannot decrypt/);
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
