// Hostile input through the API answers a typed error naming the field, never INTERNAL, and leaves Neo4j serving:
// oversized and Lucene-laden search text, alias bombs over the cost limit, forged cursors, deep nesting, loose
// dates, deep JSON, over-long names; paging past the end; what production responses and /readyz reveal; the rate
// limit. The estate is shaped as discovery reports it: a workload running a microservice that uses a database,
// with owners and no service above them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { deleteItsmTagged } from './helpers/impact-fixtures';
import { startTestRipple, type GqlResult, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let id: Record<string, string> = {};
const n = (s: string) => `${app.key}-${s}`;

async function post(body: unknown, url = app.url): Promise<{ status: number; json: GqlResult }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as GqlResult };
}

const codes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code);
const stillServes = async () => (await app.data<{ ci: { name: string } }>('query ($id: ID!) { ci(id: $id) { name } }', { id: id.ms })).ci.name;

beforeAll(async () => {
  app = await startTestRipple();
  const estate = await upsert(app, {
    source: n('k8s'),
    teams: [{ name: n('payments-team') }],
    items: [
      { ref: 'wl', className: 'KubernetesWorkload', name: n('payments-deploy'), owner: n('payments-team'), attributes: { namespace: 'pay', workloadName: 'payments', kind: 'Deployment' } },
      { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), attributes: { clusterName: n('k8s-prod') } },
      { ref: 'ms', className: 'Microservice', name: n('payments-api'), owner: n('payments-team'), description: 'AND OR NOT gateway' },
      { ref: 'vm', className: 'VirtualMachine', name: n('db-vm'), attributes: { vmUuid: n('vm-uuid') } },
      { ref: 'db', className: 'Database', name: n('payments-db'), owner: n('payments-team'), attributes: { databaseName: 'payments', engine: 'postgresql' } },
    ],
    relationships: [
      { type: 'RUNS_ON', from: { ref: 'ms' }, to: { ref: 'wl' } },
      { type: 'RUNS_ON', from: { ref: 'wl' }, to: { ref: 'kc' } },
      { type: 'DEPENDS_ON', from: { ref: 'ms' }, to: { ref: 'db' } },
      { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'vm' } },
    ],
  });
  id = idsByRef(estate);
});

afterAll(async () => {
  await deleteItsmTagged(app);
  await deleteTagged(app);
  await app.close();
});

describe('search', () => {
  it('refuses a 3 MB search text with a typed error naming it, and keeps serving', async () => {
    const r = await post({ query: 'query ($t: String!) { search(text: $t) { ci { id } } }', variables: { t: 'ab '.repeat(1_000_000) } });
    expect(r.json.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: '$t' });
    expect(await stillServes()).toBe(n('payments-api'));
  });

  it('refuses 1,100 words and one 100 KB word by their size, not with INTERNAL', async () => {
    const words = await post({ query: 'query ($t: String!) { search(text: $t) { ci { id } } }', variables: { t: Array(1100).fill('x').join(' ') } });
    expect(words.json.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'text' });
    const word = await post({ query: 'query ($t: String!) { search(text: $t) { ci { id } } }', variables: { t: 'y'.repeat(100_000) } });
    expect(codes(word.json)).toEqual(['VALIDATION']);
  });

  it('takes AND, NOT, OR and quotes as words and finds the CI described by them', async () => {
    for (const text of ['AND', 'NOT', 'x OR y', '"', 'a:b (c', `${app.key} AND`]) {
      const r = await post({ query: 'query ($t: String!) { search(text: $t, first: 50) { ci { id } } }', variables: { t: text } });
      expect(r.json.errors, text).toBeUndefined();
    }
    const hits = await app.data<{ search: { ci: { id: string } }[] }>('query ($t: String!) { search(text: $t) { ci { id } } }', { t: `${app.key} payments AND gateway` });
    expect(hits.search.map((h) => h.ci.id)).toEqual([id.ms]);
  });
});

