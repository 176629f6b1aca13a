// Owners to notify and change risk on an estate modelled the way Kubernetes and discovery tools see it:
// Microservice, Database, LoadBalancer and KubernetesWorkload CIs with owning teams, and no service class above
// them. Every impacted CI has to count: its owners hear of it and its criticality and environment weigh the risk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsByRef, upsert } from './helpers/ci-fixtures';
import { closeTagged, mutateOk, windows, type RiskFactor } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let id: Record<string, string> = {};
const n = (s: string) => `${app.key}-${s}`;
const week = windows();

interface Owner {
  team: string;
  serviceIds: string[];
  otherCiIds: string[];
  contact: { email: string | null; onCall: string | null } | null;
}
interface Assessed {
  currentAssessment: {
    impactedCount: number;
    services: { id: string }[];
    ownersToNotify: Owner[];
    risk: { score: number; level: string; factors: RiskFactor[] };
  };
}
const ASSESSED = `currentAssessment { impactedCount services { id }
  ownersToNotify { team serviceIds otherCiIds contact { email onCall } }
  risk { score level factors { name points weight detail } } }`;

/** Drafts a normal change on one CI inside the maintenance window and returns its current assessment. */
async function assess(title: string, target: string, i: number): Promise<Assessed['currentAssessment']> {
  const input = { title: n(title), type: 'NORMAL', targetIds: [id[target]!], ...week(i) };
  const c = await mutateOk<Assessed>(app, 'alice', 'createChange', 'input: $input', ASSESSED, { input }, '$input: CreateChangeInput!');
  return c.currentAssessment;
}
const points = (a: Assessed['currentAssessment'], name: string) => a.risk.factors.find((f) => f.name === name)!.points;
const detail = (a: Assessed['currentAssessment'], name: string) => a.risk.factors.find((f) => f.name === name)!.detail;

beforeAll(async () => {
  app = await startTestRipple();
  const prod = { environment: 'PRODUCTION' };
  const estate = await upsert(app, {
    source: n('k8s'),
    teams: [
      { name: n('edge-team'), email: 'edge@example.com', onCall: 'pager-edge' },
      { name: n('orders-team'), email: 'orders@example.com' },
      { name: n('search-team') },
      { name: n('docs-team') },
      { name: n('platform-team') },
    ],
    items: [
      { ref: 'k8s', className: 'KubernetesCluster', name: n('prod-cluster'), attributes: { clusterName: n('prod-cluster') }, owner: n('platform-team') },
      { ref: 'wl', className: 'KubernetesWorkload', name: n('orders-deploy'), criticality: 2, ...prod, owner: n('platform-team'), attributes: { namespace: 'shop', workloadName: n('orders'), kind: 'Deployment' } },
      { ref: 'orders', className: 'Microservice', name: n('orders'), criticality: 2, ...prod, owner: n('orders-team') },
      { ref: 'gateway', className: 'LoadBalancer', name: n('gateway'), criticality: 1, ...prod, owner: n('edge-team'), attributes: { hostname: n('gw.example.com') } },
      { ref: 'search', className: 'Microservice', name: n('search'), criticality: 3, ...prod, owner: n('search-team') },
      { ref: 'vm', className: 'VirtualMachine', name: n('db-vm'), attributes: { vmUuid: n('db-vm-uuid') } },
      { ref: 'ordersDb', className: 'Database', name: n('orders-db'), criticality: 2, ...prod, owner: n('orders-team'), attributes: { databaseName: 'orders', engine: 'postgresql' } },
      { ref: 'wikiDb', className: 'Database', name: n('wiki-db'), criticality: 4, environment: 'STAGING', owner: n('docs-team'), attributes: { databaseName: 'wiki', engine: 'postgresql' } },
      { ref: 'wiki', className: 'Microservice', name: n('wiki'), criticality: 4, environment: 'STAGING', owner: n('docs-team') },
    ],
    relationships: [
      { type: 'RUNS_ON', from: { ref: 'wl' }, to: { ref: 'k8s' } },
      { type: 'RUNS_ON', from: { ref: 'orders' }, to: { ref: 'wl' } },
      { type: 'DEPENDS_ON', from: { ref: 'orders' }, to: { ref: 'ordersDb' } },
      { type: 'HAS_MEMBER', from: { ref: 'gateway' }, to: { ref: 'orders' } },
      { type: 'DEPENDS_ON', from: { ref: 'search' }, to: { ref: 'orders' } },
      { type: 'RUNS_ON', from: { ref: 'ordersDb' }, to: { ref: 'vm' } },
      { type: 'RUNS_ON', from: { ref: 'wikiDb' }, to: { ref: 'vm' } },
      { type: 'DEPENDS_ON', from: { ref: 'wiki' }, to: { ref: 'wikiDb' } },
    ],
  });
  id = idsByRef(estate);
});

afterAll(() => closeTagged(app));

