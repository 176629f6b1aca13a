// The impact read model alone, without Neo4j: built from the generated estate (BENCH_IMPACT_SIZE, default
// 1,000,000 CIs) as the loader would hand it rows, with its build time and memory, and p50/p95 of its walk and
// propagation for the shared database cluster member and a leaf. Seeding a million CIs through the API takes
// hours on a small machine; this shows what the model itself costs at that size. The `impact` benchmark measures
// the whole request (and the load from Neo4j) at sizes that can be seeded.
import { generateEstate, SHARED_DATABASE_CLUSTER, type SeedEstate } from '../seed/estate';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { pageOfReport, propagateImpact } from '../server/domain/impact';
import { ImpactReadModel, type ModelRow } from '../server/domain/impact/read-model';
import { MAX_IMPACT_DEPTH } from '../server/services/impact';
import { median, percentile, timed } from './stats';

export const name = 'read-model';

function rowsOf(estate: SeedEstate): ModelRow[] {
  const teams = new Map(estate.teams.map((t) => [t.key, t.name]));
  const out = new Map<string, ModelRow['out']>();
  for (const r of estate.relationships) {
    const list = out.get(r.from) ?? [];
    list.push({ to: r.to, type: r.type, absent: false });
    out.set(r.from, list);
  }
  return estate.cis.map((c) => ({
    id: c.key,
    name: c.name,
    className: c.className,
    criticality: c.criticality,
    environment: c.environment,
    stale: false,
    redundancy: typeof c.attributes.redundancy === 'string' ? c.attributes.redundancy : null,
    retired: c.lifecycle === 'retired',
    owners: c.owner && teams.has(c.owner) ? [teams.get(c.owner)!] : [],
    out: out.get(c.key) ?? [],
  }));
}

function measure(label: string, runs: number, fn: () => unknown) {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return { case: label, 'p50 ms': Number(median(times).toFixed(1)), 'p95 ms': Number(percentile(times, 95).toFixed(1)) };
}

/**
 * The model built from a generated estate of `size` CIs, and the two CIs measured. The estate and its rows are let
 * go on return: a Ripple process holds the model, not what it was built from, and garbage collection during the
 * measured runs should see that heap.
 */
async function buildModel(size: number) {
  const model = loadClassModel();
  const generated = await timed(() => generateEstate({ size }));
  const estate = generated.value;
  const rows = rowsOf(estate);
  console.log(`generated ${estate.cis.length} CIs and ${estate.relationships.length} relationships in ${(generated.ms / 1000).toFixed(1)} s`);

  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const built = await timed(() => ImpactReadModel.build(model, rows, 1));
  const m = built.value;
  globalThis.gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const bytes = m.approximateBytes();
  console.log(
    `read model: built in ${(built.ms / 1000).toFixed(1)} s from rows in memory; arrays and strings ~${(bytes / 2 ** 20).toFixed(0)} MiB ` +
      `(${((bytes / estate.cis.length) * 100_000 / 2 ** 20).toFixed(1)} MiB per 100,000 CIs); heap grew ${heapMb.toFixed(0)} MiB` +
      `${globalThis.gc ? '' : ' (run node with --expose-gc for a steadier heap figure)'}`,
  );

  const shared = estate.cis.find((c) => c.className === 'Database' && c.name.includes(`${SHARED_DATABASE_CLUSTER}-primary`))!;
  const leaf = estate.cis.find((c) => c.className === 'KubernetesPod' && c.environment === 'production')!;
  return { m, shared: { key: shared.key, name: shared.name }, leaf: { key: leaf.key } };
}

export async function run(): Promise<void> {
  const size = Number(process.env.BENCH_IMPACT_SIZE ?? 1_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 20);
  const { m, shared, leaf } = await buildModel(size);
  const failed = (id: string) => [{ id, state: 'DOWN' as const }];
  // What a request does: propagation over the model's numeric ids; the first page builds 20 services' entries.
  const report = (id: string) => m.reach([id], MAX_IMPACT_DEPTH).propagate(failed(id), { maxPaths: 3 });
  const firstPage = (id: string) => pageOfReport(report(id), 'services', 0, 20);
  const full = (id: string) => {
    const r = report(id);
    return [r.services, r.teams, r.impacted];
  };
  // The string-id path (a subgraph of objects, sorted and indexed per request): the test oracle's way.
  const byStrings = (id: string) => propagateImpact(m.upstream([id], MAX_IMPACT_DEPTH), failed(id), { maxPaths: 3 }).services;
  const reached = (r: ReturnType<typeof report>) => `${r.impacted.length} CIs and ${r.services.length} services impacted`;
  console.log(`${shared.name}: ${reached(report(shared.key))}`);
  console.table([
    measure(`walk only: shared member (${shared.name})`, runs, () => m.upstreamIds([shared.key], MAX_IMPACT_DEPTH)),
    measure('walk + propagation, first page of 20 services + totals: shared member', runs, () => firstPage(shared.key)),
    measure('walk + propagation, full report (services, teams, every CI): shared member', runs, () => full(shared.key)),
    measure('string-id subgraph + propagation, services: shared member', Math.min(runs, 5), () => byStrings(shared.key)),
    measure('walk only: leaf', runs, () => m.upstreamIds([leaf.key], MAX_IMPACT_DEPTH)),
    measure('walk + propagation, first page: leaf', runs, () => firstPage(leaf.key)),
  ]);
  console.log('command: npm run bench -- read-model   (BENCH_IMPACT_SIZE, BENCH_RUNS)');
}
