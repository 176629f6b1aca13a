// p50/p95 of impact analysis and change assessment on a large estate (BENCH_IMPACT_SIZE, default 100,000 CIs;
// 1000000 with BENCH_IMPACT_SEED=direct) seeded through the public API (or directly, see `seed` below), for a
// member of the shared database cluster (thousands of dependents) and for a leaf CI: the first page of services with totals, the full report, and the assessment; the
// floors (the fastest way to the same answer: the plugin or hand-written Cypher through the raw driver for the
// reached set, the read model's own walk and propagation in this process for the report); the read model's load
// time and memory; and a chain of diamonds (over a million paths) against a tree with the same reach.
import { generateEstate, SHARED_DATABASE_CLUSTER } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { MAX_IMPACT_DEPTH } from '../server/services/impact';
import { storeState } from '../server/neo4j/repositories/change-log';
import { ImpactReadModelService, type LoadFigures } from '../server/services/impact-read-model';
import type { Ripple } from '../server/app';
import type { ClassModel } from '../server/domain/class-model/types';
import { recordsLoad } from './ingest';
import { withBenchRipple } from './ripple';
import { median, percentile, timed } from './stats';

export const name = 'impact';

// The bench Ripple runs in demo mode on loopback: requests without credentials are the local admin.
async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data!;
}

async function measure(label: string, runs: number, fn: () => Promise<unknown>, before?: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) await before();
    times.push((await timed(fn)).ms);
  }
  return { case: label, 'p50 ms': Number(median(times).toFixed(1)), 'p95 ms': Number(percentile(times, 95).toFixed(1)) };
}

/**
 * Generates the estate and loads it, in a function of its own so that its million objects are garbage once
 * loaded. A million CIs take Ripple's API about an hour on this machine; BENCH_IMPACT_SEED=direct writes the
 * records Ripple keeps (bench/ingest.ts's hand-written floor) straight into Neo4j instead, teams through the API:
 * the read model then meets a store it has no log for, and rebuilds, as it would after a restore.
 */
async function seed(ripple: Ripple, size: number, model: ClassModel): Promise<void> {
  const estate = generateEstate({ size });
  const options = { url: ripple.url, model, batchSize: 1000, source: 'bench' };
  const direct = process.env.BENCH_IMPACT_SEED === 'direct';
  const seeded = await timed(async () => {
    if (!direct) return loadEstate(estate, options);
    await loadEstate({ ...estate, cis: [], relationships: [] }, options);
    return recordsLoad(ripple.db.driver, estate, model, '');
  });
  const how = direct ? 'directly into Neo4j' : 'through upsertCis';
  console.log(`seeded ${estate.cis.length} CIs and ${estate.relationships.length} relationships ${how} in ${(seeded.ms / 1000).toFixed(1)} s`);
}

async function loadFigures(ripple: Ripple, model: ClassModel): Promise<{ load: LoadFigures; heapMb: number }> {
  const fresh = new ImpactReadModelService(ripple.db, model);
  const heapBefore = process.memoryUsage().heapUsed;
  await fresh.upToDate();
  return { load: fresh.lastLoad!, heapMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 };
}

