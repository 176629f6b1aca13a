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

  it('works under the Content-Security-Policy it is served with', () => {
    expect(cspViolations).toEqual([]);
  });
});
