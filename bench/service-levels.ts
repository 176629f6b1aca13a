// The service-level report over a year of incidents for 5,000 services, as a client sees it over HTTP. The
// services go in through upsertCis; their levels, the incidents and their impact intervals are written straight
// into the store in the shape Ripple keeps them (opening 20,000 incidents through the API would measure impact
// analysis, not this report).
import { withBenchRipple } from './ripple';
import { median, percentile, timed } from './stats';

export const name = 'service-levels';

async function gql(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return body.data!;
}

/** A small deterministic generator, so two runs measure the same estate. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export async function run(): Promise<void> {
  const services = Number(process.env.BENCH_SL_SERVICES ?? 5000);
  const incidents = Number(process.env.BENCH_SL_INCIDENTS ?? 20_000);
  await withBenchRipple('sl', {}, async (ripple) => {
    const url = ripple.url;
    const items = Array.from({ length: services }, (_, i) => ({ ref: `s${i}`, className: 'ApplicationService', name: `bench-svc-${i}` }));
    const ids: string[] = [];
    for (let i = 0; i < items.length; i += 5000) {
      const r = await gql(url, 'mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { ... on MutationUpsertCisSuccess { data { items { id } } } } }', {
        i: { source: 'bench', items: items.slice(i, i + 5000), relationships: [] },
      });
      ids.push(...(r.upsertCis as { data: { items: { id: string }[] } }).data.items.map((x) => x.id));
    }
    console.log(`${ids.length} services written through upsertCis`);
    const now = Date.now();
    const yearStart = Date.UTC(new Date(now).getUTCFullYear(), 0, 1);
    const rand = rng(19);
    const rows = Array.from({ length: incidents }, (_, i) => {
      const start = yearStart + rand() * (now - yearStart - 3600_000);
      const hits = 1 + Math.floor(rand() * 5);
      return {
        id: `inc_bench_${i}`,
        number: `INC-B${i}`,
        start: new Date(start).toISOString(),
        end: new Date(start + 60_000 * (5 + rand() * 240)).toISOString(),
        services: Array.from({ length: hits }, () => ids[Math.floor(rand() * ids.length)]!),
        state: rand() < 0.7 ? 'DOWN' : 'DEGRADED',
      };
    });
    await ripple.db.write(async (tx) => {
      await tx.run(
        `UNWIND $ids AS sid MATCH (s:CI {id: sid})
         CREATE (s)-[:HAS_SERVICE_LEVEL]->(:ServiceLevel {serviceId: s.id, targetPercent: 99.9, period: 'YEAR', timeZone: 'Europe/Paris',
                 degradedWeight: 0.5, updatedAt: datetime(), updatedBy: 'bench'})`,
        { ids },
      );
    });
    for (let i = 0; i < rows.length; i += 2000) {
      await ripple.db.write((tx) =>
        tx.run(
          `UNWIND $rows AS row
           CREATE (i:Incident {id: row.id, number: row.number, title: row.number, severity: 'SEV3', status: 'RESOLVED',
                               openedAt: datetime(row.start), resolvedAt: datetime(row.end), openedBy: 'bench'})
           WITH i, row UNWIND row.services AS sid
           MATCH (s:CI {id: sid})
           CREATE (i)-[:IMPACTED {state: row.state, from: datetime(row.start), to: datetime(row.end)}]->(s)`,
          { rows: rows.slice(i, i + 2000) },
        ),
      );
    }
    const intervals = rows.reduce((n, r) => n + r.services.length, 0);
    console.log(`${services} services with a yearly level (Europe/Paris, degraded weighted 0.5); ${incidents} incidents this year, ${intervals} impact intervals`);
    const cases: [string, string][] = [
      ['serviceLevels, 100 most at risk', '{ serviceLevels(limit: 100) { serviceId availabilityPercent budgetLeftPercent burnRate status incidents { incidentId share } } }'],
      ['serviceLevels, atRiskOnly, 1000', '{ serviceLevels(atRiskOnly: true, limit: 1000) { serviceId budgetLeftMinutes status } }'],
    ];
    const table: Record<string, string | number>[] = [];
    for (const [label, q] of cases) {
      await gql(url, q);
      const times: number[] = [];
      let returned = 0;
      for (let i = 0; i < 10; i++) {
        const { ms, value } = await timed(() => gql(url, q));
        times.push(ms);
        returned = (value.serviceLevels as unknown[]).length;
      }
      table.push({ query: label, returned, 'p50 ms': Number(median(times).toFixed(0)), 'p95 ms': Number(percentile(times, 95).toFixed(0)) });
    }
    console.table(table);
    console.log('command: npm run bench -- service-levels   (BENCH_SL_SERVICES, BENCH_SL_INCIDENTS to change the estate); 1 warm-up + 10 timed requests each');
  });
}
