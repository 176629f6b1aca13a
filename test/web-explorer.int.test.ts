// The web explorer in headless Chromium against an in-process Ripple serving web/dist (run `npm run build:web`
// first): search and open a CI, expand and collapse, sibling groups, a dependency view layered by distance, the
// details panel, the URL state, incident impact and change blast radius. Screenshots go to test-results/web/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { openBrowser, settledPage, SHOTS } from './helpers/browser';
import { shopEstate } from './helpers/estates';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
let browser: Browser;
let page: Page;
const n = (s: string) => `${key}-${s}`;

/** Waits until the page has no graph operation in flight. */
const settled = (p: Page = page) => settledPage(p);
const nodeCount = (p: Page = page) => p.evaluate(() => window.__ripple.cy.nodes().length);
const nodeIds = () => page.evaluate(() => window.__ripple.cy.nodes().map((x) => x.id()).sort());

async function selectNode(ciId: string): Promise<void> {
  await page.getByTestId('node-list').selectOption(ciId);
  await settled();
}

/** Clicks a node where it is drawn, as a user would. */
async function clickNode(nodeId: string): Promise<void> {
  const at = await page.evaluate((i) => {
    const cy = window.__ripple.cy;
    const node = cy.getElementById(i);
    cy.center(node);
    const p = node.renderedPosition();
    const box = cy.container()!.getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, nodeId);
  await page.mouse.click(at.x, at.y);
  await page.waitForTimeout(100);
  await settled();
}

/** Thirty pods of the checkout workload, each running on the cluster: more than a view should draw one by one. */
function withPods(estate: ReturnType<typeof shopEstate>): ReturnType<typeof shopEstate> {
  const pods = Array.from({ length: 30 }, (_, i) => ({ ref: `pod${i}`, className: 'KubernetesPod', name: n(`checkout-pod-${i}`), attributes: { namespace: key, podName: `checkout-${i}` } }));
  const podRels = pods.flatMap((p) => [
    { type: 'HAS_MEMBER', from: { ref: 'wl' }, to: { ref: p.ref } },
    { type: 'RUNS_ON', from: { ref: p.ref }, to: { ref: 'kc' } },
  ]);
  return { items: [...estate.items, ...pods], relationships: [...estate.relationships, ...podRels] };
}

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const estate = await upsert(app, {
    source: `${key}-web`,
    teams: [{ name: n('payments-team'), email: `${key}@example.com` }],
    ...withPods(
      shopEstate(n, key, {
        bs: { owner: n('payments-team'), environment: 'PRODUCTION', criticality: 1 },
        as: { owner: n('payments-team'), environment: 'PRODUCTION' },
        ms: { owner: n('payments-team'), environment: 'PRODUCTION', attributes: { servicePort: 8443 } },
      }),
    ),
  });
  id = idsByRef(estate);
  ({ browser, page } = await openBrowser());
});

afterAll(async () => {
  await browser?.close();
  if (!app) return;
  await app.db.write((tx) => tx.run('MATCH (c:Change) WHERE c.title CONTAINS $key DETACH DELETE c', { key }));
  await deleteTagged(app);
  await app.close();
});