export async function run(): Promise<void> {
  const size = Number(process.env.BENCH_IMPACT_SIZE ?? 100_000);
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const model = loadClassModel();
  await withBenchRipple('impact', {}, async (ripple) => {
    const url = ripple.url;
    await seed(ripple, size, model);

    const find = async (filter: Record<string, unknown>) =>
      ((await gql(url, 'query($f: CiFilter) { cis(first: 5, filter: $f) { nodes { id name } } }', { f: filter })) as { cis: { nodes: { id: string; name: string }[] } }).cis.nodes;
    const shared = (await find({ nameContains: `${SHARED_DATABASE_CLUSTER}-primary`, classes: ['Database'] }))[0]!;
    const sharedPair = (await find({ nameContains: `${SHARED_DATABASE_CLUSTER}-replica`, classes: ['Database'] })).slice(0, 1).concat(shared);
    const leaf = (await find({ classes: ['KubernetesPod'], environments: ['PRODUCTION'] }))[0]!;

    const impactQ = `query($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { services { id state distance paths { ciIds } } teams { team } } }`;
    const reach = async (ids: string[]) => {
      const d = (await gql(url, impactQ, { f: ids.map((id) => ({ id, state: 'DOWN' })) })) as { impactAnalysis: { services: unknown[] } };
      return d.impactAnalysis.services.length;
    };
    // What a responder's first screen asks for: 20 services, the totals per state and class.
    const firstPageQ = `query($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { servicePage(first: 20) { totalCount totalsByState { state count } totalsByClass { className count } nodes { id state distance } } } }`;
    const firstPage = (ids: string[]) => gql(url, firstPageQ, { f: ids.map((id) => ({ id, state: 'DOWN' })) });

    // The read model as a process holds it: what loading it costs, and what it weighs. That copy is let go before
    // anything is timed: the server's own model answers the floor below, and a second one would only slow the
    // garbage collector of the process both live in (a million CIs are 370 MiB each).
    const { load, heapMb } = await loadFigures(ripple, model);
    const readModel = ripple.impactReadModel ?? new ImpactReadModelService(ripple.db, model);
    console.log(
      `read model: ${load.cis} CIs, ${load.relationships} relationships, loaded in ${(load.ms / 1000).toFixed(1)} s; ` +
        `arrays and strings ~${(load.bytes / 2 ** 20).toFixed(1)} MiB (${((load.bytes / load.cis) * 100_000 / 2 ** 20).toFixed(1)} MiB per 100,000 CIs); heap grew ${heapMb.toFixed(1)} MiB`,
    );
    // The read model's own answer in this process: the same walk and propagation, no HTTP, no GraphQL.
    // Over the model's numeric ids, as a request propagates; the services and owners a full report returns.
    const inMemory = async (ids: string[]) => {
      const report = (await readModel.upToDate()).reach(ids, MAX_IMPACT_DEPTH).propagate(ids.map((id) => ({ id, state: 'DOWN' as const })), { maxPaths: 3 });
      return [report.services, report.teams];
    };
    console.log(`shared cluster member ${shared.name}: ${await reach([shared.id])} impacted services (degraded); with a replica too: ${await reach(sharedPair.map((x) => x.id))}`);

    // Each change in a week of its own: a leaf change sharing the shared one's window would walk the cluster's
    // blast radius too, to look for conflicts, and measure that instead of a leaf.
    const change = async (target: string, week: number) => {
      const start = new Date(Date.now() + week * 7 * 86400_000).toISOString();
      const end = new Date(Date.now() + week * 7 * 86400_000 + 3600_000).toISOString();
      const d = (await gql(url, `mutation($i: CreateChangeInput!) { createChange(input: $i) { ... on MutationCreateChangeSuccess { data { id } } } }`, {
        i: { title: 'bench change', type: 'NORMAL', targetIds: [target], plannedStart: start, plannedEnd: end },
      })) as { createChange: { data: { id: string } } };
      return d.createChange.data.id;
    };
    const sharedChange = await change(shared.id, 1);
    const leafChange = await change(leaf.id, 2);
    const assessQ = `query($id: ID!) { change(id: $id) { currentAssessment { impactedCount risk { score level } conflicts { changeId } blastRadius { distance } } } }`;

    // The floor: the same reachability, hand-written, through the raw driver.
    const driver = ripple.db.driver;
    const types = model.impactingTypes().join('|');
    const raw = async (ids: string[]) => {
      const s = driver.session({ database: 'neo4j', defaultAccessMode: 'READ' });
      try {
        await s.run(
          `MATCH (f:CI) WHERE f.id IN $ids MATCH (f)<-[:${types}*1..50]-(n:CI) WITH DISTINCT n
           RETURN n.id, n.class, n.criticality, n.redundancy, [(n)-[r:${types}]->(m:CI) | [m.id, type(r)]] AS out`,
          { ids },
        );
      } finally {
        await s.close();
      }
    };

    // For comparison only: the raw driver calling Ripple's plugin procedure, which Ripple itself uses when present.
    const rawPlugin = async (ids: string[]) => {
      const s = driver.session({ database: 'neo4j', defaultAccessMode: 'READ' });
      try {
        const r = await s.run(`CALL ripple.reach($ids, $types, 'up', 50) YIELD json RETURN json`, { ids, types: model.impactingTypes() });
        JSON.parse(r.records[0]!.get('json') as string);
      } finally {
        await s.close();
      }
    };
    console.log(`Ripple's Neo4j plugin: ${ripple.db.procedures.size ? [...ripple.db.procedures].join(', ') : 'not installed (plain Cypher)'}`);

    const dependentsQ = `query($id: ID!) { ci(id: $id) { dependents(depth: 3) { truncated cutByDepth nodes { distance } } } }`;
    const dependents = async () => (await gql(url, dependentsQ, { id: shared.id })) as { ci: { dependents: { truncated: boolean; cutByDepth: number; nodes: unknown[] } } };
    const dep = (await dependents()).ci.dependents;
    console.log(`dependents(depth: 3) of ${shared.name}: ${dep.nodes.length} CIs (limit 500), truncated ${dep.truncated}, cut by depth ${dep.cutByDepth}`);

    // A write through Ripple before each request, and the read model catches up. A write to a service in the
    // shared member's blast radius means its report is propagated again (cold); a write elsewhere in the estate
    // (the leaf) leaves the remembered report good, as discovery writing all day mostly does.
    let edits = 0;
    const edit = (id: string) => () => gql(url, `mutation($i: UpdateCiInput!) { updateCi(input: $i) { __typename } }`, { i: { id, description: `bench edit ${++edits}` } });
    const page = (await firstPage([shared.id])) as { impactAnalysis: { servicePage: { nodes: { id: string }[] } } };
    const touchInside = edit(page.impactAnalysis.servicePage.nodes[0]!.id);
    const touchElsewhere = edit(leaf.id);
    const rows = [
      await measure(`impact: shared cluster member (${shared.name})`, runs, () => reach([shared.id])),
      await measure('impact: shared member, each request just after a write in its blast radius (cold)', runs, () => reach([shared.id]), touchInside),
      await measure('impact: shared member, each request just after a write elsewhere', runs, () => reach([shared.id]), touchElsewhere),
      await measure('impact first page: shared member, just after a write in its blast radius (cold)', runs, () => firstPage([shared.id]), touchInside),
      await measure('impact first page: shared member, just after a write elsewhere', runs, () => firstPage([shared.id]), touchElsewhere),
      await measure('impact: raw-driver reachability floor, same CI', runs, () => raw([shared.id])),
      await measure(`impact: leaf CI (${leaf.name})`, runs, () => reach([leaf.id])),
      await measure('impact: raw-driver floor, leaf', runs, () => raw([leaf.id])),
      await measure('impact first page (20 services + totals): shared member', runs, () => firstPage([shared.id])),
      await measure('impact first page (20 services + totals): leaf', runs, () => firstPage([leaf.id])),
      await measure('read model walk + propagation in process: shared member', runs, () => inMemory([shared.id])),
      await measure('read model walk + propagation in process: leaf', runs, () => inMemory([leaf.id])),
      // What every impact request pays before walking: the store version and counts, one statement.
      await measure('read model: store version check alone', runs, () => ripple.db.read((tx) => storeState(tx, model.impactingTypes()))),
      await measure('change assessment: shared cluster member', runs, () => gql(url, assessQ, { id: sharedChange })),
      await measure('change assessment: shared member, just after a write in its blast radius (cold)', runs, () => gql(url, assessQ, { id: sharedChange }), touchInside),
      await measure('change assessment: shared member, just after a write elsewhere', runs, () => gql(url, assessQ, { id: sharedChange }), touchElsewhere),
      await measure('change assessment: leaf CI', runs, () => gql(url, assessQ, { id: leafChange })),
      ...(ripple.db.procedures.size
        ? [
            await measure('raw driver calling ripple.reach, shared member', runs, () => rawPlugin([shared.id])),
            await measure('raw driver calling ripple.reach, leaf', runs, () => rawPlugin([leaf.id])),
          ]
        : []),
      await measure('dependents(depth: 3), shared member, limit 500', runs, dependents),
    ];
    console.table(rows);
    // Repeated requests reuse the report the first one propagated until a write touches what it depends on: the
    // warm rows, and those after a write elsewhere. The cold rows pay the catch-up and the whole propagation.
    // The floor is the fastest way to the same answer: the reached set through the raw driver (plugin or plain
    // Cypher), or the read model's whole report in this process; Ripple's figure adds HTTP and GraphQL to it.
    const p50 = (label: string) => rows.find((r) => r.case.startsWith(label))?.['p50 ms'];
    const floor = (...labels: string[]) => Math.max(0.1, Math.min(...labels.map(p50).filter((x): x is number => x !== undefined)));
    const sharedFloor = floor('impact: raw-driver reachability floor', 'raw driver calling ripple.reach, shared', 'read model walk + propagation in process: shared');
    const leafFloor = floor('impact: raw-driver floor, leaf', 'raw driver calling ripple.reach, leaf', 'read model walk + propagation in process: leaf');
    // Against the floor, Ripple's cold figure: a warm one reuses a report and would read as "faster than raw".
    const ratio = (label: string, f: number) => `${(p50(label)! / f).toFixed(2)}x (floor ${f} ms)`;
    console.log(`Ripple / fastest floor (p50): shared, cold ${ratio('impact: shared member, each request just after a write in its blast radius', sharedFloor)}; leaf ${ratio('impact: leaf CI', leafFloor)}`);

    // A chain of diamonds (2^k paths) against a tree with the same number of reachable CIs.
    const k = 22;
    const items: Record<string, unknown>[] = [];
    const rels: Record<string, unknown>[] = [];
    const tag = `bench-${Date.now().toString(36)}`;
    const app = (n: string) => ({ ref: n, className: 'ApplicationService', name: `${tag}-${n}` });
    items.push(app('d0'));
    for (let i = 1; i <= k; i++) {
      items.push(app(`d${i}`), app(`l${i}`), app(`r${i}`));
      rels.push({ type: 'DEPENDS_ON', from: { ref: `l${i}` }, to: { ref: `d${i - 1}` } }, { type: 'DEPENDS_ON', from: { ref: `r${i}` }, to: { ref: `d${i - 1}` } });
      rels.push({ type: 'DEPENDS_ON', from: { ref: `d${i}` }, to: { ref: `l${i}` } }, { type: 'DEPENDS_ON', from: { ref: `d${i}` }, to: { ref: `r${i}` } });
    }
    const treeSize = items.length;
    items.push(app('t0'));
    for (let i = 1; i < treeSize; i++) {
      items.push(app(`t${i}`));
      rels.push({ type: 'DEPENDS_ON', from: { ref: `t${i}` }, to: { ref: `t${Math.floor((i - 1) / 2)}` } });
    }
    const up = (await gql(url, `mutation($i: UpsertCisInput!) { upsertCis(input: $i) { ... on MutationUpsertCisSuccess { data { items { ref id } } } } }`, {
      i: { source: 'bench', items, relationships: rels },
    })) as { upsertCis: { data: { items: { ref: string; id: string }[] } } };
    const idOf = new Map(up.upsertCis.data.items.map((x) => [x.ref, x.id]));
    const shape = [
      await measure(`impact: chain of ${k} diamonds (${2 ** k} paths, ${treeSize} CIs)`, runs, () => reach([idOf.get('d0')!])),
      await measure(`impact: tree with the same reach (${treeSize} CIs)`, runs, () => reach([idOf.get('t0')!])),
    ];
    console.table(shape);
    console.log(`diamonds / tree (p50): ${(shape[0]!['p50 ms'] / Math.max(0.1, shape[1]!['p50 ms'])).toFixed(2)}x`);
    console.log('command: npm run bench -- impact   (BENCH_IMPACT_SIZE and BENCH_RUNS to change size and repetitions)');
  });
}
