// The three walks impact can take must give one answer: Ripple's Neo4j plugin, plain Cypher, and each process's
// in-memory read model, at every depth up to the limit; the read model after any sequence of writes, and in a
// second Ripple process that learns of a write only through the store's change log.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { propagateImpact, type ImpactGraph, type ImpactReport } from '../server/domain/impact';
import { compareStrings } from '../server/domain/impact/graph-index';
import { upstreamIds, upstreamOf } from '../server/neo4j/repositories/impact-repository';
import { MAX_IMPACT_DEPTH } from '../server/services/impact';
import { ImpactReadModelService } from '../server/services/impact-read-model';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { deleteItsmTagged, windows } from './helpers/impact-fixtures';
import { spawnRipple, type RunningRipple } from './helpers/process';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
useTestRipple((started) => {
  app = started;
  key = started.key;
}, deleteTagged);

const n = (s: string) => `${key}-${s}`;
const model = loadClassModel();
const LONG = MAX_IMPACT_DEPTH + 3;
const POOL = 8;

/** A graph in a canonical order, owners included, so two walks compare field by field. */
const canonical = (g: ImpactGraph) => ({
  nodes: [...g.nodes].map((x) => ({ ...x, ownerTeams: [...(x.ownerTeams ?? [])].sort() })).sort((a, b) => compareStrings(a.id, b.id)),
  edges: [...g.edges].sort((a, b) => compareStrings(`${a.from} ${a.to} ${a.type}`, `${b.from} ${b.to} ${b.type}`)),
});

/** What a user reads off an impact report: who is impacted, how badly, how far, and who to call. */
const seen = (r: ImpactReport) => ({
  impacted: r.impacted.map((c) => [c.id, c.state, c.distance, c.lowConfidence]),
  services: r.services.map((c) => c.id),
  teams: r.teams.map((t) => [t.team, t.services, t.cis]),
  groups: r.groups.map((g) => [g.id, g.total, g.lost, g.holds]),
});

async function cypherReport(failed: string[]): Promise<ImpactReport> {
  const graph = await app.db.withProcedures(new Set()).read((tx) => upstreamOf(tx, model, failed, MAX_IMPACT_DEPTH));
  return propagateImpact(graph, failed.map((f) => ({ id: f, state: 'DOWN' as const })), { maxPaths: 3 });
}

const REPORT = `impacted { id state distance lowConfidence } services { id } teams { team serviceIds otherCiIds } groups { id total lost holds }`;
interface ApiReport {
  impacted: { id: string; state: string; distance: number; lowConfidence: boolean }[];
  services: { id: string }[];
  teams: { team: string; serviceIds: string[]; otherCiIds: string[] }[];
  groups: { id: string; total: number; lost: number; holds: boolean }[];
}
const apiSeen = (r: ApiReport) => ({
  impacted: r.impacted.map((c) => [c.id, c.state, c.distance, c.lowConfidence]),
  services: r.services.map((c) => c.id),
  teams: r.teams.map((t) => [t.team, t.serviceIds, t.otherCiIds]),
  groups: r.groups.map((g) => [g.id, g.total, g.lost, g.holds]),
});

async function impactAt(url: string, failed: string[]): Promise<ApiReport> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `query ($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { ${REPORT} } }`, variables: { f: failed.map((x) => ({ id: x })) } }),
  });
  const body = (await res.json()) as { data?: { impactAnalysis: ApiReport }; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data.impactAnalysis;
}

