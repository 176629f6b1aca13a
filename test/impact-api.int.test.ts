// Impact over HTTP: what a failure takes DOWN or DEGRADED through redundant groups (atLeast, any, percent), degraded
// failures, cycles, diamonds and a chain of diamonds with over a million paths, ordering and owning teams,
// confidence through stale CIs, incidents with their stored and refreshed impact, problems and root-cause hints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { deleteItsmTagged, IMPACT_REPORT, mutate, mutateOk, type ImpactReport } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { propagateImpact, type ImpactGraph } from '../server/domain/impact';
import { compareStrings } from '../server/domain/impact/graph-index';
import { downstreamOf, upstreamIds, upstreamOf } from '../server/neo4j/repositories/impact-repository';
import { MAX_IMPACT_DEPTH } from '../server/services/impact';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;
const refOf = (ciId: string) => Object.entries(id).find(([, v]) => v === ciId)?.[0] ?? ciId;

const CHAIN = 20;

async function impact(failed: { id: string; state?: 'DOWN' | 'DEGRADED' }[], maxPaths?: number): Promise<ImpactReport> {
  const r = await app.data<{ impactAnalysis: ImpactReport }>(
    `query ($failed: [FailedCiInput!]!, $maxPaths: Int) { impactAnalysis(failed: $failed, maxPaths: $maxPaths) { ${IMPACT_REPORT} } }`,
    { failed, maxPaths: maxPaths ?? 3 },
  );
  return r.impactAnalysis;
}
const down = (...refs: string[]) => impact(refs.map((r) => ({ id: id[r]! })));

