import { randomUUID } from 'node:crypto';
import type { InboundEvent, OutboundMessage } from '../../src/core/chat';
import { InboundPipeline } from '../../src/conversation/inbound-pipeline';
import { openServices } from '../support/services';

type Services = Awaited<ReturnType<typeof openServices>>;

/** The database answers "busy" now and then under load (FerretDB's SQLite with many writers). */
describe('a turn that meets a busy database', () => {
  let s: Services;
  let pipeline: InboundPipeline;
  const said: { chatId: string; text: string }[] = [];

  beforeAll(async () => {
    s = await openServices('transient');
    pipeline = new InboundPipeline(
      s.engine,
      { send: async (address, messages: OutboundMessage[]) => void said.push(...messages.map((m) => ({ chatId: address.chatId, text: m.text }))) },
      s.i18n.forLanguage('vi'),
    );
  });

  afterAll(() => s.database.close());

  const help = (chatId: string): InboundEvent => ({ key: `webchat:${randomUUID()}`, address: { channel: 'webchat', chatId }, isGroup: false, senderId: chatId, senderName: null, kind: 'command', command: 'trogiup', args: '' });
  const failSaves = (times: number, error: () => Error) => {
    const save = s.store.save.bind(s.store);
    let left = times;
    s.store.save = async (...args) => {
      if (left > 0) {
        left -= 1;
        throw error();
      }
      return save(...args);
    };
    return () => {
      s.store.save = save;
    };
  };

  it('tries the turn again, and the resident gets the answer once, with no apology', async () => {
    const restore = failSaves(2, () => new Error('SQLITE_BUSY: database is locked'));
    try {
      expect(await pipeline.process(help('busy-1'))).toBe('processed');
    } finally {
      restore();
    }
    const texts = said.filter((m) => m.chatId === 'busy-1').map((m) => m.text);
    expect(texts.filter((t) => t.includes('Các lệnh'))).toHaveLength(1);
    expect(texts.join('\n')).not.toContain('Xin lỗi');
  });

  it('does not retry an error that is not transient: the resident is told, and the platform will deliver the update again', async () => {
    const restore = failSaves(1, () => new Error('document failed validation'));
    try {
      expect(await pipeline.process(help('broken-1'))).toBe('failed');
    } finally {
      restore();
    }
    const texts = said.filter((m) => m.chatId === 'broken-1').map((m) => m.text);
    expect(texts.some((t) => t.includes('Xin lỗi'))).toBe(true);
    expect(texts.some((t) => t.includes('Các lệnh'))).toBe(false);
  });
});
