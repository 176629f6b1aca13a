// What history costs: current-state impact on a large estate (BENCH_TT_SIZE, default 100,000 CIs) before and after
// every CI gains ten versions of history and every relationship three closed intervals, and the reads of the graph
// as of a past instant (a 1,000-CI subgraph, impact) that those versions serve. The estate goes in through
// upsertCis; the history is written straight into the store in the shape Ripple keeps it (re-sending the estate
// ten times through the API would measure ingestion, not this).
import { generateEstate, SHARED_DATABASE_CLUSTER } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import type { Db } from '../server/neo4j/db';
import { withBenchRipple } from './ripple';
import { median, percentile, timed } from './stats';

export const name = 'time-travel';

// The bench Ripple runs in demo mode on loopback: requests without credentials are the local admin.
async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data!;
}

async function measure(label: string, runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  return { case: label, 'p50 ms': Number(median(times).toFixed(1)), 'p95 ms': Number(percentile(times, 95).toFixed(1)) };
}

const BATCH = 5000;

/**
 * Nine History entries per CI after `past` (ten versions with the one its creation left), each changing its
 * description, the last value set on the node; and per relationship three closed intervals after `past`, the
 * live one reopened after them, so a read as of `past` must undo every version and find the first interval.
 */
async function addHistory(db: Db, past: number): Promise<{ entries: number; intervals: number }> {
  const ids = await db.read(async (tx) => (await tx.run('MATCH (n:CI) RETURN collect(n.id) AS ids')).records[0]!.get('ids') as string[]);
  const versions = Array.from({ length: 9 }, (_, k) => ({
    k,
    at: new Date(past + 1 + k).toISOString(),
    changes: JSON.stringify([{ field: 'description', before: k ? `version ${k}` : null, after: `version ${k + 1}` }]),
  }));
  let intervals = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const slice = ids.slice(i, i + BATCH);
    await db.write((tx) =>
      tx.run(
        `UNWIND $ids AS id MATCH (n:CI {id: id})
         UNWIND $versions AS v
         CREATE (:History {id: 'hist_' + id + '_bench_' + v.k, at: datetime(v.at), actor: 'bench', source: 'bench', action: 'update',
                           changes: v.changes})-[:ABOUT]->(n)
         WITH DISTINCT n SET n.description = 'version 9'`,
        { ids: slice, versions },
      ),
    );
    const res = await db.write((tx) =>
      tx.run(
        `UNWIND $ids AS id MATCH (a:CI {id: id})-[r]->(b:CI) WHERE type(r) <> 'OWNED_BY'
         UNWIND range(0, 2) AS k
         CREATE (:RelationshipInterval {fromId: a.id, toId: b.id, type: type(r), sources: r.sources, endedAbsent: true,
           validFrom: CASE k WHEN 0 THEN coalesce(r.validFrom, r.createdAt) ELSE datetime({epochMillis: toInteger($past) + 10 + 2 * k}) END,
           validTo: datetime({epochMillis: toInteger($past) + 11 + 2 * k})})
         WITH DISTINCT r SET r.validFrom = datetime({epochMillis: toInteger($past) + 16})
         RETURN count(r) AS n`,
        { ids: slice, past },
      ),
    );
    intervals += 3 * Number(res.records[0]!.get('n'));
  }
  return { entries: ids.length * versions.length, intervals };
}

export async function run(): Promise<void> {
  const size = Number(process.env.BENCH_TT_SIZE ?? 100_000);
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const model = loadClassModel();
  await withBenchRipple('time-travel', {}, async (ripple) => {
    const url = ripple.url;
    const estate = generateEstate({ size });
    const seeded = await timed(() => loadEstate(estate, { url, model, batchSize: 1000, source: 'bench' }));
    console.log(`seeded ${estate.cis.length} CIs and ${estate.relationships.length} relationships through upsertCis in ${(seeded.ms / 1000).toFixed(1)} s`);
    console.log(`Ripple's Neo4j plugin: ${ripple.db.procedures.size ? [...ripple.db.procedures].join(', ') : 'not installed (plain Cypher)'}`);

    const find = async (filter: Record<string, unknown>) =>
      ((await gql(url, 'query($f: CiFilter) { cis(first: 5, filter: $f) { nodes { id name } } }', { f: filter })) as { cis: { nodes: { id: string; name: string }[] } }).cis.nodes;
    const shared = (await find({ nameContains: `${SHARED_DATABASE_CLUSTER}-primary`, classes: ['Database'] }))[0]!;
    const leaf = (await find({ classes: ['KubernetesPod'], environments: ['PRODUCTION'] }))[0]!;
    const impactQ = `query($f: [FailedCiInput!]!, $at: DateTime) { impactAnalysis(failed: $f, at: $at) { services { id state distance paths { ciIds } } teams { team } } }`;
    const impact = (id: string, at?: string) => gql(url, impactQ, { f: [{ id, state: 'DOWN' }], at });
    const current = async (when: string) => [
      await measure(`impact now, shared cluster member, ${when}`, runs, () => impact(shared.id)),
      await measure(`impact now, leaf CI, ${when}`, runs, () => impact(leaf.id)),
    ];

    const before = await current('no history');
    await new Promise((r) => setTimeout(r, 50));
    const past = Date.now();
    await new Promise((r) => setTimeout(r, 50));
    const written = await timed(() => addHistory(ripple.db, past));
    console.log(`wrote ${written.value.entries} History entries (10 versions per CI) and ${written.value.intervals} closed relationship intervals in ${(written.ms / 1000).toFixed(1)} s`);
    const after = await current('10 versions per CI');

    const at = new Date(past).toISOString();
    const subgraphQ = `query($id: ID!, $at: DateTime) { ci(id: $id, at: $at) { dependents(depth: 10, limit: 1000) { truncated nodes { ci { id name description } } edges { fromId toId } } } }`;
    const subgraph = (id: string, when?: string) => gql(url, subgraphQ, { id, at: when }) as Promise<{ ci: { dependents: { nodes: { ci: { description: string | null } }[]; edges: unknown[] } } }>;
    const descriptions = (s: { nodes: { ci: { description: string | null } }[] }) => [...new Set(s.nodes.map((x) => x.ci.description ?? 'none'))].join(', ');
    const then = (await subgraph(shared.id, at)).ci.dependents;
    const now = (await subgraph(shared.id)).ci.dependents;
    console.log(
      `dependents of ${shared.name}, limit 1000: as of the past instant ${then.nodes.length} CIs and ${then.edges.length} edges (descriptions then: ${descriptions(then)}); now ${now.nodes.length} CIs, ${now.edges.length} edges (descriptions: ${descriptions(now)})`,
    );
    const past1 = [
      await measure('subgraph of 1,000 CIs as of a past instant', runs, () => subgraph(shared.id, at)),
      await measure('the same subgraph now', runs, () => subgraph(shared.id)),
      await measure('impact as of a past instant, leaf CI', runs, () => impact(leaf.id, at)),
      await measure('impact as of a past instant, shared cluster member', Math.min(runs, 5), () => impact(shared.id, at)),
    ];
    console.table([...before, ...after, ...past1]);
    const ratio = (k: number) => (after[k]!['p50 ms'] / Math.max(0.1, before[k]!['p50 ms'])).toFixed(2);
    console.log(`current-state impact with history / without (p50): shared ${ratio(0)}x, leaf ${ratio(1)}x`);
    console.log('command: npm run bench -- time-travel   (BENCH_TT_SIZE and BENCH_RUNS to change size and repetitions)');
  });
}
