// A seeded fuzz of hostile and malformed requests against a running Ripple on loopback: random bytes, wrong
// content types, oversized and deeply nested input, Lucene and Cypher syntax in every string argument, alias and
// fragment bombs. Prints status counts, how many answers said INTERNAL, and the estate's CI and relationship
// counts before and after (writes go in as dry runs or invalid input, so the estate must not move).
// BENCH_FUZZ_COUNT (default 2,400) and BENCH_FUZZ_SEED (default 12) change the run.
import { mulberry32 } from '../seed/estate';
import { withBenchRipple } from './ripple';

export const name = 'fuzz';

const HOSTILE = [
  'AND', 'OR', 'NOT', 'x OR y', '"', '"unterminated', '*', '?', 'a:b', '(x', ')', '[a TO z]', '{a TO z}', '~2', '^3', '\\', '/re/', '+-&&||!',
  "' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', '`x`', '$param', '{id: 1}', 'n:CI', '\u0000', '\uffff', '\ud800', '🙂🙃', 'مرحبا',
  '2030-02-30T00:00:00Z', "' OR 1=1 //", '-1', 'NaN', '1e309', '', ' ', 'a'.repeat(300), 'b'.repeat(5_000), 'x '.repeat(40),
];

type Case = { kind: string; body?: string | Uint8Array; contentType?: string; method?: string; query?: string };

