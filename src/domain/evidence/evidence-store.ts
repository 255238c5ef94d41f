import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
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

  /**
   * Re-encrypts with the current key every file made with a previous one
   * (a key rotation): each is written beside the old one and renamed over
   * it, so a crash leaves either file whole. How many were rewritten.
   */
  async reencrypt(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    let rewritten = 0;
    for (const name of names.filter((n) => n.endsWith('.bin'))) {
      const file = path.join(this.dir, name);
      const sealed = await readFile(file);
      if (this.cipher.isCurrent(sealed)) continue;
      const next = `${file}.${randomUUID()}.tmp`;
      await writeFile(next, this.cipher.encryptBytes(this.cipher.decryptBytes(sealed)), { mode: 0o600 });
      await rename(next, file);
      rewritten += 1;
    }
    return rewritten;
  }

  private file(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`Bad evidence id ${id}`);
    return path.join(this.dir, `${id}.bin`);
  }
}
