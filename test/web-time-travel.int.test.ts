// The time control in headless Chromium against an in-process Ripple serving web/dist (run `npm run build:web`
// first). Estate as discovery sees it: a database on a VM, two microservices on their workloads needing it, an
// application service above one of them; after a chosen instant a person removes billing's use of the database.
// Asserts what a responder sees: the impact of the database failing as of then draws billing and names its
// service, framed and labelled as the past; leaving the mode takes the frame off; the estate audit trail finds the
// removal by its filters. Screenshots: test-results/web/time-travel.png, audit-trail.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { openBrowser, settledPage, SHOTS } from './helpers/browser';
import { mutateOk } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
let browser: Browser;
let page: Page;
let then = '';
const n = (s: string) => `${key}-${s}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const workload = (app: string) => ({ ref: `wl-${app}`, className: 'KubernetesWorkload', name: n(`${app}-deploy`), owner: n('team'), attributes: { namespace: key, workloadName: app, kind: 'Deployment' } });
  const estate = await upsert(app, {
    source: n('k8s'),
    teams: [{ name: n('team') }],
    items: [
      { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), attributes: { clusterName: n('k8s-prod') } },
      workload('orders'),
      workload('billing'),
      { ref: 'orders', className: 'Microservice', name: n('orders-api'), owner: n('team') },
      { ref: 'billing', className: 'Microservice', name: n('billing-api'), owner: n('team') },
      { ref: 'stack', className: 'ApplicationService', name: n('billing-stack'), owner: n('team'), environment: 'PRODUCTION' },
      { ref: 'vm', className: 'VirtualMachine', name: n('db-vm'), owner: n('team'), attributes: { vmUuid: n('vm-uuid') } },
      { ref: 'db', className: 'Database', name: n('shared-db'), owner: n('team'), attributes: { databaseName: 'shared', engine: 'postgresql' } },
    ],
    relationships: [
      ...['orders', 'billing'].flatMap((a) => [
        { type: 'RUNS_ON', from: { ref: `wl-${a}` }, to: { ref: 'kc' } },
        { type: 'RUNS_ON', from: { ref: a }, to: { ref: `wl-${a}` } },
        { type: 'DEPENDS_ON', from: { ref: a }, to: { ref: 'db' } },
      ]),
      { type: 'DEPENDS_ON', from: { ref: 'stack' }, to: { ref: 'billing' } },
      { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'vm' } },
    ],
  });
  id = idsByRef(estate);
  // Whole seconds apart: the time control picks an instant to the second.
  await sleep(1_100);
  then = new Date().toISOString();
  await sleep(1_100);
  await mutateOk(app, 'alice', 'unrelateCis', 'input: $input', 'fromId', { input: { fromId: id.billing, toId: id.db, type: 'DEPENDS_ON' } }, '$input: RelateCisInput!');
  ({ browser, page } = await openBrowser());
});

afterAll(async () => {
  await browser?.close();
  if (!app) return;
  await deleteTagged(app);
  await app.close();
});

const drawn = (ciId: string) => page.evaluate((x) => {
  const node = window.__ripple.cy.getElementById(x);
  return node.nonempty() ? { state: (node.data('state') as string | undefined) ?? null } : null;
}, ciId);
const frame = () => page.evaluate(() => getComputedStyle(document.getElementById('cy')!).outlineStyle);

describe('the time control', () => {
  it('draws the impact of a failure as of a past instant, which reached what no longer depends on it, marked as the past', async () => {
    await page.goto(`${app.url}/#ci=${encodeURIComponent(id.db!)}`);
    await page.waitForFunction(() => window.__ripple?.cy.nodes().length > 0);
    await settledPage(page);
    await page.getByTestId('node-list').selectOption(id.db!);
    await page.getByTestId('mode-time-travel').click();
    // The instant in the page's own time zone, to the second, as a person would type it.
    const local = await page.evaluate((iso) => {
      const d = new Date(Math.ceil(Date.parse(iso) / 1000) * 1000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    }, then);
    await page.getByTestId('tt-at').fill(local);
    await page.getByTestId('tt-impact').click();
    await settledPage(page);

    expect(await drawn(id.billing!)).toEqual({ state: 'DOWN' });
    expect(await drawn(id.orders!)).toEqual({ state: 'DOWN' });
    expect(await page.getByTestId('impacted-services').textContent()).toContain(n('billing-stack'));
    expect(await page.getByTestId('tt-banner').isVisible()).toBe(true);
    expect(await page.getByTestId('tt-banner').textContent()).toMatch(/^The past: the impact of .*shared-db failing as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, not the graph now\.$/);
    expect(await frame()).toBe('dashed');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/time-travel.png` });
  });

  it('shows the impact now without billing, and takes the frame of the past off on leaving the mode', async () => {
    const now = await app.data<{ impactAnalysis: { impacted: { id: string }[] } }>(
      `query ($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { impacted { id } } }`,
      { f: [{ id: id.db }] },
    );
    expect(now.impactAnalysis.impacted.map((c) => c.id)).not.toContain(id.billing);
    await page.getByTestId('mode-explore').click();
    await settledPage(page);
    expect(await frame()).not.toBe('dashed');
  });
});

describe('the estate audit trail', () => {
  it("finds the person's removal by actor and kind of change, with the relationship named and its before and after", async () => {
    await page.getByTestId('mode-audit').click();
    await settledPage(page);
    await page.getByTestId('audit-actor').fill('alice');
    await page.getByTestId('audit-action').selectOption('UNRELATE');
    await page.getByTestId('audit-apply').click();
    const mine = page.getByTestId('audit-entry').filter({ hasText: n('billing-api') });
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
    expect(await mine.getByTestId('audit-change').allTextContents()).toEqual([`DEPENDS_ON → ${n('shared-db')}: related → —`]);
    expect(await mine.getByTestId('audit-who').textContent()).toBe(`by alice from manual`);
    for (const action of await page.getByTestId('audit-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))) expect(action).toBe('UNRELATE');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/audit-trail.png` });
  });
});
