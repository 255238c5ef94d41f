import { fromBuffer } from 'file-type';
import type { EvidenceKind } from '../../core/report';

/** What a stored file is, read from its bytes; never what its name or its sender claimed. */
export interface EvidenceType {
  kind: EvidenceKind;
  mime: string;
  ext: string;
}

/** Office documents: Word, Excel, PowerPoint (Office Open XML), OpenDocument, and the older binary formats (CFB). */
const DOCUMENT_MIME = /^application\/(pdf|vnd\.openxmlformats-officedocument\..+|vnd\.oasis\.opendocument\..+|x-cfb|msword|vnd\.ms-(excel|powerpoint)|rtf)$/;

/**
 * The type of a file from its first bytes (`file-type`, which knows several
 * hundred formats by their signatures): images, video, audio, PDF and office
 * documents are evidence; anything else (a program renamed .jpg, an error
 * page served instead of a file) is null and refused.
 */
export async function evidenceTypeOf(bytes: Buffer, claimedKind: EvidenceKind): Promise<EvidenceType | null> {
  // A file cut short after its signature makes the detector run out of bytes: not evidence either.
  const detected = await fromBuffer(bytes).catch(() => undefined);
  if (!detected) return null;
  const { mime, ext } = detected;
  if (mime.startsWith('image/')) return { kind: 'photo', mime, ext };
  if (mime.startsWith('video/')) return { kind: 'video', mime, ext };
  // A voice note stays one; any other sound is audio.
  if (mime.startsWith('audio/')) return { kind: claimedKind === 'voice' ? 'voice' : 'audio', mime, ext };
  if (DOCUMENT_MIME.test(mime)) return { kind: 'document', mime, ext };
  return null;
}
