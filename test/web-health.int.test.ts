// The CMDB health mode in headless Chromium against an in-process Ripple serving web/dist (run `npm run build:web`
// first): on data-quality defects this file makes through the API (CIs and a relationship a discovery run stopped
// reporting, an orphan, a service nobody owns, a duplicate conflict), the panel reads the right figures, lists the
// CIs behind each and draws them. Screenshot: test-results/web/health.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeRun, deleteDiscoveryTagged, refs, send, startRun } from './helpers/discovery-fixtures';
import { openBrowser, settledPage, SHOTS } from './helpers/browser';
import { startTestRipple, type TestRipple } from './helpers/ripple';
import { wrapping } from './helpers/wrapping';

let app: TestRipple;
let key: string;
let browser: Browser;
let page: Page;
let ids: Record<string, string> = {};
let discovery: string;
let dupSource: string;
const n = (s: string) => `${key}-${s}`;

const settled = (p: Page = page) => settledPage(p);
const drawnIds = () => page.evaluate(() => window.__ripple.cy.nodes().map((x) => x.id()).sort());
const isDrawn = (id: string) => page.evaluate((i) => window.__ripple.cy.getElementById(i).nonempty(), id);
const figure = (id: string) => page.locator(`[data-testid="health-figure"][data-figure="${id}"]`);

/** Opens a figure as a user would and returns the CIs it lists (id and the visible text of each). */
async function openFigure(f: ReturnType<typeof figure>): Promise<{ id: string; text: string }[]> {
  await f.click();
  await settled();
  expect(await f.getAttribute('aria-expanded')).toBe('true');
  const list = page.locator(`#${await f.getAttribute('aria-controls')}`);
  await list.getByTestId('health-ci').first().waitFor();
  return list.getByTestId('health-ci').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id')!, text: e.textContent ?? '' })));
}

const server = (ref: string, suffix: string) => ({ ref, className: 'LinuxServer', name: n(suffix), attributes: { serialNumber: n(`SN-${suffix}`) } });
const dependsOn = (from: string, to: string) => ({ type: 'DEPENDS_ON', from: { ref: from }, to: { ref: to } });

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;

  // A source reports four servers, then only X and W: Y and Z go stale, X -> Y goes absent, Z has no relationship.
  discovery = n('scan');
  const run1 = await startRun(app, discovery);
  ids = refs(await send(app, { source: discovery, runId: run1.id, items: [server('X', 'web-x'), server('Y', 'db-y'), server('Z', 'batch-z'), server('W', 'cache-w')], relationships: [dependsOn('X', 'Y'), dependsOn('X', 'W')] }));
  await completeRun(app, run1.id);
  const run2 = await startRun(app, discovery);
  await send(app, { source: discovery, runId: run2.id, items: [server('X', 'web-x'), server('W', 'cache-w')], relationships: [dependsOn('X', 'W')] });
  expect(await completeRun(app, run2.id)).toMatchObject({ markedStale: 2, markedAbsent: 1 });

  // A business service nobody owns.
  Object.assign(ids, refs(await send(app, { source: n('manual'), items: [{ ref: 'svc', className: 'BusinessService', name: n('billing'), environment: 'PRODUCTION' }] })));

  // One item matching a server by serial number and another by hostname + domain: a duplicate conflict.
  dupSource = n('dup');
  const serial = n('SN-dup');
  const hostname = n('duphost');
  Object.assign(ids, refs(await send(app, {
    source: dupSource,
    items: [
      { ref: 'bySerial', className: 'LinuxServer', name: n('dup-by-serial'), attributes: { serialNumber: serial } },
      { ref: 'byHost', className: 'LinuxServer', name: n('dup-by-host'), attributes: { hostname, domain: `${key}.example.com` } },
    ],
  })));
  const clash = await send(app, { source: dupSource, items: [{ className: 'LinuxServer', name: n('dup-both'), attributes: { serialNumber: serial, hostname, domain: `${key}.example.com` } }] });
  expect(clash.items[0]!.status).toBe('REJECTED');

  ({ browser, page } = await openBrowser());
});