/** State of each of the given refs in a report, `OK` when it is not impacted. */
function states(report: ImpactReport, refs: string[]): Record<string, string> {
  return Object.fromEntries(refs.map((r) => [r, report.impacted.find((c) => c.id === id[r])?.state ?? 'OK']));
}
const pathRefs = (p: { ciIds: string[] }) => p.ciIds.map(refOf);

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const clusters = await upsert(app, {
    source: n('estate'),
    teams: [{ name: n('shop-team') }, { name: n('dba-team') }],
    items: [
      { ref: 'biz', className: 'BusinessService', name: n('shop'), criticality: 1, environment: 'PRODUCTION', owner: n('shop-team') },
      { ref: 'app', className: 'ApplicationService', name: n('orders-app'), criticality: 2, environment: 'PRODUCTION', owner: n('shop-team') },
      { ref: 'cl', className: 'Cluster', name: n('orders-db-cluster'), attributes: { clusterType: 'database', redundancy: 'atLeast:2' }, owner: n('dba-team') },
      ...[1, 2, 3].flatMap((i) => [
        { ref: `db${i}`, className: 'Database', name: n(`orders-db-${i}`), attributes: { databaseName: 'orders', engine: 'postgresql' } },
        { ref: `vm${i}`, className: 'VirtualMachine', name: n(`db-vm-${i}`), attributes: { vmUuid: n(`vm-uuid-${i}`) } },
      ]),
      // `any`: 3 cache nodes, one is enough. `percent:50`: 4 workers, 2 are enough.
      { ref: 'anyG', className: 'Cluster', name: n('cache-cluster'), attributes: { clusterType: 'cache', redundancy: 'any' } },
      { ref: 'anySvc', className: 'ApplicationService', name: n('sessions') },
      ...[1, 2, 3].map((i) => ({ ref: `any${i}`, className: 'Application', name: n(`cache-node-${i}`) })),
      { ref: 'pctG', className: 'Cluster', name: n('worker-pool'), attributes: { clusterType: 'server-pool', redundancy: 'percent:50' } },
      { ref: 'pctSvc', className: 'ApplicationService', name: n('batch') },
      ...[1, 2, 3, 4].map((i) => ({ ref: `pct${i}`, className: 'Application', name: n(`worker-${i}`) })),
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'biz' }, to: { ref: 'app' } },
      { type: 'DEPENDS_ON', from: { ref: 'app' }, to: { ref: 'cl' } },
      ...[1, 2, 3].flatMap((i) => [
        { type: 'HAS_MEMBER', from: { ref: 'cl' }, to: { ref: `db${i}` } },
        { type: 'RUNS_ON', from: { ref: `db${i}` }, to: { ref: `vm${i}` } },
      ]),
      { type: 'DEPENDS_ON', from: { ref: 'anySvc' }, to: { ref: 'anyG' } },
      ...[1, 2, 3].map((i) => ({ type: 'HAS_MEMBER', from: { ref: 'anyG' }, to: { ref: `any${i}` } })),
      { type: 'DEPENDS_ON', from: { ref: 'pctSvc' }, to: { ref: 'pctG' } },
      ...[1, 2, 3, 4].map((i) => ({ type: 'HAS_MEMBER', from: { ref: 'pctG' }, to: { ref: `pct${i}` } })),
    ],
  });
  const shapes = await upsert(app, {
    source: n('estate'),
    teams: ['team-a', 'team-b', 'team-c'].map((t) => ({ name: n(t) })),
    items: [
      // A degraded failure.
      { ref: 'degSrc', className: 'Application', name: n('slow-api') },
      { ref: 'degSvc', className: 'ApplicationService', name: n('slow-consumer') },
      // A cycle: two services needing each other, one of them needing the failing CI.
      { ref: 'cycZ', className: 'Application', name: n('cycle-root') },
      { ref: 'cycX', className: 'ApplicationService', name: n('cycle-x') },
      { ref: 'cycY', className: 'ApplicationService', name: n('cycle-y') },
      // A diamond: S needs A and B, both need D.
      { ref: 'dmS', className: 'ApplicationService', name: n('diamond-s') },
      ...['dmA', 'dmB', 'dmD'].map((r) => ({ ref: r, className: 'Application', name: n(`diamond-${r}`) })),
      // Ordering: P fails DOWN, Q is DEGRADED; three services of different criticality and teams.
      { ref: 'ordP', className: 'Application', name: n('ord-p') },
      { ref: 'ordQ', className: 'Application', name: n('ord-q') },
      { ref: 'ordS3', className: 'ApplicationService', name: n('ord-s3'), criticality: 3, owner: n('team-a') },
      { ref: 'ordS2', className: 'ApplicationService', name: n('ord-s2'), criticality: 2, owner: n('team-b') },
      { ref: 'ordS1', className: 'BusinessService', name: n('ord-s1'), criticality: 1, owner: n('team-c') },
      // Confidence: one service reaches the failure only through a stale CI, the other directly.
      { ref: 'stF', className: 'Application', name: n('stale-failing') },
      { ref: 'stT', className: 'Application', name: n('stale-middle') },
      { ref: 'stSvcStale', className: 'ApplicationService', name: n('stale-svc') },
      { ref: 'stSvcFresh', className: 'ApplicationService', name: n('fresh-svc') },
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'degSvc' }, to: { ref: 'degSrc' } },
      { type: 'DEPENDS_ON', from: { ref: 'cycX' }, to: { ref: 'cycY' } },
      { type: 'DEPENDS_ON', from: { ref: 'cycY' }, to: { ref: 'cycX' } },
      { type: 'DEPENDS_ON', from: { ref: 'cycY' }, to: { ref: 'cycZ' } },
      { type: 'DEPENDS_ON', from: { ref: 'dmS' }, to: { ref: 'dmA' } },
      { type: 'DEPENDS_ON', from: { ref: 'dmS' }, to: { ref: 'dmB' } },
      { type: 'DEPENDS_ON', from: { ref: 'dmA' }, to: { ref: 'dmD' } },
      { type: 'DEPENDS_ON', from: { ref: 'dmB' }, to: { ref: 'dmD' } },
      { type: 'DEPENDS_ON', from: { ref: 'ordS3' }, to: { ref: 'ordP' } },
      { type: 'DEPENDS_ON', from: { ref: 'ordS2' }, to: { ref: 'ordP' } },
      { type: 'DEPENDS_ON', from: { ref: 'ordS1' }, to: { ref: 'ordQ' } },
      { type: 'DEPENDS_ON', from: { ref: 'stSvcStale' }, to: { ref: 'stT' } },
      { type: 'DEPENDS_ON', from: { ref: 'stT' }, to: { ref: 'stF' } },
      { type: 'DEPENDS_ON', from: { ref: 'stSvcFresh' }, to: { ref: 'stF' } },
    ],
  });
  // A chain of CHAIN diamonds: j0 needs a0 and b0, both need j1, ... down to j20; 2^20 distinct paths from the top.
  const chain = await upsert(app, {
    source: n('estate'),
    items: [
      { ref: 'chSvc', className: 'ApplicationService', name: n('chain-top') },
      ...Array.from({ length: CHAIN + 1 }, (_, i) => ({ ref: `j${i}`, className: 'Application', name: n(`chain-j${i}`) })),
      ...Array.from({ length: CHAIN }, (_, i) => [
        { ref: `a${i}`, className: 'Application', name: n(`chain-a${i}`) },
        { ref: `b${i}`, className: 'Application', name: n(`chain-b${i}`) },
      ]).flat(),
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'chSvc' }, to: { ref: 'j0' } },
      ...Array.from({ length: CHAIN }, (_, i) => [
        { type: 'DEPENDS_ON', from: { ref: `j${i}` }, to: { ref: `a${i}` } },
        { type: 'DEPENDS_ON', from: { ref: `j${i}` }, to: { ref: `b${i}` } },
        { type: 'DEPENDS_ON', from: { ref: `a${i}` }, to: { ref: `j${i + 1}` } },
        { type: 'DEPENDS_ON', from: { ref: `b${i}` }, to: { ref: `j${i + 1}` } },
      ]).flat(),
    ],
  });
  expect(chain.counts.created).toBe(1 + (CHAIN + 1) + 2 * CHAIN);
  const incidents = await upsert(app, {
    source: n('estate'),
    teams: [{ name: n('billing-team') }],
    items: [
      { ref: 'incDb', className: 'Database', name: n('billing-db'), attributes: { databaseName: 'billing', engine: 'postgresql' } },
      { ref: 'incVm', className: 'VirtualMachine', name: n('billing-vm'), attributes: { vmUuid: n('billing-vm-uuid') } },
      { ref: 'incApp', className: 'ApplicationService', name: n('billing-app'), criticality: 2, owner: n('billing-team') },
      { ref: 'incBiz', className: 'BusinessService', name: n('invoicing'), criticality: 1, owner: n('billing-team') },
      // Root cause: three applications sharing one database.
      { ref: 'rcDb', className: 'Database', name: n('shared-db'), attributes: { databaseName: 'shared', engine: 'mysql' } },
      { ref: 'rcVm', className: 'VirtualMachine', name: n('shared-vm'), attributes: { vmUuid: n('shared-vm-uuid') } },
      ...[1, 2, 3].map((i) => ({ ref: `rcApp${i}`, className: 'Application', name: n(`shared-user-${i}`) })),
    ],
    relationships: [
      { type: 'RUNS_ON', from: { ref: 'incDb' }, to: { ref: 'incVm' } },
      { type: 'DEPENDS_ON', from: { ref: 'incApp' }, to: { ref: 'incDb' } },
      { type: 'DEPENDS_ON', from: { ref: 'incBiz' }, to: { ref: 'incApp' } },
      { type: 'RUNS_ON', from: { ref: 'rcDb' }, to: { ref: 'rcVm' } },
      ...[1, 2, 3].map((i) => ({ type: 'DEPENDS_ON', from: { ref: `rcApp${i}` }, to: { ref: 'rcDb' } })),
    ],
  });
  id = { ...idsByRef(clusters), ...idsByRef(shapes), ...idsByRef(chain), ...idsByRef(incidents) };
  // Discovery runs are not in this API yet: mark the middle CI stale directly.
  await app.db.write((tx) => tx.run('MATCH (n:CI {id: $id}) SET n.stale = true', { id: id.stT }));
});