beforeAll(async () => {
  // As Kubernetes discovery sees an estate: microservices with owners, a database cluster, no service classes;
  // plus the shapes walks disagree on if any does: a retired member, an absent relationship, a cycle, and a
  // chain longer than the depth limit.
  const items = [
    { ref: 'gw', className: 'Microservice', name: n('gateway'), criticality: 1, environment: 'PRODUCTION', owner: n('edge-team') },
    ...Array.from({ length: POOL }, (_, i) => ({ ref: `ms${i}`, className: 'Microservice', name: n(`svc-${i}`), criticality: 1 + (i % 4), owner: n(i % 2 ? 'orders-team' : 'payments-team') })),
    { ref: 'cl', className: 'Cluster', name: n('pg-cluster'), attributes: { clusterType: 'database', redundancy: 'atLeast:2' }, owner: n('dba-team') },
    ...[1, 2, 3].map((i) => ({ ref: `db${i}`, className: 'Database', name: n(`pg-${i}`), attributes: { databaseName: 'orders', endpoint: `${key}-pg-${i}.internal:5432` } })),
    ...Array.from({ length: LONG }, (_, i) => ({ ref: `c${i}`, className: 'Microservice', name: n(`chain-${i}`) })),
  ];
  const rel = (type: string, from: string, to: string) => ({ type, from: { ref: from }, to: { ref: to } });
  const relationships = [
    rel('DEPENDS_ON', 'gw', 'ms0'),
    rel('DEPENDS_ON', 'gw', 'ms1'),
    rel('DEPENDS_ON', 'ms0', 'cl'),
    rel('DEPENDS_ON', 'ms1', 'ms2'),
    rel('DEPENDS_ON', 'ms2', 'ms1'),
    rel('DEPENDS_ON', 'ms2', 'cl'),
    ...[1, 2, 3].map((i) => rel('HAS_MEMBER', 'cl', `db${i}`)),
    rel('DEPENDS_ON', 'c0', 'db1'),
    ...Array.from({ length: LONG - 1 }, (_, i) => rel('DEPENDS_ON', `c${i + 1}`, `c${i}`)),
  ];
  const teams = ['edge-team', 'orders-team', 'payments-team', 'dba-team'].map((t) => ({ name: n(t) }));
  id = idsByRef(await upsert(app, { source: n('k8s'), teams, items, relationships }));
  await app.data(`mutation ($id: ID!) { retireCi(id: $id) { __typename } }`, { id: id.db3 });
  await app.db.write((tx) => tx.run(`MATCH (:CI {id: $a})-[r:DEPENDS_ON]->(:CI {id: $b}) SET r.absent = true`, { a: id.ms2, b: id.ms1 }));
});

describe('the plugin, plain Cypher and the read model', () => {
  const starts = () => [[id.db1!], [id.cl!], [id.ms1!], [id.c0!], [id.db1!, id.db2!], [id[`c${LONG - 1}`]!]];

  for (const depth of [0, 1, 2, MAX_IMPACT_DEPTH]) {
    it(`reach the same upstream subgraph and ids at depth ${depth === MAX_IMPACT_DEPTH ? `${depth} (the limit)` : depth}`, async () => {
      const readModel = new ImpactReadModelService(app.db, model);
      const plain = app.db.withProcedures(new Set());
      expect([...app.db.procedures].sort()).toEqual(['ripple.reach', 'ripple.reachIds']);
      let reached = 0;
      for (const ids of starts()) {
        const [plugin, cypher] = await Promise.all(
          [app.db, plain].map((db) => db.read(async (tx) => ({ graph: canonical(await upstreamOf(tx, model, ids, depth)), ids: [...(await upstreamIds(tx, model, ids, depth))].sort() }))),
        );
        const memory = { graph: canonical(await readModel.upstream(ids, depth)), ids: [...(await readModel.upstreamIds(ids, depth))].sort() };
        expect(plugin, `plugin from ${ids.join(', ')}`).toEqual(cypher);
        expect(memory, `read model from ${ids.join(', ')}`).toEqual(cypher);
        // Propagated over the model's numeric ids, as requests are: the same report as over the Cypher subgraph.
        const failed = ids.map((x) => ({ id: x, state: 'DOWN' as const }));
        const numeric = (await readModel.upToDate()).reach(ids, depth).propagate(failed, { maxPaths: 3 });
        const viaCypher = await plain.read((tx) => upstreamOf(tx, model, ids, depth));
        expect(JSON.parse(JSON.stringify(numeric)), `numeric propagation from ${ids.join(', ')}`).toEqual(JSON.parse(JSON.stringify(propagateImpact(viaCypher, failed, { maxPaths: 3 }))));
        reached += cypher!.graph.nodes.length;
      }
      // Not two empty answers agreeing: each start reached 1 + depth CIs at least along the chain.
      expect(reached).toBeGreaterThanOrEqual(starts().length * Math.min(depth + 1, 2));
    });
  }

  it('stop at the limit on a chain longer than it, and all three say the same about where', async () => {
    const readModel = new ImpactReadModelService(app.db, model);
    const reached = await readModel.upstreamIds([id.db1!], MAX_IMPACT_DEPTH);
    // db1 -> c0 -> ... : c0 is one hop up, so the limit reaches c(limit - 1) and not c(limit).
    expect(reached.has(id[`c${MAX_IMPACT_DEPTH - 1}`]!)).toBe(true);
    expect(reached.has(id[`c${MAX_IMPACT_DEPTH}`]!)).toBe(false);
    const viaApi = await impactAt(app.url, [id.db1!]);
    expect(viaApi.impacted.map((c) => c.id)).not.toContain(id[`c${MAX_IMPACT_DEPTH}`]);
    expect(apiSeen(viaApi)).toEqual(seen(await cypherReport([id.db1!])));
  });
});

