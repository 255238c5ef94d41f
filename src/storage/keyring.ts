import type { Model } from 'mongoose';
import { insertOnce } from './claims';
import type { KeyringDoc } from './models/keyring.model';
import type { PiiCipher } from '../shared/pii-cipher';

const PSEUDONYM_KEY_ID = 'pseudonym';

/**
 * The pseudonym key, kept in `keyring` encrypted under the data key. The
 * first start stores the key the installation has always used (derived from
 * its oldest data key), so pseudonyms made before the keyring existed stay
 * valid; from then on a rotation of the data key re-encrypts this document
 * like any other and the pseudonyms never change.
 *
 * @param firstKey the key to keep when none is stored yet
 */
export async function pseudonymKey(keyring: Model<KeyringDoc>, cipher: Pick<PiiCipher, 'encrypt' | 'decrypt'>, firstKey: Buffer, now: Date): Promise<Buffer> {
  // Two instances starting together: one insert wins, both read the winner's.
  await insertOnce(keyring, { _id: PSEUDONYM_KEY_ID, keyEnc: cipher.encrypt(firstKey.toString('base64')), createdAt: now });
  const stored = await keyring.findOne({ _id: PSEUDONYM_KEY_ID }).lean();
  if (!stored) throw new Error('keyring: the pseudonym key vanished after it was stored');
  return Buffer.from(cipher.decrypt(stored.keyEnc), 'base64');
}