afterAll(async () => {
  if (!app) return;
  await deleteItsmTagged(app);
  await deleteTagged(app);
  await app.close();
});

describe('a 3-node database cluster that needs at least 2 nodes', () => {
  it('keeps both services DEGRADED, not DOWN, when 1 of 3 databases fails, and says the group lost 1 of 3 but holds', async () => {
    const r = await down('db2');
    expect(states(r, ['cl', 'app', 'biz'])).toEqual({ cl: 'DEGRADED', app: 'DEGRADED', biz: 'DEGRADED' });
    expect(r.services.map((s) => refOf(s.id))).toEqual(['biz', 'app']);
    expect(r.groups).toEqual([{ id: id.cl, name: n('orders-db-cluster'), total: 3, lost: 1, holds: true, state: 'DEGRADED' }]);
    expect(states(r, ['db1', 'db3', 'vm2'])).toEqual({ db1: 'OK', db3: 'OK', vm2: 'OK' });
    const biz = r.services.find((s) => s.id === id.biz)!;
    expect(biz.distance).toBe(3);
    expect(biz.paths.map(pathRefs)).toEqual([['biz', 'app', 'cl', 'db2']]);
    expect(biz.redundancyNotes.join(' ')).toMatch(/lost 1 of 3/);
  });

  it('takes both services DOWN when 2 of 3 databases fail, and says the group no longer holds', async () => {
    const r = await down('db1', 'db3');
    expect(states(r, ['cl', 'app', 'biz', 'db2'])).toEqual({ cl: 'DOWN', app: 'DOWN', biz: 'DOWN', db2: 'OK' });
    expect(r.groups).toEqual([{ id: id.cl, name: n('orders-db-cluster'), total: 3, lost: 2, holds: false, state: 'DOWN' }]);
    expect(r.services.map((s) => [refOf(s.id), s.state])).toEqual([
      ['biz', 'DOWN'],
      ['app', 'DOWN'],
    ]);
  });

  it('takes the cluster down through a VM: a database on a failed VM counts as a lost member', async () => {
    const one = await down('vm1');
    expect(states(one, ['db1', 'cl', 'biz'])).toEqual({ db1: 'DOWN', cl: 'DEGRADED', biz: 'DEGRADED' });
    const two = await down('vm1', 'vm2');
    expect(states(two, ['cl', 'biz'])).toEqual({ cl: 'DOWN', biz: 'DOWN' });
  });

  it('keeps an `any` group serving until its last member fails', async () => {
    const two = await down('any1', 'any2');
    expect(states(two, ['anyG', 'anySvc'])).toEqual({ anyG: 'DEGRADED', anySvc: 'DEGRADED' });
    expect(two.groups.find((g) => g.id === id.anyG)).toMatchObject({ total: 3, lost: 2, holds: true });
    const all = await down('any1', 'any2', 'any3');
    expect(states(all, ['anyG', 'anySvc'])).toEqual({ anyG: 'DOWN', anySvc: 'DOWN' });
    expect(all.groups.find((g) => g.id === id.anyG)).toMatchObject({ total: 3, lost: 3, holds: false });
  });

  it('keeps a `percent:50` group serving with half its members, and takes it down below half', async () => {
    const half = await down('pct1', 'pct2');
    expect(states(half, ['pctG', 'pctSvc'])).toEqual({ pctG: 'DEGRADED', pctSvc: 'DEGRADED' });
    expect(half.groups.find((g) => g.id === id.pctG)).toMatchObject({ total: 4, lost: 2, holds: true });
    const most = await down('pct1', 'pct2', 'pct3');
    expect(states(most, ['pctG', 'pctSvc'])).toEqual({ pctG: 'DOWN', pctSvc: 'DOWN' });
    expect(most.groups.find((g) => g.id === id.pctG)).toMatchObject({ total: 4, lost: 3, holds: false });
  });
});

