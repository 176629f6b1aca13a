// The web view's sign-in corner in headless Chromium against an in-process Ripple in demo mode (run
// `npm run build:web` first): the "demo mode" badge, who you are, switching to a demo person whose token then
// carries every request, and no Content-Security-Policy violation while the page works.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, settledPage, SHOTS } from './helpers/browser';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

beforeAll(async () => {
  app = await startTestRipple();
  ({ browser, page } = await openBrowser());
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('signing in to the web view', () => {
  it('shows the demo mode badge and the local admin when nothing is configured', async () => {
    await page.goto(app.url);
    await settledPage(page);
    await expect.poll(() => page.getByTestId('whoami').textContent()).toMatch(/^local-admin \(/);
    const badge = page.getByTestId('demo-badge');
    expect(await badge.isVisible()).toBe(true);
    expect(await badge.textContent()).toBe('demo mode');
  });

  it('signs in as a demo person, and the API then answers as that person', async () => {
    await Promise.all([page.waitForEvent('load'), page.getByTestId('sign-in').selectOption({ label: 'as marco (change-manager)' })]);
    await settledPage(page);
    await expect.poll(() => page.getByTestId('whoami').textContent()).toBe('marco (change-manager)');
    const me = await page.evaluate(async () => {
      const token = sessionStorage.getItem('ripple.bearer');
      const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { subject via } }' }) });
      return ((await res.json()) as { data: { me: unknown } }).data.me;
    });
    expect(me).toEqual({ subject: 'marco', via: 'token' });
    await page.screenshot({ path: `${SHOTS}/sign-in.png` });
  });

  for (const [width, height] of [[1280, 800], [1024, 768]] as const) {
    it(`fits the header's mode buttons on one row beside a usable search box at ${width} px, each name on one line`, async () => {
      await page.setViewportSize({ width, height });
      await page.goto(app.url);
      await settledPage(page);
      await page.getByTestId('whoami').waitFor();
      const m = await page.evaluate(() => {
        const box = (el: Element) => el.getBoundingClientRect();
        const buttons = [...document.querySelectorAll('.modes button')].map((b) => {
          const r = box(b);
          const range = document.createRange();
          range.selectNodeContents(b);
          const lines = new Set([...range.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
          return { text: (b as HTMLElement).innerText, top: Math.round(r.top), right: r.right, lines };
        });
        return { header: box(document.querySelector('header.top')!).height, search: box(document.getElementById('search')!).width, identity: box(document.querySelector('.identity')!).right, buttons };
      });
      expect(m.buttons).toHaveLength(7);
      expect(new Set(m.buttons.map((b) => b.top)).size, JSON.stringify(m.buttons)).toBe(1);
      for (const b of m.buttons) expect(b.lines, b.text).toBe(1);
      for (const b of m.buttons) expect(b.right).toBeLessThanOrEqual(width);
      expect(m.identity).toBeLessThanOrEqual(width);
      expect(m.header).toBeLessThan(60);
      expect(m.search).toBeGreaterThanOrEqual(140);
      await page.screenshot({ path: `${SHOTS}/header-${width}.png`, clip: { x: 0, y: 0, width, height: 120 } });
    });
  }

  it('switches mode from the keyboard alone', async () => {
    await page.getByTestId('mode-explore').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await settledPage(page);
    expect(await page.getByTestId('mode-impact').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('mode-impact').evaluate((b) => b === document.activeElement)).toBe(true);
  });

  it('works under the Content-Security-Policy it is served with', () => {
    expect(cspViolations).toEqual([]);
  });
});
