// The impact of a shared database on an estate of over a thousand CIs, as discovery sees it (a Database, the
// Microservices and CronJob workloads that use it, the load balancers in front of the services; owners, no
// service class), in headless Chromium against an in-process Ripple serving web/dist (run `npm run build:web`
// first). Asserts what a responder sees: a few bounded requests, groups by ring with the edges between them
// and how many each stands for, labels readable, no edge through a node; a group opens on click.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { nodeOnPage, openBrowser, settledPage, SHOTS } from './helpers/browser';
import { drawnGraph, edgesThroughNodes } from './helpers/drawn-edges';
import { startTestRipple, type TestRipple } from './helpers/ripple';

const SERVICES = 1200;
const JOBS = 60;
const BALANCERS = 40;

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
let browser: Browser;
let page: Page;
const n = (s: string) => `${key}-${s}`;
const settled = () => settledPage(page);
const range = (k: number) => Array.from({ length: k }, (_, i) => i);

/** What is drawn: every visible node's label, class, count and on-screen label size; every edge with its count label. */
const onScreen = () => page.evaluate(() => {
  const cy = window.__ripple.cy;
  return {
    nodes: cy.nodes(':visible').map((x) => ({
      id: x.id(),
      name: String(x.data('name')),
      className: String(x.data('className')),
      label: String(x.style('label')),
      isGroup: !!x.data('isGroup'),
      count: Number(x.data('count') ?? 1),
      px: parseFloat(String(x.renderedStyle('font-size'))),
    })),
    edges: cy.edges(':visible').map((e) => ({
      source: e.source().id(),
      target: e.target().id(),
      label: String(e.style('label')),
      px: parseFloat(String(e.renderedStyle('font-size'))),
      length: Math.hypot(e.renderedTargetEndpoint().x - e.renderedSourceEndpoint().x, e.renderedTargetEndpoint().y - e.renderedSourceEndpoint().y),
    })),
  };
});

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const owner = { owner: n('orders-team'), environment: 'PRODUCTION' };
  const estate = await upsert(app, {
    source: `${key}-discovery`,
    teams: [{ name: n('orders-team'), email: `${key}-orders@example.com` }, { name: n('dba-team'), email: `${key}-dba@example.com` }],
    items: [
      { ref: 'db', className: 'Database', name: n('shared-db-primary'), owner: n('dba-team'), environment: 'PRODUCTION', attributes: { databaseName: n('shared'), engine: 'postgresql', endpoint: n('db.example.com:5432') } },
      { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), attributes: { clusterName: n('k8s-prod') } },
      ...range(SERVICES).map((i) => ({ ref: `ms${i}`, className: 'Microservice', name: n(`svc-${i}`), ...owner })),
      ...range(JOBS).map((i) => ({ ref: `job${i}`, className: 'KubernetesWorkload', name: n(`report-${i}`), ...owner, attributes: { namespace: key, workloadName: `report-${i}`, kind: 'CronJob' } })),
      ...range(BALANCERS).map((i) => ({ ref: `lb${i}`, className: 'LoadBalancer', name: n(`lb-${i}`), ...owner, attributes: { hostname: n(`lb-${i}.example.com`) } })),
    ],
    relationships: [
      ...range(SERVICES).map((i) => ({ type: 'DEPENDS_ON', from: { ref: `ms${i}` }, to: { ref: 'db' } })),
      ...range(JOBS).flatMap((i) => [{ type: 'DEPENDS_ON', from: { ref: `job${i}` }, to: { ref: 'db' } }, { type: 'RUNS_ON', from: { ref: `job${i}` }, to: { ref: 'kc' } }]),
      // Each balancer fronts 30 services: 1,200 relationships between two groups.
      ...range(SERVICES).map((i) => ({ type: 'DEPENDS_ON', from: { ref: `lb${i % BALANCERS}` }, to: { ref: `ms${i}` } })),
    ],
  });
  id = idsByRef(estate);
  ({ browser, page } = await openBrowser());
  await page.setViewportSize({ width: 1280, height: 800 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (!app) return;
  await deleteTagged(app);
  await app.close();
});

describe('the impact of a shared database on a large estate', () => {
  let requests = 0;

  it('is drawn from a few bounded requests as groups by ring, with the edges between groups and their counts', async () => {
    await page.goto(`${app.url}/#ci=${encodeURIComponent(id.db!)}`);
    await page.waitForFunction(() => window.__ripple?.cy.nodes().length > 0);
    await settled();
    await page.locator('[data-mode="impact"]').click();
    await page.getByTestId('node-list').selectOption(id.db!);
    await settled();
    await page.getByTestId('mark-down').click();
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) requests++;
    });
    await page.getByTestId('analyse-impact').click();
    await page.getByTestId('impact-teams').waitFor();
    await settled();
    await page.screenshot({ path: `${SHOTS}/impact-groups.png` });
    expect(requests).toBeLessThanOrEqual(3);

    const { nodes, edges } = await onScreen();
    const group = (cls: string) => nodes.find((x) => x.isGroup && x.name === `${x.count} × ${cls}`);
    expect(group('Microservice')?.count).toBe(SERVICES);
    expect(group('KubernetesWorkload')?.count).toBe(JOBS);
    expect(group('LoadBalancer')?.count).toBe(BALANCERS);
    expect(nodes.find((x) => x.id === id.db)?.name).toBe(n('shared-db-primary'));
    // Fewer than a hundred things on screen for 1,300 impacted CIs.
    expect(nodes.length).toBeLessThan(100);

    const between = (from: string, to: string) => edges.find((e) => e.source === from && e.target === to);
    const lbToMs = between(group('LoadBalancer')!.id, group('Microservice')!.id);
    expect(lbToMs?.label).toBe(`×${SERVICES}`);
    expect(lbToMs!.length).toBeGreaterThan(20);
    expect(between(group('Microservice')!.id, id.db!)?.label).toBe(`×${SERVICES}`);
    expect(between(group('KubernetesWorkload')!.id, id.db!)?.label).toBe(`×${JOBS}`);
    for (const l of [...nodes, ...edges].filter((x) => x.label)) expect(l.px, l.label).toBeGreaterThanOrEqual(10);
  });

  it('draws no edge through a node it does not join', async () => {
    const g = await drawnGraph(page);
    expect(g.edges.length).toBeGreaterThanOrEqual(3);
    expect(edgesThroughNodes(g)).toEqual([]);
  });

  it('opens a group on click, its CIs drawn one by one with their edges to the database', async () => {
    const gid = (await onScreen()).nodes.find((x) => x.isGroup && x.className === 'KubernetesWorkload')!.id;
    // Clicked where it is drawn, as a user would.
    const at = await nodeOnPage(page, gid);
    await page.mouse.click(at.x, at.y);
    await page.waitForTimeout(100);
    await settled();
    const { nodes, edges } = await onScreen();
    expect(nodes.some((x) => x.id === gid)).toBe(false);
    const jobIds = new Set(range(JOBS).map((i) => id[`job${i}`]));
    expect(edges.filter((e) => jobIds.has(e.source) && e.target === id.db).length).toBe(JOBS);
    expect(nodes.filter((x) => jobIds.has(x.id)).length).toBe(JOBS);
    // The other groups stay as they were.
    expect(nodes.find((x) => x.isGroup && x.className === 'Microservice')?.count).toBe(SERVICES);
    await page.screenshot({ path: `${SHOTS}/impact-group-opened.png` });
  });
});
