import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderPage } from '../../src/channels/webchat/webchat-page';
import { createI18n } from '../../src/i18n';
import { ROOT } from '../support/services';

const template = readFileSync(path.join(ROOT, 'src/channels/webchat/public/index.html'), 'utf8');
const i18n = createI18n(path.join(ROOT, 'locales'));

/** The page a resident opens: on a ward's website it is the ward's channel, on a developer's machine the local test chat. */
describe('the web chat page', () => {
  it('presents itself as the ward’s channel outside local mode, and as the test chat on this machine in local mode', () => {
    const ward = renderPage(template, 'vi', i18n.forLanguage('vi'), 20 * 1024 * 1024, false);
    expect(ward).toContain('Gửi tin báo, tố giác và yêu cầu hòa giải. Bạn có thể ẩn danh.');
    expect(ward).not.toContain('thử trên máy này');
    expect(renderPage(template, 'vi', i18n.forLanguage('vi'), 20 * 1024 * 1024, true)).toContain('Kênh trò chuyện thử trên máy này');
    expect(renderPage(template, 'en', i18n.forLanguage('en'), 20 * 1024 * 1024, false)).toContain('<html lang="en">');
  });

  it('gives its script every string it shows, in the page’s language, with no way to close the JSON block early', () => {
    const page = renderPage(template, 'en', i18n.forLanguage('en'), 20 * 1024 * 1024, false);
    const json = /<script id="bootstrap" type="application\/json">([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    const boot = JSON.parse(json) as { lang: string; strings: Record<string, string> };
    expect(boot.lang).toBe('en');
    expect(boot.strings.phone_send).toBe('📞 Send number');
    expect(boot.strings.upload_too_large).toContain('20 MB');
    expect(Object.values(boot.strings).every((s) => s.length > 0 && !s.startsWith('webchat.'))).toBe(true);
    expect(json).not.toContain('<');
  });
});
