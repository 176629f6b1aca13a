// Where a first load's time goes: loads a generated estate (PROFILE_SIZE CIs, default 20,000) through upsertCis
// once, after a warm-up, and prints the time per upsert stage (ripple_upsert_stage_seconds), per Cypher statement
// (client wall time and the server's own figures from each result summary) and per GraphQL operation. Run it under
// `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/ingest-profile.ts` for a CPU profile of the same load,
// and summarise that with bench/cpu-profile-summary.ts. PROFILE_IN_FLIGHT=1 sends one request at a time;
// PROFILE_PASS=reload profiles the idempotent re-load.
// Not part of `npm run bench`: it patches the store connection to time statements, which the real benchmark must not.
import { generateEstate } from '../seed/estate';
import { estateToBatch } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { sendBatch } from '../server/ingest/send';
import { metrics } from '../server/metrics';
import { Db, type Tx } from '../server/neo4j/db';
import { withBenchRipple } from './ripple';
import { timed } from './stats';

interface StatementTimes {
  count: number;
  wallMs: number;
  serverMs: number;
}

const statements = new Map<string, StatementTimes>();
let recording = false;

/** A statement's first words, enough to tell Ripple's statements apart. */
function statementName(query: string): string {
  return query.replace(/\s+/g, ' ').trim().slice(0, 90);
}

// Times every tx.run of every transaction Ripple opens. The wrapper is private to Db; patched here only.
const proto = Db.prototype as unknown as { wrap(tx: unknown): Tx };
const wrap = proto.wrap;
proto.wrap = function (this: Db, raw: unknown): Tx {
  const tx = wrap.call(this, raw);
  return {
    procedures: tx.procedures,
    run: async (query, params) => {
      const start = performance.now();
      const res = await tx.run(query, params);
      if (recording) {
        const s = statements.get(statementName(query)) ?? { count: 0, wallMs: 0, serverMs: 0 };
        s.count += 1;
        s.wallMs += performance.now() - start;
        s.serverMs += Number(res.summary.resultAvailableAfter) + Number(res.summary.resultConsumedAfter);
        statements.set(statementName(query), s);
      }
      return res;
    },
  };
};

async function histogramSums(name: string): Promise<Map<string, { sum: number; count: number }>> {
  const m = await metrics.registry.getSingleMetric(name)!.get();
  const out = new Map<string, { sum: number; count: number }>();
  for (const v of m.values as { labels: Record<string, string | number>; value: number; metricName?: string }[]) {
    if ('le' in v.labels) continue;
    const label = Object.values(v.labels).join('/');
    const e = out.get(label) ?? { sum: 0, count: 0 };
    if (v.metricName?.endsWith('_sum')) e.sum = v.value;
    if (v.metricName?.endsWith('_count')) e.count = v.value;
    out.set(label, e);
  }
  return out;
}

async function main(): Promise<void> {
  const size = Number(process.env.PROFILE_SIZE ?? 20_000);
  const inFlight = Number(process.env.PROFILE_IN_FLIGHT ?? 2);
  const model = loadClassModel();
  await withBenchRipple('ingest-profile', {}, async (ripple) => {
    const load = (estate: ReturnType<typeof generateEstate>, source: string) =>
      sendBatch({ url: ripple.url, batch: estateToBatch(estate, model, source), batchSize: 1000, inFlight });
    // Warm-up on a small estate, deleted afterwards (as bench/ingest.ts does), so the measured load creates every CI.
    await load(generateEstate({ size: 3000 }), 'bench');
    const wipe = ripple.db.driver.session({ database: 'neo4j' });
    try {
      await wipe.run('MATCH (n) WHERE n:CI OR n:IdentKey OR n:History OR n:Team CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
    } finally {
      await wipe.close();
    }
    metrics.registry.resetMetrics();
    const estate = generateEstate({ size });
    // PROFILE_PASS=reload measures the idempotent re-load instead: the first load then goes unrecorded.
    if (process.env.PROFILE_PASS === 'reload') {
      await load(estate, 'bench');
      metrics.registry.resetMetrics();
    }
    recording = true;
    const first = await timed(() => load(estate, 'bench'));
    recording = false;
    const secs = first.ms / 1000;
    console.log(`${process.env.PROFILE_PASS === 'reload' ? 're-load' : 'first load'} of ${estate.cis.length} CIs and ${estate.relationships.length} relationships, ${inFlight} in flight: ${secs.toFixed(1)} s, ${Math.round(estate.cis.length / secs)} CIs/s`);
    const gql = await histogramSums('ripple_graphql_request_duration_seconds');
    console.log('GraphQL operations (server-side, whole request):');
    console.table([...gql].map(([op, v]) => ({ op, count: v.count, 'total s': v.sum.toFixed(2) })));
    const stages = await histogramSums('ripple_upsert_stage_seconds');
    console.log('upsert stages:');
    console.table([...stages].sort((a, b) => b[1].sum - a[1].sum).map(([stage, v]) => ({ stage, count: v.count, 'total s': v.sum.toFixed(2) })));
    const tx = await histogramSums('ripple_cypher_transaction_duration_seconds');
    console.log('transactions:');
    console.table([...tx].map(([mode, v]) => ({ mode, count: v.count, 'total s': v.sum.toFixed(2) })));
    console.log('statements:');
    const rows = [...statements].sort((a, b) => b[1].wallMs - a[1].wallMs);
    console.table(rows.map(([q, s]) => ({ statement: q, count: s.count, 'wall s': (s.wallMs / 1000).toFixed(2), 'server s': (s.serverMs / 1000).toFixed(2) })));
    const wall = rows.reduce((t, [, s]) => t + s.wallMs, 0);
    const server = rows.reduce((t, [, s]) => t + s.serverMs, 0);
    console.log(`all statements: ${rows.reduce((t, [, s]) => t + s.count, 0)}, wall ${(wall / 1000).toFixed(1)} s, server ${(server / 1000).toFixed(1)} s`);
  });
}

await main();