describe('the explorer', () => {
  it('finds a CI by typing, opens it with its neighbourhood and shows its attributes and owner', async () => {
    await page.goto(app.url);
    await page.getByTestId('search').pressSequentially(n('checkout'), { delay: 10 });
    const hit = page.getByTestId('search-hit').filter({ hasText: n('checkout') }).first();
    await hit.waitFor();
    await hit.click();
    await settled();
    // checkout, the stack that needs it, its workload and its database cluster.
    expect(await nodeIds()).toEqual([id.ms, id.as, id.wl, id.cl].sort());
    await expect.poll(() => page.getByTestId('details-name').textContent()).toBe(n('checkout'));
    const attrs = await page.getByTestId('details-attributes').textContent();
    expect(attrs).toContain('servicePort');
    expect(attrs).toContain('8443');
    expect(await page.getByTestId('details-owner').textContent()).toContain(n('payments-team'));
    expect(await page.evaluate(() => location.hash)).toContain(`ci=${encodeURIComponent(id.ms!)}`);
  });

  it('shows all a discovery batch did to a CI as one history entry, the long tail one click away', async () => {
    await selectNode(id.wl!);
    // Two round trips: the CI, then one batched lookup of the names its history mentions.
    await expect.poll(() => page.getByTestId('details-name').textContent(), { timeout: 10_000 }).toBe(n('checkout-deploy'));
    const entries = page.getByTestId('details-history').locator(':scope > li');
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain(`create by`);
    // Its fields, its RUNS_ON and its 30 HAS_MEMBER relationships: 8 listed, the rest behind "N more".
    const more = entries.first().getByTestId('history-changes').locator('details');
    expect(await more.locator('summary').textContent()).toMatch(/^\d+ more$/);
    // Relationships are named by the other CI's name, never its id.
    const lastPod = `HAS_MEMBER->${n('checkout-pod-29')}: — → related`;
    expect(await entries.first().textContent()).toContain(lastPod);
    expect(await more.getByText(lastPod).isVisible()).toBe(false);
    await more.locator('summary').click();
    expect(await more.getByText(lastPod).isVisible()).toBe(true);
    expect(await entries.first().textContent()).toContain(`RUNS_ON->${n('k8s-prod')}`);
    expect(await entries.first().textContent()).not.toMatch(/ci_[0-9a-f]/);
  });

  it('expands the database cluster to its members and collapses it back', async () => {
    await selectNode(id.cl!);
    await page.getByTestId('expand').click();
    await settled();
    expect(await nodeCount()).toBe(7);
    expect(await page.evaluate(() => location.hash)).toContain('exp=');
    await page.getByTestId('collapse').click();
    await settled();
    expect(await nodeCount()).toBe(4);
  });

  it('reopens an expanded view from a shared link', async () => {
    await selectNode(id.cl!);
    await page.getByTestId('expand').click();
    await settled();
    const url = page.url();
    const other = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await other.goto(url);
    await other.waitForFunction(() => window.__ripple?.cy.nodes().length > 0);
    await settled(other);
    expect(await nodeCount(other)).toBe(7);
    await other.close();
  });

  it('draws 30 pods of a workload as one group node that expands on click', async () => {
    await page.goto(`${app.url}/#ci=${encodeURIComponent(id.wl!)}`);
    await page.waitForFunction(() => window.__ripple?.cy.nodes().length > 0);
    await settled();
    const groups = await page.evaluate(() => window.__ripple.cy.nodes('[?isGroup]').map((g) => ({ id: g.id(), label: g.data('label') as string })));
    expect(groups).toHaveLength(1);
    expect(groups[0]!.label).toContain('30 × KubernetesPod');
    expect(await nodeCount()).toBe(4); // workload, checkout, cluster, group
    await clickNode(groups[0]!.id);
    expect(await nodeCount()).toBe(33);
  });

  it('loads what the business service needs, layered by distance down the page', async () => {
    await page.goto(`${app.url}/#ci=${encodeURIComponent(id.bs!)}`);
    await page.waitForFunction(() => window.__ripple?.cy.nodes().length > 0);
    await settled();
    await selectNode(id.bs!);
    await page.getByTestId('depth').fill('6');
    await page.getByTestId('load-deps').click();
    await settled();
    const nodes = await page.evaluate(() => window.__ripple.cy.nodes().map((x) => ({ id: x.id(), rank: x.data('rank') as number, y: x.position('y'), group: !!x.data('isGroup') })));
    const rankOf = Object.fromEntries(nodes.map((x) => [x.id, x.rank]));
    expect(rankOf[id.bs!]).toBe(0);
    expect(rankOf[id.ms!]).toBe(2);
    expect(rankOf[id.hv!]).toBe(6);
    // 30 pods at one distance are one group node: 13 CIs + 1 group.
    expect(nodes.filter((x) => x.group)).toHaveLength(1);
    expect(nodes).toHaveLength(14);
    for (const a of nodes) for (const b of nodes) if (a.rank < b.rank) expect(a.y).toBeLessThan(b.y);
    expect(await page.evaluate(() => location.hash)).toContain('mode=dependencies');
    await page.getByTestId('fit').click();
    await page.screenshot({ path: `${SHOTS}/explorer.png` });
  });

  it('hides a relationship type and a family through the filters', async () => {
    const visible = () => page.evaluate(() => [window.__ripple.cy.nodes(':visible').length, window.__ripple.cy.edges(':visible').length]);
    // Counted once the graph is idle: an edge still arriving from the previous step made "before" and "after" equal.
    await settled();
    const [nodesBefore, edgesBefore] = await visible();
    await page.getByTestId('filter-rel-HOSTED_ON').uncheck();
    expect((await visible())[1]).toBeLessThan(edgesBefore!);
    await page.getByTestId('filter-family-hardware').uncheck();
    expect((await visible())[0]).toBe(nodesBefore! - 1); // the hypervisor
    expect(await page.evaluate(() => location.hash)).toContain('hf=hardware');
    await page.getByTestId('filter-rel-HOSTED_ON').check();
    await page.getByTestId('filter-family-hardware').check();
  });
});

