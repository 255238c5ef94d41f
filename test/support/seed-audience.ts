import { chatKey } from '../../src/conversation/chat-key';
import { Audience } from '../../src/domain/campaigns/audience';
import { EvidenceStore } from '../../src/domain/evidence/evidence-store';
import { FileStore } from '../../src/storage/file-store';
import { ResidentService } from '../../src/domain/residents/resident-service';
import { createPiiCipher } from '../../src/shared/pii-cipher';
import type { Models } from '../../src/storage/database';
import type { CampaignDoc } from '../../src/storage/models/campaign.model';
import { TEST_KEY } from './test-env';
import type { EvidenceRecord } from '../../src/core/report';
import { ReportRepository } from '../../src/storage/report-repository';

/**
 * Residents who consented and subscribed, written through the real services
 * with the test key, as if each had done /dangky: for runs larger than a
 * chat-driven spec can set up. Returns their Telegram chat ids.
 */
export async function seedTelegramSubscribers(models: Models, firstChatId: number, count: number, wardId: string, topics: string[]): Promise<number[]> {
  const cipher = createPiiCipher(Buffer.from(TEST_KEY, 'base64'));
  const residents = new ResidentService(models.residents, new ReportRepository(models.reports, models.reportActions, cipher), cipher);
  const audience = new Audience({ subscriptions: models.subscriptions, groups: models.broadcastGroups }, residents, cipher);
  const ids = Array.from({ length: count }, (_, i) => firstChatId + i);
  const now = new Date();
  for (const id of ids) {
    const address = { channel: 'telegram' as const, chatId: String(id) };
    const key = chatKey(cipher, address);
    await residents.recordConsent(key, address, 'vi', now);
    await audience.subscribe(key, wardId, topics, now);
  }
  return ids;
}

/** An active campaign due at `at`, as /chiendich would create it. */
export async function seedCampaign(models: Models, id: string, fields: Partial<CampaignDoc> & Pick<CampaignDoc, 'schedule'>): Promise<void> {
  const cipher = createPiiCipher(Buffer.from(TEST_KEY, 'base64'));
  await models.campaigns.create({
    _id: id,
    topic: 'scams',
    messages: [{ text: `Cảnh báo ${id}: không chuyển tiền cho người lạ tự xưng công an.` }],
    audience: { wards: ['q3-p4'], residents: true, groups: false, ownGroupsOf: null },
    quiet: null,
    status: 'active',
    authorId: '7000',
    authorAddressEnc: cipher.encrypt(JSON.stringify({ channel: 'telegram', chatId: '7000' })),
    scheduledThrough: new Date((fields.schedule.kind === 'once' ? fields.schedule.at.getTime() : Date.now()) - 60_000),
    createdAt: new Date(),
    ...fields,
  });
}

/** Bytes that start as a JPEG or a PNG does (what the bot checks), for campaign pictures. */
export const JPEG_BYTES = (label: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`jpeg ${label}`)]);
/**
 * A real 8×8 JPEG photo carrying EXIF metadata (Make "PhoneMaker", Model "Model X",
 * Copyright "Nguyen Van Chu"): what a phone's photo betrays, for the evidence cleaning specs.
 */
export const PHOTO_WITH_EXIF = Buffer.from(
  '/9j/4QEERXhpZgAASUkqAAgAAAAJAA8BAgALAAAAogAAABABAgAIAAAAmgAAABIBAwABAAAAAQAAABoBBQABAAAAegAAABsBBQABAAAAggAAACgBAwABAAAAAgAAABMCAwABAAAAAQAAAJiCAgAPAAAAigAAAGmHBAABAAAArgAAAAAAAAA4YwAA6AMAADhjAADoAwAATmd1eWVuIFZhbiBDaHUAAE1vZGVsIFgAUGhvbmVNYWtlcgAABgAAkAcABAAAADAyMTABkQcABAAAAAECAwAAoAcABAAAADAxMDABoAMAAQAAAP//AAACoAQAAQAAAAgAAAADoAQAAQAAAAgAAAAAAAAA/+IB8ElDQ19QUk9GSUxFAAEBAAAB4GxjbXMEIAAAbW50clJHQiBYWVogB+IAAwAUAAkADgAdYWNzcE1TRlQAAAAAc2F3c2N0cmwAAAAAAAAAAAAAAAAAAPbWAAEAAAAA0y1oYW5keem/Vlo+AbaDI4VVRvdPqgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAKZGVzYwAAAPwAAAAkY3BydAAAASAAAAAid3RwdAAAAUQAAAAUY2hhZAAAAVgAAAAsclhZWgAAAYQAAAAUZ1hZWgAAAZgAAAAUYlhZWgAAAawAAAAUclRSQwAAAcAAAAAgZ1RSQwAAAcAAAAAgYlRSQwAAAcAAAAAgbWx1YwAAAAAAAAABAAAADGVuVVMAAAAIAAAAHABzAFIARwBCbWx1YwAAAAAAAAABAAAADGVuVVMAAAAGAAAAHABDAEMAMAAAWFlaIAAAAAAAAPbWAAEAAAAA0y1zZjMyAAAAAAABDD8AAAXd///zJgAAB5AAAP2S///7of///aIAAAPcAADAcVhZWiAAAAAAAABvoAAAOPIAAAOPWFlaIAAAAAAAAGKWAAC3iQAAGNpYWVogAAAAAAAAJKAAAA+FAAC2xHBhcmEAAAAAAAMAAAACZmkAAPKnAAANWQAAE9AAAApb/9sAQwAGBAUGBQQGBgUGBwcGCAoQCgoJCQoUDg8MEBcUGBgXFBYWGh0lHxobIxwWFiAsICMmJykqKRkfLTAtKDAlKCko/9sAQwEHBwcKCAoTCgoTKBoWGigoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo/8AAEQgACAAIAwEiAAIRAQMRAf/EABUAAQEAAAAAAAAAAAAAAAAAAAAB/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/EABUBAQEAAAAAAAAAAAAAAAAAAAMG/8QAFBEBAAAAAAAAAAAAAAAAAAAAAP/aAAwDAQACEQMRAD8AoAUA/9k=',
  'base64',
);
/** A real, complete 1×1 PNG (evidence is kept only when its bytes are what they claim to be). */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const PNG_BYTES = (label: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(`png ${label}`)]);

/** A campaign picture kept in a service's evidence store (in its database), as the campaign flow keeps one. */
export async function seedPicture(models: Models, bytes: Buffer, mime: string, telegramFileId: string | null = null): Promise<EvidenceRecord> {
  const store = new EvidenceStore(new FileStore({ files: models.files, chunks: models.fileChunks }), createPiiCipher(Buffer.from(TEST_KEY, 'base64')));
  return store.save(bytes, { kind: 'photo', mime, fileName: null, platform: telegramFileId ? { channel: 'telegram', fileId: telegramFileId } : null });
}
