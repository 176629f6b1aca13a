// Readiness that tells the truth: while the estate is being seeded the API serves (the seed goes through it) but
// /readyz says "seeding"; once start-up returns, /readyz is ready and the seeded CIs are there to be seen.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openBrowser } from './helpers/browser';
import { startTestRipple, type TestRipple } from './helpers/ripple';

const key = `t${randomBytes(4).toString('hex')}`;
const source = `seed-${key}`;
let app: TestRipple | undefined;

afterAll(async () => {
  await app?.db.write(async (tx) => {
    await tx.run('MATCH (h:History)-[:ABOUT]->(n:CI) WHERE $source IN n.sources DETACH DELETE h', { source });
    await tx.run('MATCH (n:CI) WHERE $source IN n.sources DETACH DELETE n', { source });
    await tx.run('MATCH (k:IdentKey) WHERE NOT (k)--() DELETE k');
  });
  await app?.close();
});

/** A small estate as discovery reports it: a microservice and the database it needs, no service above them. */
async function seedThroughApi(url: string): Promise<void> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: UpsertCisInput!) { upsertCis(input: $input) { ... on MutationUpsertCisSuccess { data { counts { created rejected } } } } }',
      variables: {
        input: {
          source,
          items: [
            { ref: 'svc', className: 'Microservice', name: `${key}-checkout`, attributes: { catalogRef: `component:default/${key}-checkout` } },
            { ref: 'db', className: 'CloudManagedDatabase', name: `${key}-orders-db`, attributes: { cloudResourceId: `arn:${key}:orders` } },
          ],
          relationships: [{ type: 'DEPENDS_ON', from: { ref: 'svc' }, to: { ref: 'db' } }],
        },
      },
    }),
  });
  const body = (await res.json()) as { data?: { upsertCis: { data?: { counts: { created: number } } } } };
  if (body.data?.upsertCis.data?.counts.created !== 2) throw new Error(`seed failed: ${JSON.stringify(body)}`);
}

describe('readiness during the demo seed', () => {
  it('answers /readyz "seeding" (503) while the estate loads, and ready with the estate visible once start-up returns', async () => {
    let during: { status: number; body: unknown } | undefined;
    app = await startTestRipple({ RIPPLE_SEED: 'auto' }, {
      seed: async (url) => {
        const r = await fetch(`${url}/readyz`);
        during = { status: r.status, body: await r.json() };
        await seedThroughApi(url);
      },
    });
    expect(during).toEqual({ status: 503, body: { status: 'seeding', neo4j: 'ok', detail: 'the demo estate is being loaded' } });
    const after = await fetch(`${app.url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready', neo4j: 'ok' });
    const seen = await app.data<{ cis: { nodes: { name: string }[] } }>(`{ cis(filter: { nameContains: "${key}" }) { nodes { name } } }`);
    expect(seen.cis.nodes.map((n) => n.name).sort()).toEqual([`${key}-checkout`, `${key}-orders-db`]);
  });
});

describe('the page while the demo seed runs', () => {
  it('says the demo estate is loading, and reloads itself without the note once it is in', async () => {
    const { browser, page } = await openBrowser();
    let note: string | null = null;
    // A seed that writes nothing: the page is opened while it runs, and start-up ends when it returns.
    const second = await startTestRipple({ RIPPLE_SEED: 'auto' }, {
      seed: async (url) => {
        await page.goto(url);
        note = await page.getByTestId('seeding').textContent({ timeout: 15_000 });
      },
    });
    try {
      expect(note).toContain('Loading the demo estate');
      // The page polls /readyz and reloads once it is ready: only a reload takes the note away.
      await page.waitForFunction(() => !document.querySelector('[data-testid=seeding]'), undefined, { timeout: 15_000 });
    } finally {
      await browser.close();
      await second.close();
    }
  });
});