describe('the read model after writes through the API', () => {
  const relate = (op: 'relateCis' | 'unrelateCis', from: string, to: string) =>
    app.data(`mutation ($i: RelateCisInput!) { ${op}(input: $i) { __typename } }`, { i: { fromId: from, toId: to, type: 'DEPENDS_ON' } });
  const update = (ciId: string, patch: Record<string, unknown>) => app.data(`mutation ($i: UpdateCiInput!) { updateCi(input: $i) { __typename } }`, { i: { id: ciId, ...patch } });

  it('equals the Cypher walk after each of a random sequence of writes (fast-check)', async () => {
    const pool = () => Array.from({ length: POOL }, (_, i) => id[`ms${i}`]!);
    const target = fc.oneof(fc.nat(POOL - 1).map((i) => `ms${i}`), fc.constantFrom('cl', 'db1', 'db2', 'gw'));
    const write = fc.oneof(
      fc.record({ kind: fc.constant('relate' as const), from: fc.nat(POOL - 1), to: target }),
      fc.record({ kind: fc.constant('unrelate' as const), from: fc.nat(POOL - 1), to: target }),
      fc.record({ kind: fc.constant('criticality' as const), ci: fc.nat(POOL - 1), value: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('lifecycle' as const), ci: fc.nat(POOL - 1), value: fc.constantFrom('RETIRED', 'OPERATIONAL', 'MAINTENANCE') }),
      fc.record({ kind: fc.constant('create' as const), to: target, name: fc.stringMatching(/^[a-z]{3,8}$/) }),
    );
    let created = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 4 }), fc.subarray([...pool(), id.db1!, id.cl!], { minLength: 1, maxLength: 2 }), async (writes, failed) => {
        for (const w of writes) {
          if (w.kind === 'relate' || w.kind === 'unrelate') {
            if (`ms${w.from}` !== w.to) await relate(w.kind === 'relate' ? 'relateCis' : 'unrelateCis', id[`ms${w.from}`]!, id[w.to]!);
          } else if (w.kind === 'criticality') await update(id[`ms${w.ci}`]!, { criticality: w.value });
          else if (w.kind === 'lifecycle') await update(id[`ms${w.ci}`]!, { lifecycle: w.value });
          else {
            created += 1;
            await upsert(app, { source: n('k8s'), items: [{ ref: 'x', className: 'Microservice', name: n(`new-${created}-${w.name}`), owner: n('orders-team') }], relationships: [{ type: 'DEPENDS_ON', from: { ref: 'x' }, to: { id: id[w.to] } }] });
          }
        }
        expect(apiSeen(await impactAt(app.url, failed))).toEqual(seen(await cypherReport(failed)));
      }),
      { numRuns: 25 },
    );
  });
});

