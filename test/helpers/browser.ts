// Debian's Chromium driven by playwright-core for the browser tests (never a downloaded browser), and waiting
// for the web view to finish its graph work.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the browser tests write their screenshots. */
export const SHOTS = 'test-results/web';

export async function openBrowser(): Promise<{ browser: Browser; page: Page }> {
  mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  return { browser, page };
}

/** Resolves when the view has no graph operation in flight (window.__ripple.busy is 0). */
export async function settledPage(p: Page): Promise<void> {
  await p.waitForFunction(() => window.__ripple && window.__ripple.busy === 0, undefined, { timeout: 20_000 });
}

/** Where a node is drawn on the page (client coordinates), for clicking or hovering it as a user would. */
export function nodeOnPage(p: Page, nodeId: string): Promise<{ x: number; y: number }> {
  return p.evaluate((i) => {
    const cy = window.__ripple.cy;
    const at = cy.getElementById(i).renderedPosition();
    const box = cy.container()!.getBoundingClientRect();
    return { x: box.left + at.x, y: box.top + at.y };
  }, nodeId);
}
