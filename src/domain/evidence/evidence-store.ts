import { createHash, randomUUID } from 'node:crypto';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { OutboundAttachment } from '../../core/chat';
import type { EvidenceKind, EvidenceRecord } from '../../core/report';

/** Where the sealed bytes live: the database (storage/file-store.ts), so every instance reads what any one received. */
export interface SealedFiles {
  put(id: string, bytes: Buffer, keyId: string): Promise<void>;
  get(id: string): Promise<Buffer>;
  remove(ids: string[]): Promise<void>;
  /** Re-seals a batch of the files not made with `keyId`: how many it changed (0 when nothing is left to do) and rewrote. */
  reseal(keyId: string, reseal: (bytes: Buffer) => Buffer | null): Promise<{ changed: number; rewritten: number }>;
}

/**
 * Keeps the service's own copy of every evidence file (and campaign
 * picture), encrypted: platform links (Telegram file paths, Zalo URLs)
 * expire, a tip's evidence must not.
 */
export class EvidenceStore {
  constructor(
    private readonly files: SealedFiles,
    private readonly cipher: PiiCipher,
  ) {}

  async save(
    bytes: Buffer,
    meta: { kind: EvidenceKind; mime: string; fileName: string | null; platform: EvidenceRecord['platform'] },
  ): Promise<EvidenceRecord> {
    const id = randomUUID();
    await this.files.put(id, this.cipher.encryptBytes(bytes), this.cipher.currentKeyId);
    return {
      id,
      kind: meta.kind,
      mime: meta.mime,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      fileName: meta.fileName,
      platform: meta.platform,
    };
  }

  async load(id: string): Promise<Buffer> {
    return this.cipher.decryptBytes(await this.files.get(id));
  }

  /** A stored file as something to send: the platform's handle where there is one, else our copy, loaded when needed. */
  attachment(record: EvidenceRecord): OutboundAttachment {
    return { kind: record.kind, mime: record.mime, fileName: record.fileName, evidenceId: record.id, platform: record.platform, load: () => this.load(record.id) };
  }

  async remove(ids: string[]): Promise<void> {
    await this.files.remove(ids);
  }

  /** Re-encrypts with the current key every file made with a previous one (a key rotation). How many were rewritten. */
  async reencrypt(): Promise<number> {
    let rewritten = 0;
    for (;;) {
      const batch = await this.files.reseal(this.cipher.currentKeyId, (sealed) => (this.cipher.isCurrent(sealed) ? null : this.cipher.encryptBytes(this.cipher.decryptBytes(sealed))));
      rewritten += batch.rewritten;
      if (batch.changed === 0) return rewritten;
    }
  }
}
