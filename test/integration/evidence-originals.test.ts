import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InboundEvent, OutboundMessage } from '../../src/core/chat';
import { saveEvidence } from '../../src/conversation/features/tips/evidence-step';
import { PHOTO_WITH_EXIF } from '../support/seed-audience';
import { ROOT, openServices } from '../support/services';
import { tipSubmission } from '../support/tip-submission';

type Services = Awaited<ReturnType<typeof openServices>>;

const P4_ADMIN = '7101';
const P9_ADMIN = '7102';
const SECRETS = ['PhoneMaker', 'Model X', 'Nguyen Van Chu'];

/** Photos reach desks without their metadata; the original is kept for the chain of custody and released only to a unit admin (issue #14, item 6). */
describe('photo evidence: cleaned for desks, original kept and released only to a unit admin', () => {
  let s: Services;
  let counter = 0;
  const from = (chatId: string, body: Record<string, unknown>): InboundEvent => {
    counter += 1;
    return { key: `originals:${counter}`, address: { channel: 'telegram', chatId }, isGroup: false, senderId: chatId, senderName: null, ...body } as InboundEvent;
  };

  beforeAll(async () => {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'tinbao-config-'));
    cpSync(path.join(ROOT, 'config'), configDir, { recursive: true });
    const unitsFile = path.join(configDir, 'units.json');
    const units = JSON.parse(readFileSync(unitsFile, 'utf8')) as { units: { id: string; adminTelegramIds?: string[] }[] };
    for (const [id, admin] of [['cap-p4', P4_ADMIN], ['cap-p9', P9_ADMIN]]) {
      const unit = units.units.find((u) => u.id === id);
      if (unit) unit.adminTelegramIds = [admin];
    }
    writeFileSync(unitsFile, JSON.stringify(units));
    s = await openServices('evidence_originals', { configDir });
  });

  afterAll(() => s.database.close());

  async function fileTipWithPhoto(): Promise<{ code: string }> {
    const media = { kind: 'photo' as const, mime: 'image/jpeg', size: PHOTO_WITH_EXIF.length, fileName: 'IMG_20261201_221503.jpg', platformFileId: 'tg-file-1', fetch: async () => PHOTO_WITH_EXIF };
    const saved = await saveEvidence(s.evidence, { maxTextLength: 2000, maxEvidenceFiles: 3, maxEvidenceBytes: 1024 * 1024 }, { ...from('resident', { kind: 'media', media }), kind: 'media', media } as Extract<InboundEvent, { kind: 'media' }>, '1');
    if (!('record' in saved)) throw new Error(`photo refused: ${saved.reason}`);
    return s.reports.submitTip(tipSubmission({ evidence: [saved.record] }), new Date());
  }

  it('gives desks the photo re-encoded without metadata, named evidence-<n>, and keeps the untouched original with its hash', async () => {
    const { code } = await fileTipWithPhoto();
    const [record] = (await s.models.reports.findOne({ code }).lean())?.evidence ?? [];
    expect(record).toMatchObject({ kind: 'photo', mime: 'image/jpeg', fileName: 'evidence-1.jpg', platform: null });
    const deskCopy = await s.evidence.load(record.id);
    for (const secret of SECRETS) {
      expect(PHOTO_WITH_EXIF.includes(secret)).toBe(true);
      expect(deskCopy.includes(secret)).toBe(false);
    }
    expect(record.original?.sha256).toBe(createHash('sha256').update(PHOTO_WITH_EXIF).digest('hex'));
    expect(await s.evidence.load(record.original?.id ?? '')).toEqual(PHOTO_WITH_EXIF);
  });

  it('releases the original to an admin of the unit holding the tip, audited, and to nobody else', async () => {
    const { code } = await fileTipWithPhoto();
    const ask = (admin: string) => s.engine.handle(from(admin, { kind: 'command', command: 'banggoc', args: `${code} 1` }));

    const refused = await ask(P9_ADMIN);
    expect(refused.map((m: OutboundMessage) => m.text).join('\n')).toContain('Chỉ quản trị của đơn vị đang giữ tin báo');
    expect(refused.flatMap((m) => m.attachments ?? [])).toEqual([]);
    expect(texts(await ask('5555'))).toContain('Chỉ quản trị');

    const released = await ask(P4_ADMIN);
    expect(texts(released)).toContain(`Bản gốc ảnh 1 của ${code}`);
    const attachment = released.flatMap((m) => m.attachments ?? [])[0];
    expect(attachment.fileName).toBe(`original-${code}-1.jpeg`);
    expect(await attachment.load()).toEqual(PHOTO_WITH_EXIF);

    const report = await s.models.reports.findOne({ code }).lean();
    const actions = (await s.models.auditLog.find({ reportId: report?._id }).lean()).map((a) => [a.action, a.actor.userId]);
    expect(actions).toEqual(expect.arrayContaining([['refused_release_original', P9_ADMIN], ['refused_release_original', '5555'], ['release_original', P4_ADMIN]]));
  });
});

function texts(replies: OutboundMessage[]): string {
  return replies.map((r) => r.text).join('\n---\n');
}