describe('incident and change modes', () => {
  it('marks the hypervisor DOWN and lists the shop as impacted, its node styled DOWN', async () => {
    await page.goto(`${app.url}/#ci=${encodeURIComponent(id.hv!)}`);
    await page.waitForFunction(() => window.__ripple?.cy.nodes().length > 0);
    await settled();
    await page.getByTestId('mode-impact').click();
    await selectNode(id.hv!);
    await page.getByTestId('mark-down').click();
    await page.getByTestId('analyse-impact').click();
    await page.getByTestId('impacted-services').waitFor();
    await settled();
    const services = await page.getByTestId('impacted-services').textContent();
    expect(services).toContain(n('shop'));
    expect(services).toContain('DOWN');
    const shop = await page.evaluate((i) => {
      const x = window.__ripple.cy.getElementById(i);
      return { down: x.hasClass('state-DOWN'), label: x.data('label') as string, border: x.style('border-style') };
    }, id.bs!);
    expect(shop.down).toBe(true);
    expect(shop.label).toContain('DOWN');
    expect(await page.evaluate((i) => window.__ripple.cy.getElementById(i).hasClass('state-FAILED'), id.hv!)).toBe(true);
    expect(await page.evaluate(() => location.hash)).toContain('mode=impact');
    await page.getByTestId('fit').click();
    await page.screenshot({ path: `${SHOTS}/impact.png` });
  });

  it('creates a change on the hypervisor and draws its blast radius in rings', async () => {
    await page.getByTestId('mode-change').click();
    await settled();
    await selectNode(id.hv!);
    await page.getByTestId('change-title').fill(`${key} patch esx-01`);
    await page.getByTestId('create-change').click();
    await page.getByTestId('blast-rings').waitFor({ timeout: 20_000 });
    await settled();
    expect(await page.getByTestId('change-risk').textContent()).toMatch(/risk (LOW|MEDIUM|HIGH|CRITICAL)/);
    const rings = await page.evaluate(() => window.__ripple.cy.nodes().map((x) => ({ rank: x.data('rank') as number, r: Math.hypot(x.position('x'), x.position('y')) })));
    expect(rings.length).toBeGreaterThan(5);
    for (const a of rings) for (const b of rings) if (a.rank < b.rank) expect(a.r).toBeLessThan(b.r);
    await page.getByTestId('fit').click();
    await page.screenshot({ path: `${SHOTS}/change.png` });
  });
});
