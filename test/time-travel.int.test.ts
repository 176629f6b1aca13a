// Time travel over HTTP: the same queries asked with `at` answer with the graph as it was. An estate shaped the
// way Kubernetes discovery sees it (microservices on workloads in a cluster, databases on a VM, owners, no
// services above them) changes over three discovery runs; each past instant is read back through the API.
import { beforeAll, describe, expect, it } from 'vitest';
import { completeRun, deleteDiscoveryTagged, refs, send, startRun } from './helpers/discovery-fixtures';
import { deleteItsmTagged, mutateOk, windows } from './helpers/impact-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple(
  (a) => ((app = a), (key = a.key)),
  async (a) => {
    await deleteItsmTagged(a);
    await deleteDiscoveryTagged(a);
  },
);

const n = (s: string) => `${key}-${s}`;
const rel = (type: string, from: string, to: string) => ({ type, from: { ref: from }, to: { ref: to } });
const pause = () => new Promise((r) => setTimeout(r, 25));

/** The estate one discovery run reports; `later` is the second run's view of it. */
function estate(later: boolean) {
  const items = [
    { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), attributes: { clusterName: n('k8s-prod') } },
    ...['orders', 'billing'].map((app) => ({
      ref: `wl-${app}`,
      className: 'KubernetesWorkload',
      name: n(`${app}-deploy`),
      attributes: { namespace: key, workloadName: app, kind: 'Deployment' },
    })),
    { ref: 'orders', className: 'Microservice', name: n('orders-api'), owner: n(later ? 'payments' : 'orders-team'), attributes: { servicePort: later ? 9090 : 8080 } },
    { ref: 'billing', className: 'Microservice', name: n('billing-api'), owner: n('payments') },
    { ref: 'vm', className: 'VirtualMachine', name: n('db-vm'), attributes: { vmUuid: n('vm-uuid'), hostname: n('dbvm') } },
    { ref: 'db', className: 'Database', name: n('orders-db'), owner: n('dba'), attributes: { databaseName: 'orders', engine: 'postgresql' } },
    { ref: 'legacy', className: 'Database', name: n('legacy-db'), owner: n('dba'), attributes: { databaseName: 'legacy', engine: 'mysql' } },
    ...(later ? [{ ref: 'fresh', className: 'Microservice', name: n('fresh-api'), owner: n('payments') }] : []),
  ];
  const relationships = [
    rel('RUNS_ON', 'wl-orders', 'kc'),
    rel('RUNS_ON', 'wl-billing', 'kc'),
    rel('RUNS_ON', 'orders', 'wl-orders'),
    rel('RUNS_ON', 'billing', 'wl-billing'),
    rel('RUNS_ON', 'db', 'vm'),
    rel('RUNS_ON', 'legacy', 'vm'),
    rel('DEPENDS_ON', 'orders', 'db'),
    // The second run no longer sees orders use the legacy database, and sees billing start using orders-db.
    ...(later ? [rel('DEPENDS_ON', 'billing', 'db')] : [rel('DEPENDS_ON', 'orders', 'legacy')]),
  ];
  return { teams: [{ name: n('orders-team') }, { name: n('payments') }, { name: n('dba') }], items, relationships };
}

async function discover(batch: ReturnType<typeof estate>): Promise<Record<string, string>> {
  const source = `k8s-${key}`;
  const run = await startRun(app, source);
  const ids = refs(await send(app, { source, runId: run.id, ...batch }));
  await completeRun(app, run.id);
  return ids;
}

interface PastCi {
  id: string;
  name: string;
  asOf: string | null;
  attributes: Record<string, unknown>;
  owner: { name: string } | null;
  history: { at: string }[];
  relationships: { type: string; absent: boolean; from: { id: string; asOf: string | null }; to: { id: string; name: string } }[];
  dependencies: { nodes: { ci: { id: string } }[]; edges: { fromId: string; toId: string; absent: boolean }[] };
}

async function ciAt(id: string, at?: string): Promise<PastCi | null> {
  const r = await app.data<{ ci: PastCi | null }>(
    `query ($id: ID!, $at: DateTime) { ci(id: $id, at: $at) { id name asOf attributes owner { name } history(first: 100) { at }
       relationships(direction: OUT, types: [DEPENDS_ON]) { type absent from { id asOf } to { id name } }
       dependencies(depth: 3) { nodes { ci { id } } edges { fromId toId absent } } } }`,
    { id, at },
  );
  return r.ci;
}

interface Impacted {
  id: string;
  state: string;
  lowConfidence: boolean;
}

async function impactAt(failedId: string, at?: string): Promise<Impacted[]> {
  const r = await app.data<{ impactAnalysis: { impacted: Impacted[] } }>(
    `query ($failed: [FailedCiInput!]!, $at: DateTime) { impactAnalysis(failed: $failed, at: $at) { impacted { id state lowConfidence } } }`,
    { failed: [{ id: failedId }], at },
  );
  return r.impactAnalysis.impacted;
}

const dependsOn = (c: PastCi | null) => (c?.relationships ?? []).map((r) => `${r.to.name}${r.absent ? ' (absent)' : ''}`).sort();

let id: Record<string, string> = {};
/** After the first run; after the second; after the third. */
let t1 = '';
let t2 = '';

beforeAll(async () => {
  id = await discover(estate(false));
  await pause();
  t1 = new Date().toISOString();
  await pause();
});