describe('query cost', () => {
  it('refuses 30 aliases of 500-CI pages with 3-hop traversals before any runs, while ci(id) still answers', async () => {
    const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: cis(first: 500) { nodes { dependencies(depth: 3) { nodes { ci { id } } } } }`);
    const [bomb, name] = await Promise.all([post({ query: `{ ${aliases.join(' ')} }` }), stillServes()]);
    expect(new Set(codes(bomb.json))).toEqual(new Set(['QUERY_TOO_COSTLY']));
    expect(bomb.json.errors?.[0]?.message).toMatch(/at most 50000/);
    expect(name).toBe(n('payments-api'));
  });

  it('still serves the web view\'s own traversal (depth 3, limit 2000)', async () => {
    const r = await app.data<{ ci: { sub: { nodes: { ci: { id: string } }[] } } }>(
      `query ($id: ID!) { ci(id: $id) { sub: dependencies(depth: 3, limit: 2000) { root { id name } truncated nodes { distance ci { id name className family } } edges { type fromId toId absent } } } }`,
      { id: id.ms },
    );
    expect(r.ci.sub.nodes.map((x) => x.ci.id).sort()).toEqual([id.db, id.wl, id.kc, id.vm].sort());
  });
});

describe('paging and cursors', () => {
  it('after the last page: no rows, the true total, and a previous page', async () => {
    const filter = { nameContains: app.key };
    const first = await app.data<{ cis: { totalCount: number; pageInfo: { endCursor: string } } }>(
      'query ($f: CiFilter) { cis(filter: $f, first: 5) { totalCount pageInfo { endCursor } } }',
      { f: filter },
    );
    const past = await app.data<{ cis: { totalCount: number; nodes: unknown[]; pageInfo: { hasPreviousPage: boolean; hasNextPage: boolean } } }>(
      'query ($f: CiFilter, $after: String) { cis(filter: $f, first: 3, after: $after) { totalCount nodes { id } pageInfo { hasPreviousPage hasNextPage } } }',
      { f: filter, after: first.cis.pageInfo.endCursor },
    );
    expect(first.cis.totalCount).toBe(5);
    expect(past.cis).toEqual({ totalCount: 5, nodes: [], pageInfo: { hasPreviousPage: true, hasNextPage: false } });
  });

  it('refuses forged cursors as a VALIDATION error on `after`', async () => {
    const forged = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const [order, cursor] of [
      ['NAME', forged([{ a: 1 }, 'x'])],
      ['UPDATED_AT', forged(['yesterday', 'x'])],
      ['CRITICALITY', forged([[1, 2], 'x'])],
      ['NAME', 'not-base64-at-all!'],
    ] as const) {
      const r = await post({ query: `query ($c: String) { cis(first: 2, after: $c, orderBy: { field: ${order} }) { totalCount } }`, variables: { c: cursor } });
      expect(r.json.errors?.[0]?.extensions, `${order} ${cursor}`).toMatchObject({ code: 'VALIDATION', field: 'after' });
    }
  });
});

describe('strict scalars and nesting', () => {
  const freeze = 'mutation ($n: String!, $s: DateTime!, $e: DateTime!) { createFreezeWindow(name: $n, start: $s, end: $e) { __typename } }';

  it('refuses dates Date.parse would have guessed at, naming the variable, and creates no freeze window', async () => {
    for (const start of ["' OR 1=1 //", '2030-02-30T00:00:00Z', '2030-02-28']) {
      const r = await post({ query: freeze, variables: { n: n('freeze'), s: start, e: '2030-03-02T00:00:00Z' } });
      expect(r.json.errors?.[0]?.message, start).toMatch(/\$s.*RFC 3339/);
      expect(codes(r.json)).toEqual(['BAD_USER_INPUT']);
    }
    const windows = await app.data<{ freezeWindows: { name: string }[] }>('{ freezeWindows { name } }');
    expect(windows.freezeWindows.filter((w) => w.name === n('freeze'))).toEqual([]);
  });

  it('refuses a JSON attribute nested 10,000 deep as bad input', async () => {
    let deep = '"leaf"';
    for (let i = 0; i < 10_000; i++) deep = `{"a":${deep}}`;
    const body = `{"query":"mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { __typename } }","variables":{"i":{"source":"${n('x')}","items":[{"className":"Microservice","name":"${n('deep')}","attributes":${deep}}]}}}`;
    const r = await post(body);
    expect(codes(r.json)).toEqual(['BAD_USER_INPUT']);
    expect(r.json.errors?.[0]?.message).toMatch(/deeper than 16/);
  });

  it('refuses selections and literals nested 2,000 deep without parsing them', async () => {
    const literal = await post({ query: `{ cis(filter: { criticalities: ${'['.repeat(2000)}1${']'.repeat(2000)} }) { totalCount } }` });
    const selection = await post({ query: `{ ${'ci(id: "x") { '.repeat(2000)}id${' }'.repeat(2000)} }` });
    for (const r of [literal, selection]) expect(r.json.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'query' });
  });

  it('refuses a team name of 100 KB, naming it, and writes nothing of the batch', async () => {
    const r = await post({
      query: 'mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { __typename } }',
      variables: { i: { source: n('x'), teams: [{ name: 't'.repeat(100_000) }], items: [{ className: 'Microservice', name: n('never') }] } },
    });
    expect(r.json.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: '$i.teams[0].name' });
    const found = await app.data<{ cis: { totalCount: number } }>('query ($f: CiFilter) { cis(filter: $f) { totalCount } }', { f: { nameContains: n('never') } });
    expect(found.cis.totalCount).toBe(0);
  });
});

describe('what a response reveals', () => {
  it('treats a CI whose provenance was corrupted outside Ripple as set by a person, so discovery cannot overwrite it', async () => {
    const description = async () =>
      (await app.data<{ ci: { description: string; provenance: { field: string; source: string }[] } }>('query ($id: ID!) { ci(id: $id) { description provenance { field source } } }', { id: id.ms })).ci;
    await app.db.write((tx) => tx.run('MATCH (c:CI {id: $id}) SET c.provenance = $text', { id: id.ms, text: '{"description": {"source": ' }));
    const before = (await description()).description;
    const resend = { source: n('k8s'), items: [{ className: 'Microservice', name: n('payments-api'), description: 'overwritten by discovery' }] };
    const first = await upsert(app, resend);
    expect(first.items[0]).toMatchObject({ status: 'UNCHANGED', keptFields: ['description'] });
    expect(await description()).toMatchObject({ description: before, provenance: expect.arrayContaining([{ field: 'description', source: 'manual' }]) });
    // A person can still edit it, and from then on the record is readable and holds by the same rule.
    await app.data('mutation ($i: UpdateCiInput!) { updateCi(input: $i) { __typename } }', { i: { id: id.ms, description: 'set by a person' } });
    expect((await upsert(app, resend)).items[0]).toMatchObject({ keptFields: ['description'] });
    expect(await description()).toMatchObject({ description: 'set by a person', provenance: expect.arrayContaining([{ field: 'description', source: 'manual' }]) });
  });

  it('leaves out the cypherQueries extension in production', async () => {
    const prod = await startTestRipple({ NODE_ENV: 'production' });
    try {
      const r = await post({ query: '{ teams { id } }' }, prod.url);
      expect(r.json.errors).toBeUndefined();
      expect(r.json.extensions?.cypherQueries).toBeUndefined();
    } finally {
      await prod.close();
    }
    expect((await post({ query: '{ teams { id } }' })).json.extensions?.cypherQueries).toBe(1);
  });

  it('/readyz says whether Neo4j answers, and nothing about where it is', async () => {
    const res = await fetch(`${app.url}/readyz`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text)).toEqual({ status: 'ready', neo4j: 'ok' });
    expect(text).not.toMatch(/bolt|127\.0\.0\.1|:\d{4,5}/);
  });

  it('answers 429 with Retry-After to a caller over its rate limit, counting each token apart from its address', async () => {
    const limited = await startTestRipple({ RIPPLE_RATE_LIMIT: '5' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 7; i++) {
        const res = await fetch(`${limited.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ teams { id } }"}' });
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get('retry-after');
          expect(((await res.json()) as GqlResult).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
        } else await res.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Two scripts on this same address, each with its own token, each still have their whole budget.
      for (const who of ['importer-a', 'importer-b']) {
        const headers = { 'content-type': 'application/json', ...(await limited.headersAs(who)) };
        const own: number[] = [];
        for (let i = 0; i < 6; i++) {
          const res = await fetch(`${limited.url}/graphql`, { method: 'POST', headers, body: '{"query":"{ teams { id } }"}' });
          own.push(res.status);
          await res.arrayBuffer();
        }
        expect(own, who).toEqual([200, 200, 200, 200, 200, 429]);
      }
    } finally {
      await limited.close();
    }
  });

  it('stops an address that keeps inventing bearers, reading the address from X-Forwarded-For only through a trusted proxy', async () => {
    const call = async (app: TestRipple, headers: Record<string, string>) => {
      const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ teams { id } }"}' });
      return { status: res.status, code: ((await res.json()) as GqlResult).errors?.[0]?.extensions?.code };
    };
    const invented = (i: number) => ({ authorization: `Bearer rpl_invented_${i}_${Math.random().toString(36).slice(2)}` });
    const behindProxy = await startTestRipple({ RIPPLE_AUTH_FAILURE_LIMIT: '3', RIPPLE_TRUSTED_PROXIES: 'loopback' });
    try {
      const attacker = { 'x-forwarded-for': '203.0.113.7' };
      const tries = [];
      for (let i = 0; i < 4; i++) tries.push(await call(behindProxy, { ...attacker, ...invented(i) }));
      expect(tries.map((t) => t.status)).toEqual([401, 401, 401, 429]);
      expect(tries[3]!.code).toBe('AUTH_FAILURES');
      // The address is stopped whatever it presents next; a client elsewhere behind the same proxy is not.
      const good = await behindProxy.headersAs('importer-c');
      expect((await call(behindProxy, { ...attacker, ...good })).status).toBe(429);
      expect(await call(behindProxy, { 'x-forwarded-for': '203.0.113.8', ...good })).toEqual({ status: 200, code: undefined });
    } finally {
      await behindProxy.close();
    }
    // Without a trusted proxy the header is the caller's own say-so: changing it changes nothing.
    const direct = await startTestRipple({ RIPPLE_AUTH_FAILURE_LIMIT: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(direct, { 'x-forwarded-for': `198.51.100.${i}`, ...invented(i) })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await direct.close();
    }
  });
});
