import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PiiCipher } from '../../shared/pii-cipher';
import type { OutboundAttachment } from '../../core/chat';
import type { EvidenceKind, EvidenceRecord } from '../../core/report';

/**
 * Keeps the service's own copy of every evidence file, encrypted, under
 * DATA_DIR/evidence: platform links (Telegram file paths, Zalo URLs) expire,
 * a tip's evidence must not.
 */
export class EvidenceStore {
  constructor(
    private readonly dir: string,
    private readonly cipher: PiiCipher,
  ) {}

  async save(
    bytes: Buffer,
    meta: { kind: EvidenceKind; mime: string; fileName: string | null; platform: EvidenceRecord['platform'] },
  ): Promise<EvidenceRecord> {
    const id = randomUUID();
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await writeFile(this.file(id), this.cipher.encryptBytes(bytes), { mode: 0o600 });
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
    return this.cipher.decryptBytes(await readFile(this.file(id)));
  }

  /** A stored file as something to send: the platform's handle where there is one, else our copy, loaded when needed. */
  attachment(record: EvidenceRecord): OutboundAttachment {
    return { kind: record.kind, mime: record.mime, fileName: record.fileName, evidenceId: record.id, platform: record.platform, load: () => this.load(record.id) };
  }

  async remove(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => rm(this.file(id), { force: true })));
  }

  private file(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`Bad evidence id ${id}`);
    return path.join(this.dir, `${id}.bin`);
  }
}