function generator(rnd: () => number) {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const hostile = () => (rnd() < 0.1 ? pick(HOSTILE).repeat(1 + Math.floor(rnd() * 50)) : pick(HOSTILE));
  const json = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  const nested = (depth: number, open: string, close: string, inner: string) => open.repeat(depth) + inner + close.repeat(depth);

  /** Every string argument of the read and write API, each given a hostile value through a variable. */
  const stringCases: Array<() => Case> = [
    () => ({ kind: 'strings', body: json('query ($t: String!) { search(text: $t) { ci { id } } }', { t: hostile() }) }),
    () => ({ kind: 'strings', body: json('query ($t: String!, $c: [String!]) { search(text: $t, classes: $c) { ci { id } } }', { t: 'db', c: [hostile()] }) }),
    () => ({ kind: 'strings', body: json('query ($f: CiFilter) { cis(filter: $f, first: 5) { totalCount nodes { id } } }', { f: { nameContains: hostile() } }) }),
    () => ({ kind: 'strings', body: json('query ($f: CiFilter) { cis(filter: $f, first: 5) { totalCount } }', { f: { classes: [hostile()] } }) }),
    () => ({ kind: 'strings', body: json('query ($f: CiFilter) { cis(filter: $f, first: 5) { totalCount } }', { f: { ownerTeamNames: [hostile()], ids: [hostile()] } }) }),
    () => ({ kind: 'strings', body: json('query ($f: CiFilter) { cis(filter: $f, first: 5) { totalCount } }', { f: { attributes: [{ name: pick(['hostname', hostile()]), value: hostile() }] } }) }),
    () => ({ kind: 'strings', body: json('query ($a: String) { cis(first: 5, after: $a) { totalCount } }', { a: hostile() }) }),
    () => ({ kind: 'strings', body: json('query ($a: String) { cis(last: 5, before: $a, orderBy: { field: UPDATED_AT }) { totalCount } }', { a: Buffer.from(JSON.stringify([hostile(), hostile()])).toString('base64url') }) }),
    () => ({ kind: 'strings', body: json('query ($id: ID!) { ci(id: $id) { id dependencies { nodes { ci { id } } } } }', { id: hostile() }) }),
    () => ({ kind: 'strings', body: json('query ($id: ID!) { node(id: $id) { id } team(id: $id) { id } }', { id: hostile() }) }),
    () => ({ kind: 'strings', body: json('query ($id: ID!) { change(id: $id) { id } incident(id: $id) { id } discoveryRun(id: $id) { id } }', { id: hostile() }) }),
    () => ({ kind: 'strings', body: json('query ($a: ID!, $b: ID!) { paths(fromId: $a, toId: $b) { length } }', { a: hostile(), b: hostile() }) }),
    () => ({ kind: 'strings', body: json('query ($ids: [ID!]!) { whatIf(ciIds: $ids) { impacted { id } } }', { ids: [hostile()] }) }),
    () => ({ kind: 'strings', body: json('mutation ($n: String!, $s: DateTime!, $e: DateTime!) { createFreezeWindow(name: $n, start: $s, end: $e) { __typename } }', { n: hostile(), s: hostile(), e: '2030-01-01T00:00:00Z' }) }),
    () => ({
      kind: 'strings',
      body: json('mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { __typename ... on MutationUpsertCisSuccess { data { counts { created rejected } } } } }', {
        i: {
          source: hostile(),
          dryRun: true,
          teams: [{ name: hostile() }],
          items: [{ ref: 'a', className: pick(['Microservice', 'Database', hostile()]), name: hostile(), description: hostile(), owner: hostile(), attributes: { databaseName: hostile(), [hostile()]: hostile() } }],
          relationships: [{ type: 'DEPENDS_ON', from: { ref: 'a' }, to: { id: hostile() } }],
        },
      }),
    }),
    () => ({ kind: 'strings', body: `{"query":"{ search(text: \\"${pick(['AND', 'x OR y', '\\\\\\"', 'NOT a'])}\\") { ci { id } } }"}` }),
  ];

  const malformed: Array<() => Case> = [
    () => ({ kind: 'random bytes', body: Uint8Array.from({ length: 1 + Math.floor(rnd() * 4000) }, () => Math.floor(rnd() * 256)), contentType: pick(['application/json', 'application/graphql-response+json', '']) }),
    () => ({ kind: 'wrong content type', body: json('{ teams { id } }'), contentType: pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'image/png']) }),
    () => ({ kind: 'invalid JSON', body: pick(['{', '{"query":', '{"query": 1}', '[]', '[{"query":"{ teams { id } }"}]', 'null', '"x"', '{"query":"{ teams { id } }","variables":"x"}', '{"query":"{ teams { id } }","extensions":1}']) }),
    () => ({ kind: 'method', method: pick(['GET', 'PUT', 'DELETE', 'PATCH']), query: pick(['{ teams { id } }', 'mutation { assessChange(id: "x") { __typename } }', '{', '']) }),
    () => ({ kind: 'oversized', body: json('query ($t: String!) { search(text: $t) { ci { id } } }', { t: 'ab '.repeat(200_000 + Math.floor(rnd() * 2_000_000)) }) }),
    () => ({ kind: 'oversized', body: 'x'.repeat(6 * 1024 * 1024) }),
    () => ({ kind: 'oversized', body: json('query ($ids: [ID!]) { cis(filter: { ids: $ids }) { totalCount } }', { ids: Array.from({ length: 6000 }, (_, i) => `ci_${i}`) }) }),
    () => ({ kind: 'nested', body: json(`{ cis(filter: { criticalities: ${nested(100 + Math.floor(rnd() * 3000), '[', ']', '1')} }) { totalCount } }`) }),
    () => ({ kind: 'nested', body: json(`{ ${nested(20 + Math.floor(rnd() * 2000), 'ci(id: "x") { ', ' }', 'id')} }`) }),
    () => ({ kind: 'nested', body: `{"query":"mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { __typename } }","variables":{"i":{"source":"fuzz","dryRun":true,"items":[{"className":"Microservice","name":"deep","attributes":${nested(20 + Math.floor(rnd() * 20_000), '{"a":', '}', '1')}}]}}}` }),
    () => ({ kind: 'alias bomb', body: json(`{ ${Array.from({ length: 20 + Math.floor(rnd() * 200) }, (_, i) => `a${i}: cis(first: 500) { nodes { dependencies(depth: 3) { nodes { ci { id } } } } }`).join(' ')} }`) }),
    () => ({ kind: 'alias bomb', body: json(`{ ${Array.from({ length: 30 }, (_, i) => `a${i}: changes { currentAssessment { impactedCount } sinceSubmission { newImpactedCiIds } }`).join(' ')} }`) }),
    () => ({ kind: 'fragment bomb', body: json(`query { ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { teams { id } ...F${i + 1} ...F${i + 1} }`).join(' ')} fragment F30 on Query { teams { id } }`) }),
    () => ({ kind: 'fragment bomb', body: json('query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }') }),
    () => ({ kind: 'directives', body: json(`{ teams ${'@include(if: true) '.repeat(500)} { id } }`) }),
  ];
  return () => (rnd() < 0.55 ? pick(stringCases)() : pick(malformed)());
}

async function send(url: string, c: Case): Promise<{ status: number; internal: boolean }> {
  const target = c.method === 'GET' ? `${url}/graphql?query=${encodeURIComponent(c.query ?? '')}` : `${url}/graphql`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (c.contentType !== '') headers['content-type'] = c.contentType ?? 'application/json';
  try {
    const res = await fetch(target, { method: c.method ?? 'POST', headers, ...(c.method && c.method !== 'POST' ? {} : { body: typeof c.body === 'string' ? c.body : new Blob([c.body as Uint8Array<ArrayBuffer>]) }) });
    const text = await res.text();
    return { status: res.status, internal: /"INTERNAL"/.test(text) };
  } catch {
    // The server hung up (it may close a connection after refusing an oversized body); counted as status 0.
    return { status: 0, internal: false };
  }
}

export async function run(): Promise<void> {
  const count = Number(process.env.BENCH_FUZZ_COUNT ?? 2_400);
  const seed = Number(process.env.BENCH_FUZZ_SEED ?? 12);
  await withBenchRipple('fuzz', { RIPPLE_SEED: 'auto', RIPPLE_SEED_SIZE: '300', RIPPLE_RATE_LIMIT: '0', LOG_LEVEL: 'silent' }, async (ripple) => {
    const estate = () =>
      ripple.db.read(async (tx) => {
        const r = await tx.run('CALL () { MATCH (n:CI) RETURN count(n) AS cis } CALL () { MATCH (:CI)-[r]->(:CI) RETURN count(r) AS rels } RETURN cis, rels');
        return { cis: r.records[0]!.get('cis') as number, relationships: r.records[0]!.get('rels') as number };
      });
    const before = await estate();
    const next = generator(mulberry32(seed));
    const cases = Array.from({ length: count }, next);
    const byStatus = new Map<number, number>();
    const byKind = new Map<string, Map<number, number>>();
    let internal = 0;
    let i = 0;
    const started = Date.now();
    // Four clients at once: enough to overlap requests without turning the fuzz into a load test.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (i < cases.length) {
          const c = cases[i++]!;
          const r = await send(ripple.url, c);
          byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
          const kind = byKind.get(c.kind) ?? new Map<number, number>();
          kind.set(r.status, (kind.get(r.status) ?? 0) + 1);
          byKind.set(c.kind, kind);
          if (r.internal) internal++;
        }
      }),
    );
    const after = await estate();
    const fmt = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`).join(', ');
    console.log(`seed ${seed}, ${count} requests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`status counts: ${fmt(byStatus)}`);
    console.table([...byKind].map(([kind, m]) => ({ kind, requests: [...m.values()].reduce((a, b) => a + b, 0), statuses: fmt(m) })));
    console.log(`5xx responses: ${[...byStatus].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0)}`);
    console.log(`INTERNAL answers: ${internal}`);
    console.log(`estate before: ${before.cis} CIs, ${before.relationships} relationships; after: ${after.cis} CIs, ${after.relationships} relationships (${before.cis === after.cis && before.relationships === after.relationships ? 'identical' : 'CHANGED'})`);
  });
}
