import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../src/app';
import { eventually, testEnv } from '../support/test-env';
import { PNG_1X1 } from '../support/seed-audience';
import { communityModel } from '../support/seed-model';


const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A person opens the local web chat in a real browser and reports a tip, and
 * a second browser tab registered as a desk receives it: both sides of the
 * product on one machine, as a newcomer would try it.
 */
describe('the local web chat in a browser', () => {
  let app: RunningApp;
  let browser: Browser;
  /** The service's clock runs this far ahead of the real one (the idle desk spec moves it). */
  let clockAhead = 0;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run "npm test" (its pretest installs Debian's chromium) or set CHROMIUM_PATH`);
    app = await startApp(testEnv('browser'), { clock: () => new Date(Date.now() + clockAhead) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function clickButton(page: Page, label: string): Promise<void> {
    await page.locator('.buttons button:not([disabled])', { hasText: label }).last().click();
  }

  async function type(page: Page, text: string): Promise<void> {
    await page.fill('#text', text);
    await page.click('#send');
  }

  /** What axe-core finds serious or critical in the page as it is now (the page's context must bypass its CSP to take the script). */
  async function seriousViolations(page: Page): Promise<{ id: string; impact: string | null; targets: string[] }[]> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
    });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  async function botSays(page: Page, text: string): Promise<void> {
    await page.locator('.msg.bot', { hasText: text }).last().waitFor({ timeout: 10_000 });
  }

  it('completes a tip from greeting to receipt, and the desk tab receives it', async () => {
    const desk = await browser.newPage();
    await desk.goto(app.url);
    await botSays(desk, 'Tôi đồng ý');
    await type(desk, `/trucban ${app.unitInviteCodes.find((u) => u.unitId === 'cap-p9')?.code}`);
    await botSays(desk, 'bàn trực ban');

    // The resident lets the page know where they stand: a point inside Phường 9's boundary.
    const resident = await browser.newContext({ geolocation: { latitude: 10.7795, longitude: 106.682 }, permissions: ['geolocation'] });
    const page = await resident.newPage();
    await page.goto(app.url);
    await expect(page.title()).resolves.toBe('Tin báo An ninh trật tự');
    await botSays(page, '113');
    await clickButton(page, 'Tôi đồng ý');
    await clickButton(page, 'Báo tin / tố giác');
    await botSays(page, 'Bước 1/7');
    await clickButton(page, 'Lừa đảo (cả qua mạng)');
    await botSays(page, 'Bước 2/7');
    await type(page, 'Có người nhắn tin giả danh ngân hàng, gửi đường link lạ để lấy mã OTP.');
    // The question offers the web's own button; it reads the browser's location (permission given above).
    await botSays(page, 'nút “📍 Gửi vị trí” bên dưới');
    await clickButton(page, '📍 Gửi vị trí');
    await botSays(page, 'Bước 4/7');
    await clickButton(page, 'Sớm hơn trong hôm nay');
    await botSays(page, 'Bước 5/7');
    await page.setInputFiles('#file', { name: 'tin-nhan.png', mimeType: 'image/png', buffer: PNG_1X1 });
    await botSays(page, 'Đã nhận tệp 1/10');
    await clickButton(page, 'Xong');
    await botSays(page, 'Bước 6/7');
    await type(page, 'Link https://vietcombank-xacthuc.top, SĐT 0888 123 456');
    await botSays(page, 'Bước 7/7');
    await clickButton(page, 'Gửi ẩn danh');
    await botSays(page, 'Kiểm tra lại tin báo');
    await botSays(page, 'Địa điểm: Vị trí trên bản đồ (10.77950, 106.68200) · Phường 9');
    await clickButton(page, 'Gửi tin báo');
    await botSays(page, 'Đã tiếp nhận tin báo');

    const receipt = await page.locator('.msg.bot', { hasText: 'Đã tiếp nhận tin báo' }).last().textContent();
    const code = /TB-\w{6}/.exec(receipt ?? '')?.[0];
    expect(code).toMatch(/^TB-/);
    expect(await app.database.models.reports.countDocuments({ code, anonymous: true, category: 'fraud' })).toBe(1);

    await botSays(desk, `TIN BÁO MỚI ${code}`);
    const card = await desk.locator('.msg.bot', { hasText: `TIN BÁO MỚI ${code}` }).last().textContent();
    expect(card).toContain('· Phường 9');
    expect(card).toContain('Người báo: Ẩn danh');
    // The desk never sees the name the resident's device gave the file.
    const evidenceLink = desk.locator('.msg.bot', { hasText: `TIN BÁO MỚI ${code}` }).last().locator('a', { hasText: 'evidence-1.png' });
    const href = await evidenceLink.getAttribute('href');
    const evidence = await desk.request.get(new URL(href ?? '', app.url).toString());
    expect(evidence.status()).toBe(200);
    expect((await evidence.body()).subarray(0, 8)).toEqual(PNG_1X1.subarray(0, 8));

    // The resident's own tab is not a desk: it cannot open the evidence. A copied link, without the desk's cookie, opens nothing.
    expect((await page.request.get(new URL(href ?? '', app.url).toString())).status()).toBe(403);
    expect((await fetch(new URL(href ?? '', app.url))).status).toBe(401);

    // No credential in any URL or in the page: the session is an HttpOnly cookie the page's script cannot read.
    const session = (await desk.context().cookies()).find((c) => c.name === 'tinbao_chat');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const links = await desk.locator('a[href], img[src]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('href') ?? n.getAttribute('src') ?? ''));
    expect(links.filter((link) => /session/i.test(link) || link.includes(session?.value ?? '§'))).toEqual([]);
    expect(await desk.content()).not.toContain(session?.value ?? '§');
    expect(await desk.evaluate(() => document.cookie)).not.toContain('tinbao_chat');
    expect(desk.url()).not.toContain(session?.value ?? '§');

    // A write without the page's CSRF token (another site's form, a script without the token) is refused.
    const forged = await desk.request.post(new URL('/api/webchat/messages', app.url).toString(), { data: { id: 'forged-0001', text: '/quahan' } });
    expect(forged.status()).toBe(403);

    // The desk accepts the tip from its card: the card changes in place, still one card, its title following the state.
    await desk.locator('.msg.bot', { hasText: `TIN BÁO MỚI ${code}` }).last().locator('button', { hasText: 'Tiếp nhận' }).click();
    await desk.locator('.msg.bot', { hasText: `📋 TIN BÁO ${code}` }).waitFor({ timeout: 10_000 });
    expect(await desk.locator('.msg.bot', { hasText: `TIN BÁO MỚI ${code}` }).count()).toBe(0);
    expect(await desk.locator('.msg.bot', { hasText: `TIN BÁO ${code}` }).count()).toBe(1);

    // A reload keeps both sides: the resident's own messages as well as the bot's, each once.
    const before = await page.locator('.msg.me').allTextContents();
    await page.reload();
    await botSays(page, 'Đã tiếp nhận tin báo');
    await eventually('both sides back', async () => (await page.locator('.msg.me').allTextContents()).length >= before.length);
    expect(await page.locator('.msg.me').allTextContents()).toEqual(before);
    expect(await page.locator('.msg.me', { hasText: 'Có người nhắn tin giả danh ngân hàng' }).count()).toBe(1);

    await page.screenshot({ path: 'test/browser/webchat-tip.png', fullPage: true });
  });

  it('keeps each step’s buttons in view on a 390×844 phone, and answers a 30 MB file in the chat', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, geolocation: { latitude: 10.7795, longitude: 106.682 }, permissions: ['geolocation'] });
    const page = await phone.newPage();
    await page.goto(app.url);
    /** The last button of the bot's latest buttons lies inside the screen, without the resident scrolling. */
    const buttonsInView = async (step: string): Promise<void> => {
      await eventually(`buttons in view at ${step}`, async () => {
        const box = await page.locator('.buttons button:not([disabled])').last().boundingBox();
        return box !== null && box.y >= 0 && box.y + box.height <= 844;
      });
    };
    await botSays(page, '113');
    await buttonsInView('consent');
    await clickButton(page, 'Tôi đồng ý');
    await buttonsInView('the menu');
    await clickButton(page, 'Báo tin / tố giác');
    await botSays(page, 'Bước 1/7');
    await buttonsInView('the 11 categories');
    await clickButton(page, 'Lừa đảo (cả qua mạng)');
    await botSays(page, 'Bước 2/7');
    await type(page, 'Có người nhắn tin giả danh ngân hàng, gửi đường link lạ để lấy mã OTP.');
    // The question offers the web's own button; it reads the browser's location (permission given above).
    await botSays(page, 'nút “📍 Gửi vị trí” bên dưới');
    await buttonsInView('the place');
    await clickButton(page, '📍 Gửi vị trí');
    await botSays(page, 'Bước 4/7');
    await buttonsInView('the time');
    await clickButton(page, 'Sớm hơn trong hôm nay');
    await botSays(page, 'Bước 5/7');
    await buttonsInView('evidence');

    // 30 MB: over the 20 MB limit. The chat says so in the bot's words; nothing is sent.
    await page.setInputFiles('#file', { name: 'video-dai.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(30 * 1024 * 1024) });
    await botSays(page, 'Tệp quá lớn (tối đa 20 MB)');
    await clickButton(page, 'Bỏ qua');
    await botSays(page, 'Bước 6/7');
    await buttonsInView('suspects');
    await clickButton(page, 'Bỏ qua');
    await botSays(page, 'Bước 7/7');
    await buttonsInView('anonymity');
    await clickButton(page, 'Gửi ẩn danh');
    await botSays(page, 'Kiểm tra lại');
    await buttonsInView('the review’s send button');
    await page.screenshot({ path: 'test/browser/webchat-phone.png' });
    await phone.close();
  });

  it('has no serious accessibility violations (axe-core): labels, contrast, focus order', async () => {
    // axe is injected as a script, which the page's own Content-Security-Policy would refuse: this context bypasses it.
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(app.url);
    await botSays(page, '113');
    expect(await seriousViolations(page)).toEqual([]);

    // Focus order follows the chat: with the keyboard alone, Tab goes from the language link through the bot's buttons to the composer.
    const inDomOrder = await page.locator('a[href], button:not([disabled]), input:not([type=file])').evaluateAll((nodes) =>
      nodes.filter((n) => (n as HTMLElement).offsetParent !== null).map((n) => n.id || n.textContent?.trim() || ''),
    );
    const tabbed: string[] = [];
    await page.locator('body').focus();
    for (let i = 0; i < inDomOrder.length + 1; i += 1) {
      await page.keyboard.press('Tab');
      tabbed.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ''));
    }
    expect(tabbed.slice(0, inDomOrder.length)).toEqual(inDomOrder);
    // Every control of the composer is among them, the attachment button included.
    expect(inDomOrder.slice(-4)).toEqual(['attach', 'locate', 'text', 'send']);
    await context.close();
  });

  it('switches the page and the bot to English, and back', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/?lang=en`);
    await expect(page.locator('#send').textContent()).resolves.toBe('Send');
    // The bot speaks English from its first words: the privacy notice, with its buttons.
    await botSays(page, 'About your personal data');
    await expect(page.locator('.msg.bot').first().textContent()).resolves.toContain('Switched to English');
    await page.click('#switch-language');
    await page.waitForURL(/lang=vi/);
    await expect(page.locator('#send').textContent()).resolves.toBe('Gửi');
    // The same chat (the cookie), now in Vietnamese: the bot says so and repeats the notice in Vietnamese.
    await botSays(page, 'Thông báo về dữ liệu cá nhân');
  });

  it('takes a whole tip in English, from the notice to the receipt, with the web’s own buttons', async () => {
    const context = await browser.newContext({ geolocation: { latitude: 10.7795, longitude: 106.682 }, permissions: ['geolocation'] });
    const page = await context.newPage();
    await page.goto(`${app.url}/?lang=en`);
    await botSays(page, 'About your personal data');
    await clickButton(page, 'I agree');
    await clickButton(page, 'Report a tip');
    await clickButton(page, 'Fraud (incl. online scams)');
    await type(page, 'Someone called pretending to be the bank and asked for the OTP code.');
    await botSays(page, '📍 Send my location');
    await clickButton(page, '📍 Send my location');
    await clickButton(page, 'Earlier today');
    await clickButton(page, 'Skip');
    await clickButton(page, 'Skip');
    await clickButton(page, 'Send anonymously');
    await clickButton(page, 'Send the tip');
    await botSays(page, 'Your tip has been received');
    // Nothing the bot said on the way was in Vietnamese.
    const said = await page.locator('.msg.bot').allTextContents();
    expect(said.filter((text) => /Bước \d|Tôi đồng ý|Gửi tin báo|Đã tiếp nhận/.test(text))).toEqual([]);
    await context.close();
  });
  it('asks for a number with a phone field, never a Telegram button, and keeps working after /xoadulieu for a new tip', async () => {
    // The context bypasses the page's CSP only so that axe-core can be injected at the phone field.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(app.url);
    await botSays(page, '113');
    await clickButton(page, 'Tôi đồng ý');
    await clickButton(page, 'Báo tin / tố giác');
    await clickButton(page, 'Trộm cắp, cướp giật');
    await type(page, 'Nhóm thanh niên bẻ khóa xe máy ở bãi giữ xe chung cư.');
    await type(page, 'Phường 4');
    await clickButton(page, 'Không rõ');
    await clickButton(page, 'Bỏ qua');
    await clickButton(page, 'Bỏ qua');
    await clickButton(page, 'Để lại số điện thoại');
    await botSays(page, 'Gõ số điện thoại của bạn');
    const question = page.locator('.msg.bot', { hasText: 'Gõ số điện thoại của bạn' }).last();
    expect(await question.textContent()).not.toMatch(/Chia sẻ số điện thoại|Telegram/);
    expect(await seriousViolations(page)).toEqual([]);
    await question.locator('.phone input[type=tel]').fill('0912 345 678');
    await question.locator('.phone button', { hasText: 'Gửi số' }).click();
    await botSays(page, 'Họ tên của bạn');
    await type(page, 'Nguyễn Văn An');
    await botSays(page, 'Kiểm tra lại tin báo');
    await clickButton(page, 'Gửi tin báo');
    await botSays(page, 'Đã tiếp nhận tin báo');
    const first = /TB-\w{6}/.exec((await page.locator('.msg.bot', { hasText: 'Đã tiếp nhận tin báo' }).last().textContent()) ?? '')?.[0];
    expect(await app.database.models.reports.countDocuments({ code: first, anonymous: false })).toBe(1);

    // /xoadulieu erases the chat's transcript on the server; the open page goes on: the next tip is asked and filed.
    await type(page, '/xoadulieu');
    await clickButton(page, 'Xóa dữ liệu của tôi');
    await botSays(page, 'Đã xóa dữ liệu cá nhân');
    await type(page, '/baotin');
    await botSays(page, 'Thông báo về dữ liệu cá nhân');
    await clickButton(page, 'Tôi đồng ý');
    await botSays(page, 'Bước 1/7');
    await clickButton(page, 'Ma túy');
    await type(page, 'Có người bán ma túy ở quán nước đầu hẻm vào buổi tối.');
    await type(page, 'Phường 4');
    await clickButton(page, 'Không rõ');
    await clickButton(page, 'Bỏ qua');
    await clickButton(page, 'Bỏ qua');
    await clickButton(page, 'Gửi ẩn danh');
    await clickButton(page, 'Gửi tin báo');
    await eventually('a second receipt', async () => (await page.locator('.msg.bot', { hasText: 'Đã tiếp nhận tin báo' }).count()) === 2);
    const second = /TB-\w{6}/.exec((await page.locator('.msg.bot', { hasText: 'Đã tiếp nhận tin báo' }).last().textContent()) ?? '')?.[0];
    expect(second).not.toBe(first);
    expect(await app.database.models.reports.countDocuments({ code: second, category: 'drugs' })).toBe(1);
    await context.close();
  });

  it('says so politely in the page when a browser goes over its request limit', async () => {
    const limited = await startApp(testEnv('browser_limits', { WEBCHAT_REQUESTS_PER_MINUTE: '50' }));
    try {
      const page = await browser.newPage();
      await page.goto(limited.url);
      await botSays(page, '113');
      // Requests from this page's own session, as a runaway script or a held-down key would make them.
      await page.evaluate(async () => {
        for (let i = 0; i < 60; i += 1) await fetch('/api/webchat/messages?after=0', { credentials: 'same-origin' });
      });
      await page.locator('#status', { hasText: 'Bạn gửi quá nhanh. Vui lòng chờ một phút rồi thử lại.' }).waitFor({ timeout: 10_000 });
      await page.close();
    } finally {
      await limited.stop();
    }
  });

  it('clears a desk page left idle past WEBCHAT_DESK_IDLE_MINUTES, and shows it again once the unit’s code is typed', async () => {
    const desk = await browser.newPage();
    await desk.goto(app.url);
    await botSays(desk, 'Tôi đồng ý');
    const code = app.unitInviteCodes.find((u) => u.unitId === 'cap-p4')?.code ?? '';
    await type(desk, `/trucban ${code}`);
    await botSays(desk, 'bàn trực ban');

    clockAhead += 31 * 60_000;
    await desk.locator('#status', { hasText: 'Phiên trực ban trên web đã khóa' }).waitFor({ timeout: 10_000 });
    expect(await desk.locator('.msg').count()).toBe(0);

    await type(desk, `/trucban ${code}`);
    await botSays(desk, 'đã là bàn trực ban');
    // Everything it had is back, in order: the registration before the answer to the code typed again.
    const texts = await desk.locator('.msg').allTextContents();
    expect(texts.findIndex((t) => t.includes('đã được đăng ký làm bàn trực ban'))).toBeLessThan(texts.findIndex((t) => t.includes('đã là bàn trực ban')));
    await desk.close();
  });
  it('counts a resident who opens the page from a model’s link (?mohinh=), and takes the code out of the address', async () => {
    await app.database.models.communityModels.create(communityModel('MH-WEBAB2', { _id: 'browser-model', name: 'Tổ liên gia hẻm 5' }));
    const page = await browser.newPage();
    await page.goto(`${app.url}/?mohinh=MH-WEBAB2`);
    await botSays(page, 'Bạn đến từ mô hình “Tổ liên gia hẻm 5”');
    expect(page.url()).not.toContain('mohinh');
    await eventually('counted under the model', async () => (await app.database.models.modelMembers.countDocuments({ modelId: 'browser-model' })) === 1);
    await page.close();
  });

  it('works under a path of a ward’s website, through a proxy that strips the path', async () => {
    const site = await wardSiteServing(app.url, '/tinbao');
    try {
      const page = await browser.newPage();
      await page.goto(`${site.url}/tinbao`);
      expect(new URL(page.url()).pathname).toBe('/tinbao/');
      await botSays(page, '113');
      await clickButton(page, 'Tôi đồng ý');
      await clickButton(page, 'Báo tin / tố giác');
      await clickButton(page, 'Lừa đảo (cả qua mạng)');
      await type(page, 'Có người gọi điện giả danh công an, đòi chuyển tiền để "xác minh".');
      await botSays(page, 'Bước 3/7');
      // Everything the page asked for stayed under the ward's path (a browser's own favicon request aside).
      expect(site.paths.filter((p) => !p.startsWith('/tinbao/') && p !== '/tinbao' && p !== '/favicon.ico')).toEqual([]);
      expect(site.paths.some((p) => p.startsWith('/tinbao/api/webchat/messages'))).toBe(true);
      await page.close();
    } finally {
      await site.close();
    }
  });

  /** A ward's website on 127.0.0.1 whose proxy serves the web chat under `prefix` (stripped), as README's Caddy example does. */
  async function wardSiteServing(target: string, prefix: string): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
    const paths: string[] = [];
    const upstream = new URL(target);
    const server = http.createServer((request, response) => {
      const path = request.url ?? '/';
      paths.push(path);
      if (path === prefix) return void response.writeHead(301, { location: `${prefix}/` }).end();
      if (!path.startsWith(`${prefix}/`)) return void response.writeHead(200, { 'content-type': 'text/html' }).end('<a href="/tinbao/">Báo tin</a>');
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: request.method, path: path.slice(prefix.length), headers: { ...request.headers, host: upstream.host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', () => response.writeHead(502).end());
      request.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      paths,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }
});