describe('awkward shapes', () => {
  it('makes the dependents of a DEGRADED CI DEGRADED, not DOWN', async () => {
    const r = await impact([{ id: id.degSrc!, state: 'DEGRADED' }]);
    expect(states(r, ['degSrc', 'degSvc'])).toEqual({ degSrc: 'DEGRADED', degSvc: 'DEGRADED' });
    expect(r.impacted.find((c) => c.id === id.degSrc)!.failed).toBe(true);
    expect(r.services.map((s) => [refOf(s.id), s.state, s.distance])).toEqual([['degSvc', 'DEGRADED', 1]]);
  });

  it('terminates on two services that need each other and lists each of them once', async () => {
    const r = await down('cycZ');
    const ids = r.impacted.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(r.services.map((s) => [refOf(s.id), s.state, s.distance]).sort()).toEqual([
      ['cycX', 'DOWN', 2],
      ['cycY', 'DOWN', 1],
    ]);
    expect(r.services.find((s) => s.id === id.cycX)!.paths.map(pathRefs)).toEqual([['cycX', 'cycY', 'cycZ']]);
  });

  it('lists the top of a diamond once, at distance 2, with both paths down to the failed CI', async () => {
    const r = await down('dmD');
    const s = r.impacted.filter((c) => c.id === id.dmS);
    expect(s).toHaveLength(1);
    expect(s[0]!.distance).toBe(2);
    expect(s[0]!.paths).toHaveLength(2);
    expect(s[0]!.paths.map(pathRefs).sort()).toEqual([
      ['dmS', 'dmA', 'dmD'],
      ['dmS', 'dmB', 'dmD'],
    ]);
    expect(s[0]!.paths.every((p) => p.length === 2)).toBe(true);
    const one = await impact([{ id: id.dmD! }], 1);
    expect(one.services.find((c) => c.id === id.dmS)!.paths).toHaveLength(1);
  });

  it(`answers a chain of ${CHAIN} diamonds (over a million distinct paths) with at most maxPaths paths per CI`, async () => {
    const t0 = Date.now();
    const r = await down(`j${CHAIN}`);
    const took = Date.now() - t0;
    expect(r.impacted).toHaveLength(1 + (CHAIN + 1) + 2 * CHAIN);
    const top = r.services.find((s) => s.id === id.chSvc)!;
    expect(top).toMatchObject({ state: 'DOWN', distance: 2 * CHAIN + 1 });
    expect(top.paths).toHaveLength(3);
    for (const p of top.paths) {
      expect(p.length).toBe(2 * CHAIN + 1);
      expect(p.ciIds[0]).toBe(id.chSvc);
      expect(p.ciIds.at(-1)).toBe(id[`j${CHAIN}`]);
    }
    expect(new Set(top.paths.map((p) => p.ciIds.join('>'))).size).toBe(3);
    expect(r.impacted.every((c) => c.paths.length <= 3)).toBe(true);
    expect(took, `impactAnalysis took ${took} ms`).toBeLessThan(15_000);
  });
});

