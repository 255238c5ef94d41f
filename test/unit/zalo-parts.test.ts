import { parseZaloJson } from '../../src/channels/zalo/zalo-json';
import { renderForZalo, renderZaloPromotion, splitText } from '../../src/channels/zalo/zalo-render';
import { ZaloApiError } from '../../src/channels/zalo/zalo-errors';

describe('Zalo parts', () => {
  it('reads ids too large for a JavaScript number exactly, outside strings only', () => {
    const parsed = parseZaloJson('{"sender":{"id":8839284716251773620},"n":12,"t":"id 8839284716251773620, x","f":-1.5e3,"s":"a\\"b"}');
    expect(parsed).toEqual({ sender: { id: '8839284716251773620' }, n: 12, t: 'id 8839284716251773620, x', f: -1500, s: 'a"b' });
  });

  it('splits long text at spaces or line breaks, each piece within the limit, nothing lost', () => {
    const text = `${'một hai ba '.repeat(300)}\n${'x'.repeat(2500)}`;
    const pieces = splitText(text, 2000);
    expect(pieces.every((p) => Array.from(p).length <= 2000)).toBe(true);
    expect(pieces.join('')).toBe(text);
    expect(splitText('ngắn')).toEqual(['ngắn']);
  });

  it('renders buttons as list templates of at most five, with hidden payloads the engine understands, saying each line once', () => {
    const buttons = Array.from({ length: 7 }, (_, i) => [{ label: `Phường ${i + 1}`, payload: `s:location_ward:w${i}` }]);
    const parts = renderForZalo({ text: 'Bước 3/7.\nỞ phường nào?', buttons });
    // The question is the list's title, not also a text before it; the rest of the text comes first.
    expect(parts[0]).toEqual({ text: 'Bước 3/7.' });
    const templates = parts.slice(1).map((p) => ('attachment' in p ? (p.attachment.payload as { buttons?: unknown[] }) : null));
    expect(templates.map((t) => t?.buttons?.length)).toEqual([5, 2]);
    expect(templates[0]).toMatchObject({ template_type: 'list', elements: [{ title: 'Ở phường nào?' }], buttons: expect.arrayContaining([{ title: 'Phường 1', type: 'oa.query.hide', payload: 's:location_ward:w0' }]) });
    expect(templates[1]).toMatchObject({ elements: [{ title: '…' }] });
  });

  it('sends a one-line prompt as one message, and keeps a long question whole in the text with a short title', () => {
    const buttons = [[{ label: 'Có', payload: 's:x:yes' }], [{ label: 'Không', payload: 's:x:no' }]];
    const short = renderForZalo({ text: 'Bạn có muốn gửi ẩn danh không?', buttons });
    expect(short).toHaveLength(1);
    expect(short[0]).toMatchObject({ attachment: { payload: { elements: [{ title: 'Bạn có muốn gửi ẩn danh không?' }] } } });
    const question = `Gửi ảnh, video hoặc tệp làm bằng chứng (tối đa 10 tệp), rồi bấm "Xong"; ${'không có thì bấm "Bỏ qua". '.repeat(3)}`;
    const long = renderForZalo({ text: question, buttons });
    expect(long[0]).toEqual({ text: question });
    expect(long[1]).toMatchObject({ attachment: { payload: { elements: [{ title: '…' }] } } });
    expect(long).toHaveLength(2);
  });

  it('puts a picture first, captioned with the text when the text fits one message, alone before a longer one', () => {
    const media = { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: 'img7' }] } };
    expect(renderForZalo({ text: 'Cảnh giác lừa đảo.' }, 'img7')).toEqual([{ text: 'Cảnh giác lừa đảo.', attachment: media }]);
    const long = 'chữ '.repeat(700).trim();
    const parts = renderForZalo({ text: long }, 'img7');
    expect(parts[0]).toEqual({ attachment: media });
    expect(parts.length).toBe(3);
    expect(parts.slice(1).map((p) => ('text' in p ? p.text : '')).join('')).toBe(long);
    expect(renderForZalo({ text: 'Không có ảnh.' })).toEqual([{ text: 'Không có ảnh.' }]);
  });

  it('renders a promotion message: a first line too long for the header is cut there and kept whole in the text, cut into elements of 1,000', () => {
    const first = 'Cảnh báo '.repeat(15).trim();
    const rest = 'Nội dung '.repeat(150).trim();
    const promotion = renderZaloPromotion({ text: `${first}\n${rest}` }, null);
    const payload = ('attachment' in promotion ? promotion.attachment.payload : {}) as { elements?: { type: string; content: string }[] };
    const elements = payload.elements ?? [];
    expect(elements.length).toBeGreaterThan(2);
    expect(elements[0].type).toBe('header');
    expect(Array.from(elements[0].content)).toHaveLength(100);
    expect(elements[0].content.endsWith('…')).toBe(true);
    const texts = elements.slice(1).map((e) => e.content);
    expect(texts.every((t) => Array.from(t).length <= 1000)).toBe(true);
    expect(texts.join('')).toBe(`${first}\n${rest}`);
  });

  it('maps Zalo error codes to what the caller must do', () => {
    expect(new ZaloApiError(-216, 'x').kind).toBe('token');
    expect(new ZaloApiError(-230, 'x').kind).toBe('outside_window');
    expect(new ZaloApiError(-32, 'x').kind).toBe('rate_limited');
    expect(new ZaloApiError(-234, 'x').kind).toBe('night');
    expect(new ZaloApiError(-999, 'x').kind).toBe('other');
  });
});
