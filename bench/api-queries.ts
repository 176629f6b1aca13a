// p50/p95 of the main read queries on the demo estate, as a client sees them over HTTP. Starts its own Ripple
// (and local Neo4j unless NEO4J_URI is set) in a temporary data directory, seeded through the public API.
import { withBenchRipple } from './ripple';
import { median, percentile, timed } from './stats';

export const name = 'api-queries';

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[]; extensions?: { cypherQueries?: number } };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body;
}

export async function run(): Promise<void> {
  const size = Number(process.env.BENCH_SEED_SIZE ?? 300);
  await withBenchRipple('api', { RIPPLE_SEED: 'auto', RIPPLE_SEED_SIZE: String(size), RIPPLE_REPORT_QUERY_COUNT: 'on' }, async (ripple) => {
    const url = ripple.url;
    const ids = (await gql(url, `{ bs: services(kind: BUSINESS, first: 1) { nodes { id } }
      db: cis(first: 1, filter: { classes: ["Database"], nameContains: "orders" }) { nodes { id } }
      hv: cis(first: 1, filter: { classes: ["Hypervisor"] }) { nodes { id } } }`)).data as Record<string, { nodes: { id: string }[] }>;
    const bs = ids.bs!.nodes[0]!.id;
    const db = ids.db!.nodes[0]!.id;
    const hv = ids.hv!.nodes[0]!.id;
    const cases: [string, string, Record<string, unknown>][] = [
      ['page of 100 CIs with owners and first-level relationships', `{ cis(first: 100) { totalCount nodes { id name owner { name } relationships(direction: OUT) { type to { id name } } } } }`, {}],
      ['filtered page (class Server, production)', `{ cis(first: 50, filter: { classes: ["Server"], environments: [PRODUCTION] }, orderBy: { field: CRITICALITY }) { nodes { id name } } }`, {}],
      ['full-text search "orders"', `{ search(text: "orders") { score ci { id name className } } }`, {}],
      ['business service dependencies, depth 10', `query($id: ID!) { ci(id: $id) { dependencies(depth: 10) { nodes { distance ci { id name className } } edges { fromId toId type } } } }`, { id: bs }],
      ['database dependents, depth 10', `query($id: ID!) { ci(id: $id) { dependents(depth: 10) { nodes { distance ci { id name } } edges { fromId toId } } } }`, { id: db }],
      ['shortest paths service -> hypervisor', `query($a: ID!, $b: ID!) { paths(fromId: $a, toId: $b) { length nodes { name } } }`, { a: bs, b: hv }],
    ];
    console.log(`demo estate: ${size} CIs; 5 warm-up + 40 timed requests per query, sequential`);
    const rows: Record<string, string | number>[] = [];
    for (const [label, q, v] of cases) {
      for (let i = 0; i < 5; i++) await gql(url, q, v);
      const times: number[] = [];
      let cypher = 0;
      for (let i = 0; i < 40; i++) {
        const { ms, value } = await timed(() => gql(url, q, v));
        times.push(ms);
        cypher = value.extensions?.cypherQueries ?? 0;
      }
      rows.push({ query: label, 'p50 ms': Number(median(times).toFixed(1)), 'p95 ms': Number(percentile(times, 95).toFixed(1)), 'cypher queries': cypher });
    }
    console.table(rows);
    console.log('command: npm run bench -- api-queries   (BENCH_SEED_SIZE=3000 for a larger estate)');
  });
}
