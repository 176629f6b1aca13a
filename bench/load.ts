// Mixed load against loopback with authentication on: BENCH_LOAD_CLIENTS (50) concurrent clients, each with an API
// token of its own role, for BENCH_LOAD_SECONDS (60): viewers read CIs and search, incident responders run impact
// analysis, discovery tokens upsert small batches to their own source. Prints throughput, p50/p99 per kind and
// errors; every request pays the token check, so the figures include authentication.
import { generateEstate } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import type { Role } from '../server/domain/auth/roles';
import { TokenService } from '../server/services/tokens';
import { withBenchRipple } from './ripple';
import { percentile } from './stats';

export const name = 'load';

type Kind = 'read' | 'search' | 'impact' | 'upsert';
const PLAN: { kind: Kind; role: Role }[] = [
  { kind: 'read', role: 'viewer' },
  { kind: 'read', role: 'viewer' },
  { kind: 'search', role: 'viewer' },
  { kind: 'impact', role: 'incident-responder' },
  { kind: 'upsert', role: 'discovery' },
];

interface Sample {
  kind: Kind;
  ms: number;
  error?: string;
}

export async function run(): Promise<void> {
  const clients = Number(process.env.BENCH_LOAD_CLIENTS ?? 50);
  const seconds = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
  const size = Number(process.env.BENCH_LOAD_SIZE ?? 5_000);
  const model = loadClassModel();
  await withBenchRipple('load', { RIPPLE_AUTH: 'on' }, async (ripple) => {
    const tokens = new TokenService(ripple.db);
    const mint = async (role: Role, i: number) =>
      (await tokens.create({ name: `load-${i}`, roles: [role], sources: role === 'discovery' ? [`load-${i}`, 'bench'] : null, expiresInDays: 1 }, 'bench')).token;
    const estate = generateEstate({ size });
    await loadEstate(estate, { url: ripple.url, model, batchSize: 1000, source: 'bench', token: await mint('discovery', -1) });
    const gql = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(`${ripple.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string }; message: string }[] };
      if (body.errors?.length) throw new Error(String(body.errors[0]!.extensions?.code ?? body.errors[0]!.message));
      return body.data!;
    };
    const reader = await mint('viewer', -2);
    const ids = ((await gql(reader, '{ cis(first: 500) { nodes { id } } }')) as { cis: { nodes: { id: string }[] } }).cis.nodes.map((n) => n.id);
    const words = ['orders', 'payments', 'db', 'web', 'cache', 'queue', 'api', 'prod'];
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

    const work: Record<Kind, (token: string, i: number, n: number) => Promise<unknown>> = {
      read: (t) => gql(t, 'query ($id: ID!) { ci(id: $id) { id name className owner { name } relationships { type } } }', { id: pick(ids) }),
      search: (t) => gql(t, 'query ($q: String!) { search(text: $q, first: 20) { score ci { id name } } }', { q: pick(words) }),
      impact: (t) => gql(t, 'query ($f: [FailedCiInput!]!) { impactAnalysis(failed: $f) { services { id } impacted { id } } }', { f: [{ id: pick(ids), state: 'DOWN' }] }),
      upsert: (t, i, n) =>
        gql(t, 'mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { __typename } }', {
          i: {
            source: `load-${i}`,
            items: Array.from({ length: 5 }, (_, k) => ({
              className: 'LinuxServer',
              name: `load-${i}-${(n * 5 + k) % 200}`,
              attributes: { hostname: `load-${i}-${(n * 5 + k) % 200}`, domain: 'bench.test', cpuCount: n % 16 },
            })),
          },
        }),
    };

    const samples: Sample[] = [];
    const until = Date.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, i) => {
        const { kind, role } = PLAN[i % PLAN.length]!;
        const token = await mint(role, i);
        for (let n = 0; Date.now() < until; n++) {
          const t0 = performance.now();
          try {
            await work[kind](token, i, n);
            samples.push({ kind, ms: performance.now() - t0 });
          } catch (e) {
            samples.push({ kind, ms: performance.now() - t0, error: (e as Error).message });
          }
        }
      }),
    );
    const wall = (performance.now() - started) / 1000;
    console.log(`${clients} clients for ${wall.toFixed(1)} s over ${estate.cis.length} CIs: ${samples.length} requests, ${(samples.length / wall).toFixed(0)}/s`);
    console.table(
      (['read', 'search', 'impact', 'upsert'] as Kind[]).map((kind) => {
        const ok = samples.filter((s) => s.kind === kind && !s.error).map((s) => s.ms);
        const errors = samples.filter((s) => s.kind === kind && s.error);
        return {
          kind,
          requests: ok.length + errors.length,
          'per s': Number(((ok.length + errors.length) / wall).toFixed(1)),
          'p50 ms': Number(percentile(ok, 50).toFixed(1)),
          'p99 ms': Number(percentile(ok, 99).toFixed(1)),
          errors: errors.length,
          'first error': errors[0]?.error ?? '',
        };
      }),
    );
  });
}