describe('what the report puts first', () => {
  it('lists DOWN services before DEGRADED ones, then the most critical first, with their owning teams in that order', async () => {
    const r = await impact([
      { id: id.ordP!, state: 'DOWN' },
      { id: id.ordQ!, state: 'DEGRADED' },
    ]);
    expect(r.services.map((s) => [refOf(s.id), s.state, s.criticality])).toEqual([
      ['ordS2', 'DOWN', 2],
      ['ordS3', 'DOWN', 3],
      ['ordS1', 'DEGRADED', 1],
    ]);
    expect(r.services.map((s) => s.ownerTeams)).toEqual([[n('team-b')], [n('team-a')], [n('team-c')]]);
    expect(r.teams).toEqual([
      { team: n('team-b'), serviceIds: [id.ordS2], otherCiIds: [] },
      { team: n('team-a'), serviceIds: [id.ordS3], otherCiIds: [] },
      { team: n('team-c'), serviceIds: [id.ordS1], otherCiIds: [] },
    ]);
  });

  it('names the owning team of both cluster services in `teams`, then the team of the cluster it takes down', async () => {
    const r = await down('db1', 'db2');
    expect(r.teams).toEqual([
      { team: n('shop-team'), serviceIds: [id.biz, id.app], otherCiIds: [] },
      { team: n('dba-team'), serviceIds: [], otherCiIds: [id.cl] },
    ]);
    expect(r.services.map((s) => s.environment)).toEqual(['production', 'production']);
  });

  it('marks a service impacted only through a stale CI as low-confidence and names that CI, but not one with a fresh path', async () => {
    const r = await down('stF');
    const stale = r.services.find((s) => s.id === id.stSvcStale)!;
    const fresh = r.services.find((s) => s.id === id.stSvcFresh)!;
    expect(stale).toMatchObject({ state: 'DOWN', lowConfidence: true, staleVia: [id.stT] });
    expect(fresh).toMatchObject({ state: 'DOWN', lowConfidence: false, staleVia: [] });
  });
});

describe('errors', () => {
  it('reports an unknown CI as NOT_FOUND naming the failed argument', async () => {
    const missing = `ci_${key}_missing`;
    const r = await app.gql(`query ($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { services { id } } }`, { f: [{ id: missing }] });
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'failed' });
    expect(r.errors?.[0]?.message).toContain(missing);
  });

  it('refuses an empty list of failed CIs and a maxPaths out of range, naming the argument', async () => {
    const empty = await app.gql(`{ impactAnalysis(failed: []) { services { id } } }`);
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'failed' });
    const many = await app.gql(`query ($id: ID!) { impactAnalysis(failed: [{ id: $id }], maxPaths: 11) { services { id } } }`, { id: id.db1 });
    expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'maxPaths' });
  });
});

interface Incident {
  id: string;
  number: string;
  title: string;
  severity: string;
  status: string;
  openedBy: string;
  problemId: string | null;
  affected: { ci: { id: string } | null; state: string }[];
  impact: ImpactReport | null;
  impactComputedAt: string | null;
}
const INCIDENT = `id number title severity status openedBy problemId affected { ci { id } state } impactComputedAt impact { ${IMPACT_REPORT} }`;

