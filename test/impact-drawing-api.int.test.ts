// The impact drawing over HTTP, on an estate as discovery sees it (a Database, 40 Microservices and 3 CronJob
// workloads using it, 4 load balancers over the services; owners, no service class): groups by distance, class
// and state with the edges between them and their counts, a group opened on request, and bad input refused by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;
const range = (k: number) => Array.from({ length: k }, (_, i) => i);

interface Drawing {
  nodes: { key: string; isGroup: boolean; count: number; className: string; state: string; distance: number; impacted: { id: string; name: string } | null }[];
  edges: { from: string; to: string; type: string; count: number }[];
  edgesLeftOut: number;
  tooLargeToExpand: string[];
}

const DRAWING = `query ($failed: [FailedCiInput!]!, $budget: Int, $expand: [ID!]) {
  impactDrawing(failed: $failed, budget: $budget, expand: $expand) {
    nodes { key isGroup count className state distance impacted { id name } }
    edges { from to type count }
    edgesLeftOut tooLargeToExpand
  }
}`;

const draw = (vars: Record<string, unknown> = {}) => app.gql<{ impactDrawing: Drawing }>(DRAWING, { failed: [{ id: id.db }], ...vars });

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const owner = { owner: n('orders-team'), environment: 'PRODUCTION' };
  id = idsByRef(await upsert(app, {
    source: `${key}-discovery`,
    teams: [{ name: n('orders-team') }, { name: n('dba-team') }],
    items: [
      { ref: 'db', className: 'Database', name: n('shared-db'), owner: n('dba-team'), attributes: { databaseName: 'shared', engine: 'postgresql', endpoint: n('db.example.com:5432') } },
      { ref: 'kc', className: 'KubernetesCluster', name: n('k8s'), attributes: { clusterName: n('k8s') } },
      ...range(40).map((i) => ({ ref: `ms${i}`, className: 'Microservice', name: n(`svc-${i}`), ...owner })),
      ...range(3).map((i) => ({ ref: `job${i}`, className: 'KubernetesWorkload', name: n(`job-${i}`), ...owner, attributes: { namespace: key, workloadName: `job-${i}`, kind: 'CronJob' } })),
      ...range(4).map((i) => ({ ref: `lb${i}`, className: 'LoadBalancer', name: n(`lb-${i}`), ...owner, attributes: { hostname: n(`lb-${i}.example.com`) } })),
    ],
    relationships: [
      ...range(40).map((i) => ({ type: 'DEPENDS_ON', from: { ref: `ms${i}` }, to: { ref: 'db' } })),
      ...range(3).flatMap((i) => [{ type: 'DEPENDS_ON', from: { ref: `job${i}` }, to: { ref: 'db' } }, { type: 'RUNS_ON', from: { ref: `job${i}` }, to: { ref: 'kc' } }]),
      ...range(40).map((i) => ({ type: 'DEPENDS_ON', from: { ref: `lb${i % 4}` }, to: { ref: `ms${i}` } })),
    ],
  }));
});

afterAll(async () => {
  if (!app) return;
  await deleteTagged(app);
  await app.close();
});

describe('impactDrawing', () => {
  it('groups the 40 microservices, draws the database, workloads and balancers by name, and the edges between them with counts', async () => {
    const r = await draw();
    expect(r.errors).toBeUndefined();
    const d = r.data!.impactDrawing;
    const ms = d.nodes.find((x) => x.isGroup)!;
    expect(d.nodes.filter((x) => x.isGroup)).toHaveLength(1);
    expect(ms).toMatchObject({ className: 'Microservice', count: 40, distance: 1, state: 'DOWN' });
    const single = d.nodes.filter((x) => !x.isGroup).map((x) => x.impacted!.name).sort();
    expect(single).toEqual([n('job-0'), n('job-1'), n('job-2'), n('lb-0'), n('lb-1'), n('lb-2'), n('lb-3'), n('shared-db')].sort());
    const edge = (from: string, to: string) => d.edges.find((e) => e.from === from && e.to === to);
    expect(edge(ms.key, id.db!)?.count).toBe(40);
    for (const i of range(4)) expect(edge(id[`lb${i}`]!, ms.key)?.count).toBe(10);
    expect(edge(id.job0!, id.db!)).toMatchObject({ type: 'DEPENDS_ON', count: 1 });
    // The cluster the workloads run on is below the failure: neither impacted nor drawn.
    expect(d.nodes.some((x) => x.key === id.kc)).toBe(false);
    expect(d.edgesLeftOut).toBe(0);
  });

  it('opens a group asked for, each member with its own edges', async () => {
    const gkey = (await draw()).data!.impactDrawing.nodes.find((x) => x.isGroup)!.key;
    const d = (await draw({ expand: [gkey] })).data!.impactDrawing;
    expect(d.nodes.some((x) => x.isGroup)).toBe(false);
    expect(d.edges.filter((e) => e.to === id.db && e.count === 1)).toHaveLength(43);
  });

  it('keeps within a small budget by grouping more', async () => {
    const d = (await draw({ budget: 1 })).data!.impactDrawing;
    expect(d.nodes.filter((x) => !x.isGroup).map((x) => x.key)).toEqual([id.db]);
    expect(d.nodes.filter((x) => x.isGroup).map((x) => `${x.count} × ${x.className}`).sort()).toEqual(['3 × KubernetesWorkload', '4 × LoadBalancer', '40 × Microservice']);
  });

  it('refuses a budget out of range, too many groups to open and an unknown CI, naming the field', async () => {
    const field = async (vars: Record<string, unknown>) => (await draw(vars)).errors?.[0]?.extensions;
    expect(await field({ budget: 0 })).toMatchObject({ code: 'VALIDATION', field: 'budget' });
    expect(await field({ budget: 100_000 })).toMatchObject({ code: 'VALIDATION', field: 'budget' });
    expect(await field({ expand: range(51).map((i) => `group:d1:X${i}:DOWN`) })).toMatchObject({ code: 'VALIDATION', field: 'expand' });
    expect(await field({ failed: [{ id: 'ci_nope' }] })).toMatchObject({ code: 'NOT_FOUND', field: 'failed' });
    expect(await field({ failed: [] })).toMatchObject({ code: 'VALIDATION', field: 'failed' });
  });
});