describe('the read model in a request', () => {
  it('counts its version check, and after a write its catch-up, among the request\'s Cypher queries', async () => {
    const q = `query ($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { impacted { id } } }`;
    const ask = async () => (await app.gql(q, { f: [{ id: id.db1 }] })).extensions?.cypherQueries;
    await ask();
    // Nothing written since: one statement reads the store version and counts, and the report is remembered.
    expect(await ask()).toBe(1);
    await app.data(`mutation ($i: UpdateCiInput!) { updateCi(input: $i) { __typename } }`, { i: { id: id.ms0, description: 'counted' } });
    // The version check, the change log since the model's version, and the touched CI's row.
    expect(await ask()).toBe(3);
  });

  it('checks the store version once per change assessment, however many changes overlap its window', async () => {
    const week = windows();
    const create = async (title: string) =>
      (
        await app.data<{ createChange: { data: { id: string } } }>(
          `mutation ($i: CreateChangeInput!) { createChange(input: $i) { ... on MutationCreateChangeSuccess { data { id } } } }`,
          { i: { title: n(title), type: 'NORMAL', targetIds: [id.db1], ...week(0) } },
        )
      ).createChange.data.id;
    const assessed = async (changeId: string) => {
      const r = await app.gql(`query ($id: ID!) { change(id: $id) { currentAssessment { conflicts { changeId } } } }`, { id: changeId });
      return { queries: r.extensions?.cypherQueries, conflicts: (r.data as { change: { currentAssessment: { conflicts: unknown[] } } }).change.currentAssessment.conflicts.length };
    };
    try {
      const alone = await create('db1 patch');
      await assessed(alone);
      const before = await assessed(alone);
      for (const t of ['db1 upgrade', 'db1 failover test', 'db1 reindex']) await create(t);
      await assessed(alone);
      // Three more changes in the window, each sharing the blast radius: their reach and impact come from the same
      // checked model, and only the statement that lists overlapping changes returns more rows.
      expect(await assessed(alone)).toEqual({ queries: before.queries, conflicts: 3 });
    } finally {
      await deleteItsmTagged(app);
    }
  });
});