describe('the graph as of a past instant', () => {
  it('shows a relationship a discovery run stopped reporting as absent now and present as of an instant before the run', async () => {
    Object.assign(id, await discover(estate(true)));
    await pause();
    t2 = new Date().toISOString();

    expect(dependsOn(await ciAt(id.orders!))).toEqual([n('legacy-db (absent)'), n('orders-db')]);
    const before = await ciAt(id.orders!, t1);
    expect(dependsOn(before)).toEqual([n('legacy-db'), n('orders-db')]);
    // The neighbours and the walk are read at the same instant as the CI they start from.
    expect(before!.relationships.every((r) => r.from.asOf === t1)).toBe(true);
    expect(before!.dependencies.edges).toContainEqual({ fromId: id.orders, toId: id.legacy, absent: false });
    // A relationship that began after the instant was not there yet.
    expect(dependsOn(await ciAt(id.billing!, t1))).toEqual([]);
    expect(dependsOn(await ciAt(id.billing!))).toEqual([n('orders-db')]);
  });

  it("shows a CI's attributes and owner as they were, and its history up to then", async () => {
    const now = await ciAt(id.orders!);
    const then = await ciAt(id.orders!, t1);
    expect(now).toMatchObject({ asOf: null, attributes: { servicePort: 9090 }, owner: { name: n('payments') } });
    expect(then).toMatchObject({ asOf: t1, name: n('orders-api'), attributes: { servicePort: 8080 }, owner: { name: n('orders-team') } });
    expect(now!.history.length).toBeGreaterThan(then!.history.length);
    expect(then!.history.every((h) => h.at <= t1)).toBe(true);
  });

  it('answers null for a CI created after the instant, and impact on it as of then names the field', async () => {
    expect(await ciAt(id.fresh!, t1)).toBeNull();
    expect(await ciAt(id.fresh!, t2)).toMatchObject({ id: id.fresh });
    const r = await app.gql(`query ($at: DateTime) { impactAnalysis(failed: [{id: "${id.fresh}"}], at: $at) { impacted { id } } }`, { at: t1 });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'failed' });
  });

  it('computes impact as of a past instant on the graph as it was, which differs from impact now', async () => {
    const nowIds = (await impactAt(id.db!)).map((c) => c.id);
    const thenIds = (await impactAt(id.db!, t1)).map((c) => c.id);
    expect(nowIds).toEqual(expect.arrayContaining([id.orders, id.billing]));
    expect(thenIds).toContain(id.orders);
    expect(thenIds).not.toContain(id.billing);

    // The legacy database's failure reached orders-api for certain then; now only through an absent relationship.
    const legacyThen = (await impactAt(id.legacy!, t1)).find((c) => c.id === id.orders);
    const legacyNow = (await impactAt(id.legacy!)).find((c) => c.id === id.orders);
    expect(legacyThen).toMatchObject({ state: 'DOWN', lowConfidence: false });
    expect(legacyNow).toMatchObject({ state: 'DOWN', lowConfidence: true });
  });

  it("assesses a change's blast radius on the graph as of a past instant", async () => {
    const change = await mutateOk<{ id: string }>(
      app,
      'alice',
      'createChange',
      'input: $input',
      'id',
      { input: { title: n('patch orders-db'), type: 'NORMAL', targetIds: [id.db], ...windows()(0) } },
      '$input: CreateChangeInput!',
    );
    const r = await app.data<{ change: Record<'now' | 'then', { services: unknown[]; blastRadius: { cis: { id: string }[] }[] }> }>(
      `query ($id: ID!, $at: DateTime!) { change(id: $id) {
         now: currentAssessment { services { id } blastRadius { cis { id } } }
         then: assessmentAsOf(at: $at) { services { id } blastRadius { cis { id } } } } }`,
      { id: change.id, at: t1 },
    );
    const radius = (a: { blastRadius: { cis: { id: string }[] }[] }) => a.blastRadius.flatMap((ring) => ring.cis.map((c) => c.id));
    expect(radius(r.change.now)).toContain(id.billing);
    expect(radius(r.change.then)).not.toContain(id.billing);
    expect(radius(r.change.then)).toContain(id.orders);
  });

  it('keeps the gap: a relationship reported again is present now, absent while it was missing, present before', async () => {
    const again = estate(true);
    again.relationships.push(rel('DEPENDS_ON', 'orders', 'legacy'));
    await discover(again);
    expect(dependsOn(await ciAt(id.orders!))).toEqual([n('legacy-db'), n('orders-db')]);
    expect(dependsOn(await ciAt(id.orders!, t2))).toEqual([n('legacy-db (absent)'), n('orders-db')]);
    expect(dependsOn(await ciAt(id.orders!, t1))).toEqual([n('legacy-db'), n('orders-db')]);
  });

  it('shows a relationship a person removed as present before the removal', async () => {
    await pause();
    const before = new Date().toISOString();
    await pause();
    await mutateOk(app, 'alice', 'unrelateCis', 'input: $input', 'fromId', { input: { fromId: id.billing, toId: id.db, type: 'DEPENDS_ON' } }, '$input: RelateCisInput!');
    expect(dependsOn(await ciAt(id.billing!))).toEqual([]);
    expect(dependsOn(await ciAt(id.billing!, before))).toEqual([n('orders-db')]);
    expect((await impactAt(id.db!, before)).map((c) => c.id)).toContain(id.billing);
    expect((await impactAt(id.db!)).map((c) => c.id)).not.toContain(id.billing);
  });

  it('refuses an instant in the future with a typed error naming the field', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const r = await app.gql(`query ($id: ID!, $at: DateTime) { ci(id: $id, at: $at) { id } }`, { id: id.orders, at: future });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'at' });
    const bad = await app.gql(`query ($id: ID!) { ci(id: $id, at: "last tuesday") { id } }`, { id: id.orders });
    expect(bad.errors?.[0]?.message).toMatch(/DateTime/);
  });
});
