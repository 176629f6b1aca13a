// The web view on a running Ripple's estate (the 100,000-CI demo, say): from the click to the drawing, for the
// impact of the shared database's primary and for its dependents at depth 3, with the requests the page made,
// what it drew (groups, edges between groups) and a screenshot of each.
import { mkdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Browser, Page, Request } from 'playwright-core';

const SHOTS = 'test-results/web';
const SHARED_PRIMARY = 'postgres-shared-primary';

interface Requests { count: number; kib: number; slowestMs: number }

async function gql<T>(base: string, query: string, variables: Record<string, unknown>): Promise<T | undefined> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return ((await res.json()) as { data?: T }).data;
}

async function ciId(base: string, name: string): Promise<string> {
  const body = await gql<{ search: { ci: { id: string; name: string } }[] }>(base, 'query($t: String!) { search(text: $t, first: 5) { ci { id name } } }', { t: name });
  const hit = body?.search.find((s) => s.ci.name === name);
  if (!hit) throw new Error(`${name} is not in the estate at ${base}: start Ripple with RIPPLE_SEED_SIZE=100000`);
  return hit.ci.id;
}

/** Counts the GraphQL requests the page finishes from now on, their body sizes and the slowest. */
function watchRequests(page: Page): () => Promise<Requests> {
  const seen: Promise<{ bytes: number; ms: number }>[] = [];
  const on = (req: Request) => {
    if (!req.url().endsWith('/graphql')) return;
    seen.push(req.sizes().then((s) => ({ bytes: s.responseBodySize, ms: req.timing().responseEnd })));
  };
  page.on('requestfinished', on);
  return async () => {
    page.off('requestfinished', on);
    const all = await Promise.all(seen);
    return { count: all.length, kib: Math.round(all.reduce((n, r) => n + r.bytes, 0) / 1024), slowestMs: Math.round(Math.max(0, ...all.map((r) => r.ms))) };
  };
}

async function settled(page: Page, timeout = 120_000): Promise<void> {
  await page.waitForFunction(() => window.__ripple && window.__ripple.busy === 0, undefined, { timeout });
}

/** Clicks, then waits for the view to finish drawing: milliseconds, requests, and what is on the graph. */
async function timedClick(page: Page, selector: string) {
  const done = watchRequests(page);
  const started = performance.now();
  await page.locator(selector).click();
  await page.waitForFunction(() => window.__ripple.busy > 0 || document.body.getAttribute('aria-busy') !== 'true', undefined, { timeout: 5_000 }).catch(() => undefined);
  await settled(page);
  const ms = performance.now() - started;
  const drawn = await page.evaluate(() => {
    const cy = window.__ripple.cy;
    const groups = cy.nodes('[?isGroup]');
    return {
      nodes: cy.nodes().length,
      groups: groups.length,
      groupEdges: cy.edges().filter((e) => !!(e.source().data('isGroup') || e.target().data('isGroup'))).length,
      edges: cy.edges().length,
      status: document.querySelector('[data-testid="status"]')?.textContent ?? '',
    };
  });
  return { ms: Math.round(ms), requests: await done(), ...drawn };
}

async function openCi(page: Page, base: string, id: string): Promise<void> {
  await page.goto(`${base}/#ci=${encodeURIComponent(id)}`);
  await settled(page);
}

/** Runs both cases against Ripple at `base` and prints one row each; screenshots go to test-results/web/. */
export async function runEstateCases(browser: Browser, base: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const id = await ciId(base, SHARED_PRIMARY);
  // The first impact since the server started loads its read model (seconds at 100,000 CIs): timed apart.
  const warm = performance.now();
  await gql(base, 'query($f: [FailedCiInput!]!) { impactDrawing(failed: $f) { edgesLeftOut } }', { f: [{ id }] });
  console.log(`server, first impact drawing over the API (loads the read model if this is the first since start): ${Math.round(performance.now() - warm)} ms`);
  const rows: Record<string, string | number>[] = [];
  const row = (what: string, r: Awaited<ReturnType<typeof timedClick>>) => {
    rows.push({ what, 'click to drawn ms': r.ms, requests: r.requests.count, 'response KiB': r.requests.kib, 'slowest request ms': r.requests.slowestMs, nodes: r.nodes, groups: r.groups, 'edges at groups': r.groupEdges, edges: r.edges });
    console.log(`${what}: ${r.ms} ms; status "${r.status}"`);
  };

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await openCi(page, base, id);
    await page.locator('[data-mode="impact"]').click();
    await page.getByTestId('mark-down').click();
    row(`impact of ${SHARED_PRIMARY}`, await timedClick(page, '[data-testid="analyse-impact"]'));
    await page.screenshot({ path: `${SHOTS}/impact-100k.png` });

    await openCi(page, base, id);
    await page.getByTestId('depth').fill('3');
    row(`dependents of ${SHARED_PRIMARY}, depth 3`, await timedClick(page, '[data-testid="load-dependents"]'));
    await page.screenshot({ path: `${SHOTS}/dependents-100k.png` });
  } finally {
    await page.close();
  }
  console.table(rows);
  console.log('target: the impact of the shared database drawn with the edges between its groups within 3,000 ms of the click; dependents at depth 3 open');
}