describe('two Ripple processes against one Neo4j', () => {
  let other: RunningRipple | undefined;
  let otherUrl: string;

  beforeAll(async () => {
    const neo = inject('neo4j');
    other = spawnRipple({
      ...process.env,
      PORT: '0',
      NEO4J_URI: neo.uri,
      NEO4J_USERNAME: neo.username,
      NEO4J_PASSWORD: neo.password,
      NEO4J_DATABASE: neo.database,
      RIPPLE_SEED: 'never',
      LOG_LEVEL: 'warn',
    });
    otherUrl = await other.ready;
  }, 120_000);

  afterAll(async () => {
    if (!other) return;
    other.child.kill('SIGTERM');
    await other.exited;
  });

  it('a relationship added through one changes the impact the other computes on its very next request', async () => {
    const before = await impactAt(otherUrl, [id.db2!]);
    const newcomer = idsByRef(await upsert(app, { source: n('k8s'), items: [{ ref: 'x', className: 'Microservice', name: n('reporting'), owner: n('orders-team') }], relationships: [] })).x!;
    expect(before.impacted.map((c) => c.id)).not.toContain(newcomer);
    await app.data(`mutation ($i: RelateCisInput!) { relateCis(input: $i) { __typename } }`, { i: { fromId: newcomer, toId: id.db2, type: 'DEPENDS_ON' } });
    const after = await impactAt(otherUrl, [id.db2!]);
    expect(after.impacted.find((c) => c.id === newcomer)).toMatchObject({ state: 'DOWN', distance: 1 });
    expect(apiSeen(after)).toEqual(seen(await cypherReport([id.db2!])));

    // And the other way round: written through the second process, seen by the first.
    const res = await fetch(`${otherUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation ($i: RelateCisInput!) { unrelateCis(input: $i) { __typename } }`, variables: { i: { fromId: newcomer, toId: id.db2, type: 'DEPENDS_ON' } } }),
    });
    expect(((await res.json()) as { data: { unrelateCis: { __typename: string } } }).data.unrelateCis.__typename).toBe('MutationUnrelateCisSuccess');
    expect((await impactAt(app.url, [id.db2!])).impacted.map((c) => c.id)).not.toContain(newcomer);
  });

  it('a CI retired through one drops out of the impact the other computes next, though no count moved', async () => {
    const ms = idsByRef(await upsert(app, { source: n('k8s'), items: [{ ref: 'x', className: 'Microservice', name: n('ledger') }], relationships: [{ type: 'DEPENDS_ON', from: { ref: 'x' }, to: { id: id.db2 } }] })).x!;
    expect((await impactAt(otherUrl, [id.db2!])).impacted.map((c) => c.id)).toContain(ms);
    await app.data(`mutation ($id: ID!) { retireCi(id: $id) { __typename } }`, { id: ms });
    // Only the change log tells the other process: the numbers of CIs and relationships are as they were.
    expect((await impactAt(otherUrl, [id.db2!])).impacted.map((c) => c.id)).not.toContain(ms);
  });

  it('a service level set and an incident recorded through one reach the change assessment the other makes next', async () => {
    const r = idsByRef(
      await upsert(app, {
        source: n('k8s'),
        items: [
          { ref: 'svc', className: 'ApplicationService', name: n('settlement'), criticality: 2, environment: 'PRODUCTION' },
          { ref: 'api', className: 'Microservice', name: n('settlement-api') },
        ],
        relationships: [{ type: 'DEPENDS_ON', from: { ref: 'svc' }, to: { ref: 'api' } }],
      }),
    );
    const change = await app.data<{ createChange: { data: { id: string } } }>(
      `mutation ($i: CreateChangeInput!) { createChange(input: $i) { ... on MutationCreateChangeSuccess { data { id } } } }`,
      { i: { title: n('settlement patch'), type: 'NORMAL', targetIds: [r.api], ...windows()(0) } },
    );
    const budgetFactor = async () => {
      const res = await fetch(`${otherUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `query ($id: ID!) { change(id: $id) { currentAssessment { risk { factors { name points detail } } } } }`, variables: { id: change.createChange.data.id } }),
      });
      const body = (await res.json()) as { data: { change: { currentAssessment: { risk: { factors: { name: string; points: number; detail: string }[] } } } } };
      return body.data.change.currentAssessment.risk.factors.find((f) => f.name === 'Error budget of impacted services')!;
    };
    try {
      expect((await budgetFactor()).detail).toBe('No impacted service has a service level.');
      // A week at 99.9999% is 0.6 s of budget: an incident held open for a second spends it.
      await app.data(`mutation ($s: ID!, $i: ServiceLevelInput!) { setServiceLevel(serviceId: $s, input: $i) { __typename } }`, { s: r.svc, i: { targetPercent: 99.9999, period: 'WEEK' } });
      expect(await budgetFactor()).toMatchObject({ points: 0, detail: expect.stringContaining('has more than') });
      const opened = await app.data<{ openIncident: { data: { id: string } } }>(
        `mutation ($i: OpenIncidentInput!) { openIncident(input: $i) { ... on MutationOpenIncidentSuccess { data { id } } } }`,
        { i: { title: n('settlement api down'), severity: 'SEV2', failed: [{ id: r.api }] } },
      );
      await new Promise((done) => setTimeout(done, 1000));
      await app.data(`mutation ($id: ID!) { resolveIncident(id: $id) { __typename } }`, { id: opened.openIncident.data.id });
      // Neither the level nor the incident's intervals are CIs or relationships: only the change log tells the other process.
      expect(await budgetFactor()).toMatchObject({ points: 20, detail: expect.stringContaining(`No error budget left this period on ${n('settlement')}`) });
    } finally {
      await app.db.write((tx) => tx.run('MATCH (l:ServiceLevel {serviceId: $id}) DETACH DELETE l', { id: r.svc }));
      await deleteItsmTagged(app);
    }
  });

  it('a relationship written outside Ripple is caught by the store counts, and the model is rebuilt', async () => {
    await impactAt(otherUrl, [id.db2!]);
    const outsider = idsByRef(await upsert(app, { source: n('k8s'), items: [{ ref: 'x', className: 'Microservice', name: n('outsider') }], relationships: [] })).x!;
    await app.db.write((tx) => tx.run(`MATCH (a:CI {id: $a}), (b:CI {id: $b}) CREATE (a)-[:DEPENDS_ON]->(b)`, { a: outsider, b: id.db2 }));
    expect((await impactAt(otherUrl, [id.db2!])).impacted.map((c) => c.id)).toContain(outsider);
  });
});