async function openIncident(title: string, failed: { id: string; state?: string }[], severity = 'SEV2'): Promise<Incident> {
  return mutateOk<Incident>(app, 'oncall-ann', 'openIncident', 'input: $input', INCIDENT, { input: { title, severity, failed } }, '$input: OpenIncidentInput!');
}

describe('incidents', () => {
  let inc: Incident;

  it('opens an incident on a failed database with the services it takes down and their paths', async () => {
    inc = await openIncident(n('billing database down'), [{ id: id.incDb! }]);
    expect(inc).toMatchObject({ title: n('billing database down'), severity: 'SEV2', status: 'OPEN', openedBy: 'oncall-ann', problemId: null });
    expect(inc.number).toMatch(/^INC-\d+$/);
    expect(inc.affected).toEqual([{ ci: { id: id.incDb }, state: 'DOWN' }]);
    expect(inc.impactComputedAt).not.toBeNull();
    expect(inc.impact!.services.map((s) => [refOf(s.id), s.state, s.distance])).toEqual([
      ['incBiz', 'DOWN', 2],
      ['incApp', 'DOWN', 1],
    ]);
    expect(inc.impact!.services.map((s) => s.paths.map(pathRefs))).toEqual([[['incBiz', 'incApp', 'incDb']], [['incApp', 'incDb']]]);
    expect(inc.impact!.teams).toEqual([{ team: n('billing-team'), serviceIds: [id.incBiz, id.incApp], otherCiIds: [] }]);
  });

  it('lists the incident among the open ones', async () => {
    const r = await app.data<{ incidents: { id: string; status: string }[] }>(`{ incidents(statuses: [OPEN]) { id status } }`);
    expect(r.incidents).toContainEqual({ id: inc.id, status: 'OPEN' });
  });

  it('keeps the stored impact until refreshed, then lists a service that started depending on the database since', async () => {
    const added = await upsert(app, {
      source: n('estate'),
      items: [{ ref: 'incNew', className: 'ApplicationService', name: n('billing-reports') }],
      relationships: [{ type: 'DEPENDS_ON', from: { ref: 'incNew' }, to: { id: id.incDb } }],
    });
    id = { ...id, ...idsByRef(added) };
    const stored = await app.data<{ incident: Incident }>(`query ($id: ID!) { incident(id: $id) { ${INCIDENT} } }`, { id: inc.id });
    expect(stored.incident.impact!.services.map((s) => s.id)).not.toContain(id.incNew);
    const refreshed = await mutateOk<Incident>(app, 'oncall-ann', 'refreshIncidentImpact', 'id: $id', INCIDENT, { id: inc.id }, '$id: ID!');
    expect(refreshed.impact!.services.map((s) => refOf(s.id))).toEqual(['incBiz', 'incApp', 'incNew']);
    expect(refreshed.impact!.services.find((s) => s.id === id.incNew)!.paths.map(pathRefs)).toEqual([['incNew', 'incDb']]);
  });

  it('resolves then closes the incident, and refuses to close it twice, naming status', async () => {
    const resolved = await mutateOk<Incident>(app, 'oncall-ann', 'resolveIncident', 'id: $id', 'id status', { id: inc.id }, '$id: ID!');
    expect(resolved.status).toBe('RESOLVED');
    const closed = await mutateOk<Incident>(app, 'oncall-ann', 'closeIncident', 'id: $id', 'id status', { id: inc.id }, '$id: ID!');
    expect(closed.status).toBe('CLOSED');
    const again = await mutate<Incident>(app, 'oncall-ann', 'closeIncident', 'id: $id', 'id status', { id: inc.id }, '$id: ID!');
    expect(again).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'status' });
    expect(again.message).toMatch(/CLOSED/);
    const open = await app.data<{ incidents: { id: string }[] }>(`{ incidents(statuses: [OPEN]) { id } }`);
    expect(open.incidents.map((i) => i.id)).not.toContain(inc.id);
  });

  it('refuses to open an incident on an unknown CI, naming it', async () => {
    const missing = `ci_${key}_nowhere`;
    const r = await mutate<Incident>(app, 'oncall-ann', 'openIncident', 'input: $input', 'id', { input: { title: n('ghost'), severity: 'SEV3', failed: [{ id: missing }] } }, '$input: OpenIncidentInput!');
    expect(r).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'failed', id: missing });
  });
});

