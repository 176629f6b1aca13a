// The service levels view in headless Chromium against an in-process Ripple serving web/dist (run
// `npm run build:web` first). Estate as discovery sees it: a database on a VM, a microservice on its Kubernetes
// workload needing it, owners, and two application services above, each with a level; an incident on the database
// spends the budget of the one promised 99.999 % a week. Asserts what a responder sees: the spent service first,
// its budget and the incident that spent it, the bars' drawn widths, a click opening the service in the graph, and
// the service's level in its details.
// Screenshots: test-results/web/service-levels.png, service-level-details.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { openBrowser, settledPage, SHOTS } from './helpers/browser';
import { deleteItsmTagged, mutateOk } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
let browser: Browser;
let page: Page;
let incidentNumber = '';
const n = (s: string) => `${key}-${s}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const setLevel = (serviceId: string, input: Record<string, unknown>) =>
  mutateOk(app, 'alice', 'setServiceLevel', 'serviceId: $serviceId, input: $input', 'serviceId', { serviceId, input }, '$serviceId: ID!, $input: ServiceLevelInput!');

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const estate = await upsert(app, {
    source: n('k8s'),
    teams: [{ name: n('checkout-team') }, { name: n('dba-team') }],
    items: [
      { ref: 'pay', className: 'ApplicationService', name: n('payments'), owner: n('checkout-team'), environment: 'PRODUCTION', criticality: 1 },
      { ref: 'cat', className: 'ApplicationService', name: n('catalogue'), owner: n('checkout-team'), environment: 'PRODUCTION' },
      { ref: 'api', className: 'Microservice', name: n('payments-api'), owner: n('checkout-team') },
      { ref: 'wl', className: 'KubernetesWorkload', name: n('payments-api'), owner: n('checkout-team'), attributes: { namespace: key, workloadName: 'payments-api', kind: 'Deployment' } },
      { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), attributes: { clusterName: n('k8s-prod') } },
      { ref: 'vm', className: 'VirtualMachine', name: n('db-vm'), owner: n('dba-team'), attributes: { vmUuid: n('vm-uuid') } },
      { ref: 'db', className: 'Database', name: n('payments-db'), owner: n('dba-team'), attributes: { databaseName: 'payments', engine: 'postgresql' } },
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'pay' }, to: { ref: 'api' } },
      { type: 'RUNS_ON', from: { ref: 'api' }, to: { ref: 'wl' } },
      { type: 'RUNS_ON', from: { ref: 'wl' }, to: { ref: 'kc' } },
      { type: 'DEPENDS_ON', from: { ref: 'api' }, to: { ref: 'db' } },
      { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'vm' } },
    ],
  });
  id = idsByRef(estate);
  // A week at 99.999 % allows 6 s down: an incident open 7 s spends it all.
  await setLevel(id.pay!, { targetPercent: 99.999, period: 'WEEK', timeZone: 'UTC' });
  await setLevel(id.cat!, { targetPercent: 99.9, period: 'MONTH', timeZone: 'UTC' });
  const inc = await mutateOk<{ id: string; number: string }>(app, 'alice', 'openIncident', 'input: $input', 'id number',
    { input: { title: n('payments-db down'), severity: 'SEV1', failed: [{ id: id.db }] } }, '$input: OpenIncidentInput!');
  incidentNumber = inc.number;
  await sleep(7_000);
  await mutateOk(app, 'alice', 'resolveIncident', 'id: $id', 'id', { id: inc.id }, '$id: ID!');
  ({ browser, page } = await openBrowser());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (!app) return;
  await app.db.write((tx) => tx.run('MATCH (l:ServiceLevel)<-[:HAS_SERVICE_LEVEL]-(s:CI) WHERE s.name CONTAINS $key DETACH DELETE l', { key }));
  await deleteItsmTagged(app);
  await deleteTagged(app);
  await app.close();
});

interface ShownRow {
  service: string;
  status: string;
  availability: string;
  budget: string;
  incident: string;
  /** Drawn width of the budget-left bar over the width of its box. */
  barShare: number;
}

const shownRows = (): Promise<ShownRow[]> =>
  page.$$eval('[data-testid=sl-row]', (rows) =>
    rows.map((r) => {
      const text = (t: string) => r.querySelector(`[data-testid=${t}]`)!.textContent!.trim();
      const bar = r.querySelector('.sl-bar')!.getBoundingClientRect().width;
      const left = r.querySelector('.sl-bar-left')!.getBoundingClientRect().width;
      return { service: r.getAttribute('data-service')!, status: text('sl-status'), availability: text('sl-availability'), budget: text('sl-budget'), incident: text('sl-incident'), barShare: left / bar };
    }),
  );

describe('the service levels view', () => {
  it('lists the service whose budget an incident spent first, with its budget, the incident, and an empty bar', async () => {
    const api = (await app.data<{ serviceLevels: { serviceId: string; budgetMinutes: number; availabilityPercent: number }[] }>(
      `query ($ids: [ID!]) { serviceLevels(serviceIds: $ids) { serviceId budgetMinutes availabilityPercent } }`,
      { ids: [id.pay, id.cat] },
    )).serviceLevels;
    const catalogueBudget = api.find((l) => l.serviceId === id.cat)!.budgetMinutes;

    await page.goto(app.url);
    await settledPage(page);
    await page.getByTestId('mode-service-levels').click();
    await settledPage(page);
    await expect.poll(async () => (await shownRows()).filter((r) => r.service === id.pay || r.service === id.cat).length, { timeout: 15_000 }).toBe(2);
    const mine = (await shownRows()).filter((r) => r.service === id.pay || r.service === id.cat);

    expect(mine.map((r) => r.service)).toEqual([id.pay, id.cat]);
    const [spent, met] = mine as [ShownRow, ShownRow];
    expect(spent).toMatchObject({ status: 'Budget spent', budget: '0 s of 6 s (0 %)', incident: `${incidentNumber} took 100 %` });
    expect(spent.availability).toMatch(/^\d+(\.\d+)? % of 99\.999 %$/);
    expect(spent.barShare).toBeLessThan(0.02);
    expect(met).toMatchObject({ status: 'Met', availability: '100 % of 99.9 %', budget: `${Math.round(catalogueBudget)} min of ${Math.round(catalogueBudget)} min (100 %)`, incident: '—' });
    expect(met.barShare).toBeGreaterThan(0.95);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: `${SHOTS}/service-levels.png` });
  });

  it('shows only services at risk when asked, and opens a service in the graph from its name', async () => {
    await page.getByTestId('sl-at-risk-only').check();
    await expect.poll(async () => (await shownRows()).some((r) => r.service === id.cat), { timeout: 10_000 }).toBe(false);
    expect((await shownRows()).some((r) => r.service === id.pay)).toBe(true);
    await page.locator(`[data-service="${id.pay}"] [data-testid=sl-open]`).click();
    await settledPage(page);
    expect(await page.evaluate((sid) => window.__ripple.cy.getElementById(sid).nonempty(), id.pay!)).toBe(true);
  });

  it("shows a service's availability, budget and burn in its details", async () => {
    await page.getByTestId('node-list').selectOption(id.pay!);
    await settledPage(page);
    await expect.poll(() => page.getByTestId('details-sl-budget').textContent(), { timeout: 10_000 }).toBe('0 s of 6 s (0 %)');
    expect(await page.getByTestId('details-sl-availability').textContent()).toMatch(/^\d+(\.\d+)? % of 99\.999 %$/);
    expect(await page.getByTestId('details-sl-burn').textContent()).toMatch(/runs out before the period ends/);
    await page.screenshot({ path: `${SHOTS}/service-level-details.png` });
  });
});