afterAll(async () => {
  await browser?.close();
  if (!app) return;
  await deleteDiscoveryTagged(app);
  await app.close();
});

describe('the CMDB health mode', () => {
  it('opens from the header and reads the total and a completeness score below 100% while a service has no owner', async () => {
    await page.goto(app.url);
    await settled();
    await page.getByTestId('mode-health').click();
    await page.getByTestId('health-summary').waitFor();
    await settled();
    expect(await page.getByTestId('mode-health').getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => location.hash)).toContain('mode=health');
    expect(Number(await page.getByTestId('health-total').textContent())).toBeGreaterThanOrEqual(Object.keys(ids).length);
    const score = (await page.getByTestId('health-score').textContent())!;
    expect(score).toMatch(/^\d{1,2}(\.\d)?%$/); // never "100%": our service has no owner
    expect(await page.getByTestId('health-status').textContent()).toMatch(/completeness \d/);
    // Every section is there with a heading, whether it has figures or reads none.
    for (const s of ['completeness', 'stale', 'absent', 'orphans', 'unowned', 'duplicate']) {
      expect(await page.getByTestId(`health-${s}`).getByRole('heading', { level: 3 }).count(), s).toBe(1);
    }
  });

  it('counts exactly the two CIs the scan stopped reporting under its source, lists them and draws only them', async () => {
    const f = figure(`stale:${discovery}`);
    expect(await f.getAttribute('data-count')).toBe('2');
    expect(await f.textContent()).toContain('2 stale CIs');
    const listed = await openFigure(f);
    expect(listed.map((c) => c.id).sort()).toEqual([ids.Y!, ids.Z!].sort());
    expect(listed.find((c) => c.id === ids.Y)!.text).toContain(n('db-y'));
    expect(listed.find((c) => c.id === ids.Y)!.text).toContain('LinuxServer');
    expect(await drawnIds()).toEqual([ids.Y!, ids.Z!].sort());
    expect(await page.evaluate((i) => window.__ripple.cy.getElementById(i).data('label') as string, ids.Y!)).toContain('STALE');
    expect(await page.evaluate(() => location.hash)).toContain(`fig=${encodeURIComponent(`stale:${discovery}`)}`);

    // A CI in the list opens its details, as a click on its node would.
    await page.locator(`[data-testid="health-ci"][data-id="${ids.Z}"]`).click();
    await expect.poll(() => page.getByTestId('details-name').textContent()).toBe(n('batch-z'));
    expect(await page.evaluate((i) => window.__ripple.cy.getElementById(i).selected(), ids.Z!)).toBe(true);
  });

  it('counts the one absent relationship under its source and draws it from X to the stale Y', async () => {
    const f = figure(`absent:${discovery}`);
    expect(await f.getAttribute('data-count')).toBe('1');
    expect(await f.textContent()).toContain('1 absent relationship');
    const listed = await openFigure(f);
    expect(listed.map((c) => c.id)).toEqual([ids.X!]);
    expect(await isDrawn(ids.X!)).toBe(true);
    expect(await isDrawn(ids.Y!)).toBe(true);
    const absent = await page.evaluate(() => window.__ripple.cy.edges('[?absent]').map((e) => [e.source().id(), e.target().id()]));
    expect(absent).toEqual([[ids.X!, ids.Y!]]);
    // The stale figure closed when this one opened: one list at a time.
    expect(await figure(`stale:${discovery}`).getAttribute('aria-expanded')).toBe('false');
  });

  it('lists the service without owner and the orphan, and draws each', async () => {
    const unowned = figure('unowned');
    const count = Number(await unowned.getAttribute('data-count'));
    expect(count).toBeGreaterThanOrEqual(1);
    const listed = await openFigure(unowned);
    expect(listed.length).toBe(Math.min(count, 50));
    expect(await page.evaluate(() => window.__ripple.cy.nodes().length)).toBe(listed.length);
    // Other test files write too: ours is in the sample whenever the sample holds every unowned service.
    if (count <= 50) {
      expect(listed.map((c) => c.id)).toContain(ids.svc);
      expect(await isDrawn(ids.svc!)).toBe(true);
    }

    const orphans = figure('orphans');
    const orphanCount = Number(await orphans.getAttribute('data-count'));
    const orphanList = await openFigure(orphans);
    expect(orphanList.length).toBe(Math.min(orphanCount, 50));
    expect(orphanList.map((c) => c.id)).not.toContain(ids.X);
    if (orphanCount <= 50) {
      expect(orphanList.map((c) => c.id)).toContain(ids.Z);
      expect(await isDrawn(ids.Z!)).toBe(true);
    }
  });

  it('shows the open duplicate conflict with both CIs and its identification key, and draws both', async () => {
    const f = page.getByTestId('health-duplicate').getByTestId('health-figure').filter({ hasText: dupSource });
    expect(await f.count()).toBe(1);
    const text = (await f.textContent())!;
    expect(text).toContain(n('dup-by-serial'));
    expect(text).toContain(n('dup-by-host'));
    expect(text).toContain(dupSource);
    expect(text).toMatch(new RegExp(`serialNumber=${n('SN-dup')}|hostname=${n('duphost')}`, 'i')); // the identification key
    const listed = await openFigure(f);
    expect(listed.map((c) => c.id).sort()).toEqual([ids.bySerial!, ids.byHost!].sort());
    expect(await drawnIds()).toEqual([ids.bySerial!, ids.byHost!].sort());
  });

  it('reopens the health mode and its figure from a shared link, and refresh keeps it open', async () => {
    await figure(`stale:${discovery}`).click();
    await settled();
    const url = page.url();
    const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await other.goto(url);
    await other.locator(`[data-figure="stale:${discovery}"][aria-expanded="true"]`).waitFor();
    await settled(other);
    expect(await other.evaluate(() => window.__ripple.cy.nodes().map((x) => x.id()).sort())).toEqual([ids.Y!, ids.Z!].sort());
    await other.getByTestId('health-refresh').click();
    await settled(other);
    await other.locator(`[data-figure="stale:${discovery}"][aria-expanded="true"]`).waitFor();
    expect(await other.evaluate(() => window.__ripple.cy.nodes().length)).toBe(2);
    await other.close();

    await figure(`absent:${discovery}`).click();
    await settled();
    await page.getByTestId('fit').click();
    await page.evaluate(() => document.querySelector('aside.right')!.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/health.png` });
  });
});

describe('the room the health panel takes at 1280 x 800', () => {
  const width = (sel: string) => page.evaluate((s) => document.querySelector<HTMLElement>(s)!.getBoundingClientRect().width, sel);

  it('gives the empty graph area to the panel until a figure is drawn, then draws it on a canvas of its own', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${app.url}/#mode=explore`);
    await settled();
    await page.getByTestId('mode-health').click();
    await settled();
    await figure(`stale:${discovery}`).waitFor();
    expect(await width('#mode-panel')).toBeGreaterThan(0.6 * 1280);
    expect(await page.getByTestId('graph').isVisible()).toBe(false);
    expect(await page.getByTestId('status').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/health-wide.png` });

    await openFigure(figure(`stale:${discovery}`));
    expect(await width('#cy')).toBeGreaterThan(500);
    expect(await width('#mode-panel')).toBeLessThan(400);
    // Drawn at the canvas's size, not the hidden one: both stale CIs inside the visible canvas.
    const inside = await page.evaluate(() => {
      const cy = window.__ripple.cy;
      return cy.nodes().map((x) => {
        const b = x.renderedBoundingBox({});
        return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= cy.width() && b.y2 <= cy.height();
      });
    });
    expect(inside).toEqual([true, true]);
  });

  it('wraps figure names and their details between words or after a dot, never inside a word', async () => {
    const texts = await wrapping(page, '.figure-label, .figure-detail');
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.flatMap((t) => t.midWord)).toEqual([]);
    expect(texts.some((t) => t.lines > 1 && t.text.includes('.'))).toBe(true);
    await page.evaluate(() => document.querySelector('aside.right')!.scrollTo(0, 0));
    await page.screenshot({ path: `${SHOTS}/health-wrapped.png` });
  });
});