describe('problems and root cause', () => {
  it('ranks the database three failing applications share first, explaining all of their incidents, and groups them under a problem', async () => {
    const incs: Incident[] = [];
    for (const i of [1, 2, 3]) incs.push(await openIncident(n(`shared-user-${i} errors`), [{ id: id[`rcApp${i}`]! }], 'SEV3'));
    const ids = incs.map((i) => i.id);
    const r = await app.data<{ rootCauseSuggestions: { ciId: string; name: string; explainedShare: number; explainsIncidentIds: string[]; impactedCount: number; distance: number }[] }>(
      `query ($ids: [ID!]) { rootCauseSuggestions(incidentIds: $ids) { ciId name explainedShare explainsIncidentIds impactedCount distance } }`,
      { ids },
    );
    const [first, ...rest] = r.rootCauseSuggestions;
    expect(first).toMatchObject({ ciId: id.rcDb, name: n('shared-db'), explainedShare: 1, impactedCount: 3, distance: 1 });
    expect([...first!.explainsIncidentIds].sort()).toEqual([...ids].sort());
    // The VM under it explains as much but is further from the symptoms; each application explains only its own.
    expect(rest.map((c) => refOf(c.ciId))).toContain('rcVm');
    const apps = rest.filter((c) => refOf(c.ciId).startsWith('rcApp'));
    expect(apps).toHaveLength(3);
    for (const c of apps) expect(c.explainedShare).toBeCloseTo(1 / 3);

    const problem = await mutateOk<{ id: string; number: string; title: string; status: string; incidents: { id: string; problemId: string }[]; rootCauses: { ciId: string }[] }>(
      app,
      'problem-manager',
      'createProblem',
      'title: $title, incidentIds: $ids',
      'id number title status incidents { id problemId } rootCauses { ciId }',
      { title: n('shared database outage'), ids },
      '$title: String!, $ids: [ID!]!',
    );
    expect(problem).toMatchObject({ title: n('shared database outage'), status: 'OPEN' });
    expect(problem.number).toMatch(/^PRB-\d+$/);
    expect(problem.incidents.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(problem.incidents.every((i) => i.problemId === problem.id)).toBe(true);
    expect(problem.rootCauses[0]!.ciId).toBe(id.rcDb);
  });

  it('refuses a problem naming an unknown incident, naming incidentIds', async () => {
    const r = await mutate(app, 'problem-manager', 'createProblem', 'title: $title, incidentIds: $ids', 'id', { title: n('nothing'), ids: [`inc_${key}_missing`] }, '$title: String!, $ids: [ID!]!');
    expect(r).toMatchObject({ __typename: 'NotFoundError', field: 'incidentIds', id: `inc_${key}_missing` });
  });
});

// Ripple's Neo4j plugin (server/neo4j/plugin) walks the graph inside Neo4j; without it Ripple runs plain Cypher.
// Both must hand propagation the same subgraph, or the answer would depend on how Neo4j was deployed.
describe("Ripple's Neo4j plugin", () => {
  const sortGraph = (g: ImpactGraph) => ({
    nodes: [...g.nodes].sort((a, b) => compareStrings(a.id, b.id)),
    edges: [...g.edges].sort((a, b) => compareStrings(`${a.from} ${a.to} ${a.type}`, `${b.from} ${b.to} ${b.type}`)),
  });
  let extra: Record<string, string>;

  beforeAll(async () => {
    // Shapes the estate above lacks: a retired member, an absent relationship, a CI owned by two teams, a cycle.
    extra = idsByRef(
      await upsert(app, {
        source: n('plugin'),
        teams: [{ name: n('team-a') }, { name: n('team-b') }],
        items: [
          { ref: 'grp', className: 'Cluster', name: n('plugin-cluster'), attributes: { clusterType: 'server-pool', redundancy: 'atLeast:1' }, owner: n('team-a') },
          { ref: 'm1', className: 'Application', name: n('plugin-member-1') },
          { ref: 'm2', className: 'Application', name: n('plugin-member-2') },
          { ref: 'svc', className: 'ApplicationService', name: n('plugin-svc'), criticality: 1, environment: 'PRODUCTION', owner: n('team-a') },
          { ref: 'loopA', className: 'ApplicationService', name: n('plugin-loop-a') },
          { ref: 'loopB', className: 'ApplicationService', name: n('plugin-loop-b') },
        ],
        relationships: [
          { type: 'HAS_MEMBER', from: { ref: 'grp' }, to: { ref: 'm1' } },
          { type: 'HAS_MEMBER', from: { ref: 'grp' }, to: { ref: 'm2' } },
          { type: 'DEPENDS_ON', from: { ref: 'svc' }, to: { ref: 'grp' } },
          { type: 'DEPENDS_ON', from: { ref: 'loopA' }, to: { ref: 'svc' } },
          { type: 'DEPENDS_ON', from: { ref: 'loopB' }, to: { ref: 'loopA' } },
          { type: 'DEPENDS_ON', from: { ref: 'loopA' }, to: { ref: 'loopB' } },
        ],
      }),
    );
    await app.db.write(async (tx) => {
      await tx.run(`MATCH (m:CI {id: $id}) SET m.lifecycle = 'retired'`, { id: extra.m2 });
      await tx.run(`MATCH (:CI {id: $a})-[r:DEPENDS_ON]->(:CI {id: $b}) SET r.absent = true`, { a: extra.loopA, b: extra.svc });
      await tx.run(`MATCH (c:CI {id: $id}), (t:Team {name: $team}) MERGE (c)-[:OWNED_BY]->(t)`, { id: extra.svc, team: n('team-b') });
    });
  });

  it('is installed in the local Neo4j', () => {
    expect([...app.db.procedures].sort()).toEqual(['ripple.reach', 'ripple.reachIds']);
  });

  it('returns the same upstream and downstream subgraphs and ids as plain Cypher, from every CI of these estates', async () => {
    const model = loadClassModel();
    const plain = app.db.withProcedures(new Set());
    const starts = [...Object.values(id), ...Object.values(extra)].map((x) => [x]);
    starts.push([id.db1!, id.db2!], [extra.m1!, extra.loopB!]);
    let upstreamNodes = 0;
    for (const ids of starts) {
      const [withPlugin, withCypher] = await Promise.all(
        [app.db, plain].map((db) =>
          db.read(async (tx) => ({
            up: sortGraph(await upstreamOf(tx, model, ids, MAX_IMPACT_DEPTH)),
            down: sortGraph(await downstreamOf(tx, model, ids, MAX_IMPACT_DEPTH)),
            ids: [...(await upstreamIds(tx, model, ids, MAX_IMPACT_DEPTH))].sort(),
          })),
        ),
      );
      expect(withPlugin, `from ${ids.map(refOf).join(', ')}`).toEqual(withCypher);
      upstreamNodes += withPlugin!.up.nodes.length;
    }
    // Not a comparison of two empty answers: the walks reached the estates' CIs, and the awkward shapes show.
    expect(upstreamNodes).toBeGreaterThan(starts.length * 2);
    const fromMember = await app.db.read((tx) => upstreamOf(tx, model, [extra.m1!], MAX_IMPACT_DEPTH));
    expect(fromMember.nodes.map((x) => x.id).sort()).toEqual([extra.m1, extra.grp, extra.svc, extra.loopA, extra.loopB].sort());
    expect(fromMember.nodes.find((x) => x.id === extra.svc)?.ownerTeams?.sort()).toEqual([n('team-a'), n('team-b')]);
    expect(fromMember.edges).toContainEqual({ from: extra.loopA, to: extra.svc, type: 'DEPENDS_ON', absent: true });
    // The retired member is not a member any more.
    expect(fromMember.edges.filter((e) => e.type === 'HAS_MEMBER').map((e) => e.to)).toEqual([extra.m1]);
  });

  it('answers the same impact report through the API as plain Cypher would', async () => {
    const model = loadClassModel();
    const failed = [{ id: id.db1!, state: 'DOWN' as const }, { id: id.db2!, state: 'DOWN' as const }];
    const viaCypher = propagateImpact(await app.db.withProcedures(new Set()).read((tx) => upstreamOf(tx, model, [id.db1!, id.db2!], MAX_IMPACT_DEPTH)), failed, { maxPaths: 3 });
    const viaApi = await impact(failed);
    expect(viaApi.services.map((s) => [s.id, s.state, s.distance])).toEqual(viaCypher.services.map((s) => [s.id, s.state, s.distance]));
    expect(viaApi.services.length).toBeGreaterThan(0);
  });
});