describe('a change to the orders database of an estate with no service classes', () => {
  let a: Assessed['currentAssessment'];
  beforeAll(async () => {
    a = await assess('migrate orders-db', 'ordersDb', 0);
  });

  it('finds no service but four impacted CIs', () => {
    expect(a.services).toEqual([]);
    expect(a.impactedCount).toBe(4);
  });

  it('notifies every team owning an impacted CI, the owner of the criticality-1 gateway first, with contacts', () => {
    expect(a.ownersToNotify).toEqual([
      { team: n('edge-team'), serviceIds: [], otherCiIds: [id.gateway], contact: { email: 'edge@example.com', onCall: 'pager-edge' } },
      // The target's own team hears of the target and of the microservice on it.
      { team: n('orders-team'), serviceIds: [], otherCiIds: [id.ordersDb, id.orders], contact: { email: 'orders@example.com', onCall: null } },
      { team: n('search-team'), serviceIds: [], otherCiIds: [id.search], contact: { email: null, onCall: null } },
    ]);
  });

  it('scores the criticality of the gateway it takes down, and names it rather than its id', () => {
    expect(points(a, 'Impacted criticality')).toBe(15);
    expect(detail(a, 'Impacted criticality')).toContain(`${n('gateway')} (LoadBalancer, criticality 1, DOWN`);
    expect(points(a, 'Production impact')).toBeGreaterThan(0);
    expect(detail(a, 'Production impact')).toContain('4 production CIs impacted');
    const texts = a.risk.factors.map((f) => f.detail).join(' ');
    for (const ciId of Object.values(id)) expect(texts).not.toContain(ciId);
  });
});

describe('risk that grows with the number and criticality of impacted CIs', () => {
  it('rates staging below a criticality-3 microservice, below the orders database, below the host under both databases', async () => {
    const wikiDb = await assess('upgrade wiki-db', 'wikiDb', 1);
    const search = await assess('restart search', 'search', 2);
    const ordersDb = await assess('migrate orders-db again', 'ordersDb', 3);
    const vm = await assess('patch db-vm', 'vm', 4);
    const scores = [wikiDb, search, ordersDb, vm].map((x) => x.risk.score);
    expect([...scores].sort((x, y) => x - y)).toEqual(scores);
    expect(new Set(scores).size).toBe(4);
    // Criticality: the worst impacted CI decides.
    expect(points(wikiDb, 'Impacted criticality')).toBeLessThan(points(search, 'Impacted criticality'));
    expect(points(search, 'Impacted criticality')).toBeLessThan(points(ordersDb, 'Impacted criticality'));
    // Number: the host takes down everything the orders database does, and more.
    expect(vm.impactedCount).toBeGreaterThan(ordersDb.impactedCount);
    expect(points(vm, 'Production impact')).toBeGreaterThan(points(ordersDb, 'Production impact'));
    expect(vm.ownersToNotify.map((o) => o.team)).toEqual([n('edge-team'), n('orders-team'), n('search-team'), n('docs-team')]);
  });
});

describe('impact analysis for a responder on the same estate', () => {
  it('names the owning teams of the impacted CIs', async () => {
    const r = await app.data<{ impactAnalysis: { teams: { team: string; otherCiIds: string[] }[] } }>(
      'query ($failed: [FailedCiInput!]!) { impactAnalysis(failed: $failed) { teams { team otherCiIds } } }',
      { failed: [{ id: id.wl }] },
    );
    expect(r.impactAnalysis.teams).toEqual([
      { team: n('edge-team'), otherCiIds: [id.gateway] },
      // The failed workload (criticality 2, distance 0) before the microservice on it (criticality 2, distance 1).
      { team: n('platform-team'), otherCiIds: [id.wl] },
      { team: n('orders-team'), otherCiIds: [id.orders] },
      { team: n('search-team'), otherCiIds: [id.search] },
    ]);
  });
});

describe('paging a large report', () => {
  interface Page {
    nodes: { id: string; state: string; criticality: number }[];
    totalCount: number;
    totalsByState: { state: string; count: number }[];
    totalsByClass: { className: string; count: number }[];
    endCursor: string | null;
    hasNextPage: boolean;
  }
  const PAGE = 'nodes { id state criticality } totalCount totalsByState { state count } totalsByClass { className count } endCursor hasNextPage';
  const impactedPage = (args: string) =>
    app.gql<{ impactAnalysis: { impactedPage: Page } }>(
      `query ($failed: [FailedCiInput!]!) { impactAnalysis(failed: $failed) { impactedPage(${args}) { ${PAGE} } } }`,
      { failed: [{ id: id.vm }] },
    );

  it('gives the most important impacted CIs first, a page at a time, with totals over the whole report', async () => {
    const first = (await impactedPage('first: 3')).data!.impactAnalysis.impactedPage;
    expect(first.nodes.map((x) => x.id)).toEqual([id.gateway, id.ordersDb, id.orders]);
    expect(first.totalCount).toBe(7);
    expect(first.totalsByState).toEqual([{ state: 'DOWN', count: 7 }]);
    expect(first.totalsByClass).toEqual([
      { className: 'Microservice', count: 3 },
      { className: 'Database', count: 2 },
      { className: 'LoadBalancer', count: 1 },
      { className: 'VirtualMachine', count: 1 },
    ]);
    expect(first.hasNextPage).toBe(true);
    const r = await app.gql<{ impactAnalysis: { impactedPage: Page } }>(
      `query ($failed: [FailedCiInput!]!, $after: String) { impactAnalysis(failed: $failed) { impactedPage(first: 10, after: $after) { ${PAGE} } } }`,
      { failed: [{ id: id.vm }], after: first.endCursor },
    );
    const rest = r.data!.impactAnalysis.impactedPage;
    expect(rest.nodes.map((x) => x.id)).toEqual([id.search, id.vm, id.wikiDb, id.wiki]);
    expect(rest.hasNextPage).toBe(false);
  });

  it('names the field for a page size out of bounds or a cursor it did not give', async () => {
    for (const [args, field] of [['first: 0', 'first'], ['first: 501', 'first'], ['after: "bm9wZQ"', 'after']] as const) {
      const r = await impactedPage(args);
      expect(r.errors?.[0]?.extensions, args).toMatchObject({ code: 'VALIDATION', field });
    }
  });
});
