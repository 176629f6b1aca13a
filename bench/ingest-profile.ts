// Where a first load's time goes: loads a generated estate (PROFILE_SIZE CIs, default 20,000) through upsertCis
// once, after a warm-up, and prints the time per upsert stage (ripple_upsert_stage_seconds), per Cypher statement
// (client wall time and the server's own figures from each result summary) and per GraphQL operation. Run it under
// `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/ingest-profile.ts` for a CPU profile of the same load,
// and summarise that with bench/cpu-profile-summary.ts. PROFILE_IN_FLIGHT=1 sends one request at a time;
// PROFILE_PASS=reload profiles the idempotent re-load.
// PROFILE_JFR=<file.jfr> records a Java Flight Recording of the local Neo4j during the measured load (read it
// with `jfr print --events jdk.ExecutionSample` or `jfr summary`), to see what the server does in a commit.
// PROFILE_WARM=<CIs> sizes the warm-up estate (default 3,000) and PROFILE_WARM_ROUNDS=<n> repeats it until the
// JVM's JIT compilers have settled (at most n rounds): they go on compiling Neo4j's hot paths for minutes.
// Each load prints the JVM's CPU by thread (JIT compilers, Bolt workers, index updates); PROFILE_CPU=<file> writes
// a V8 CPU profile of this process during the measured load only.
// PROFILE_PLANS=1 prints each statement's plan.
// PROFILE_FLOOR=1 then writes the same records by hand (bench/ingest.ts) in the same JVM, as the reference.
// PROFILE_DROP_INDEXES=a,b drops those indexes or constraints before the load: a scratch measure of what each costs.
// Not part of `npm run bench`: it patches the store connection to time statements, which the real benchmark must not.
import { generateEstate } from '../seed/estate';
import { estateToBatch } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { sendBatch } from '../server/ingest/send';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { metrics } from '../server/metrics';
import { Db, type Tx } from '../server/neo4j/db';
import { recordsLoad } from './ingest';
import { cpuDuring, describeWarmth, threadCpu, warmUntilSettled } from './jvm-cpu';
import { withBenchRipple } from './ripple';
import { timed } from './stats';

interface StatementTimes {
  count: number;
  wallMs: number;
  serverMs: number;
  /** The slowest single run (server time), a plan gone wrong shows here before it shows in the total. */
  maxMs: number;
}

const statements = new Map<string, StatementTimes>();
/** PROFILE_PLANS=1: each statement's plan (operators and details), from an EXPLAIN run beside its first execution. */
const plans = new Map<string, string>();

interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  children: PlanNode[];
}

function planText(plan: unknown, depth = 0): string {
  if (!plan || typeof plan !== 'object') return '';
  const p = plan as PlanNode;
  const details = typeof p.arguments.Details === 'string' ? ` ${p.arguments.Details}` : '';
  return [`${'  '.repeat(depth)}${p.operatorType}${details}`, ...p.children.map((c) => planText(c, depth + 1))].join('\n');
}
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
      // Planned again as the store grows (Neo4j replans when its statistics move): the plan of the last run counts.
      if (recording && process.env.PROFILE_PLANS) plans.set(statementName(query), planText((await tx.run(`EXPLAIN ${query}`, params)).summary.plan));
      const res = await tx.run(query, params);
      if (recording) {
        const s = statements.get(statementName(query)) ?? { count: 0, wallMs: 0, serverMs: 0, maxMs: 0 };
        const serverMs = Number(res.summary.resultAvailableAfter) + Number(res.summary.resultConsumedAfter);
        s.count += 1;
        s.wallMs += performance.now() - start;
        s.serverMs += serverMs;
        s.maxMs = Math.max(s.maxMs, serverMs);
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

/** Starts a flight recording on the JVM with this pid; returns the command that dumps and stops it. */
function startJfr(pid: number | undefined, file: string | undefined): () => void {
  if (!pid || !file) return () => undefined;
  execFileSync('jcmd', [String(pid), 'JFR.start', 'name=ingest', 'settings=profile']);
  return () => void execFileSync('jcmd', [String(pid), 'JFR.stop', 'name=ingest', `filename=${file}`]);
}

/** PROFILE_CPU=<file.cpuprofile>: a V8 CPU profile of this process during the measured load only. */
async function startCpuProfile(file: string | undefined): Promise<() => Promise<void>> {
  if (!file) return async () => undefined;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

function byThreadName(before: Map<string, { name: string; cpu: number }>, after: Map<string, { name: string; cpu: number }>): string {
  const byName = new Map<string, number>();
  for (const [tid, t] of after) {
    const n = t.name.replace(/[0-9]+/g, '#');
    byName.set(n, (byName.get(n) ?? 0) + t.cpu - (before.get(tid)?.cpu ?? 0));
  }
  return [...byName].filter(([, v]) => v > 0.05).sort((a, b) => b[1] - a[1]).map(([n, v]) => `${n} ${v.toFixed(1)}`).join(', ');
}

async function dropIndexes(ripple: { db: Db }, names: string[]): Promise<void> {
  const s = ripple.db.driver.session({ database: 'neo4j' });
  try {
    const constraints = new Set((await s.run('SHOW CONSTRAINTS YIELD name')).records.map((r) => r.get('name') as string));
    for (const n of names) await s.run(constraints.has(n) ? `DROP CONSTRAINT ${n}` : `DROP INDEX ${n}`);
  } finally {
    await s.close();
  }
}

/** The same estate's records written by hand (bench/ingest.ts), in the same JVM right after: the reference. */
async function floor(ripple: { db: Db; localNeo4j?: { pid: number } | undefined }, estate: ReturnType<typeof generateEstate>, model: ReturnType<typeof loadClassModel>): Promise<void> {
  const stopJfr = startJfr(ripple.localNeo4j?.pid, process.env.PROFILE_JFR?.replace(/\.jfr$/, '.floor.jfr'));
  const t0 = threadCpu(ripple.localNeo4j?.pid);
  const rec = await cpuDuring(ripple.localNeo4j?.pid, () => timed(() => recordsLoad(ripple.db.driver, estate, model, 'rec_')));
  stopJfr();
  console.log('floor threads: ' + byThreadName(t0, threadCpu(ripple.localNeo4j?.pid)));
  console.log(`the same records written by hand: ${(rec.value.ms / 1000).toFixed(1)} s; CPU ${rec.cpu}`);
}

async function main(): Promise<void> {
  const size = Number(process.env.PROFILE_SIZE ?? 20_000);
  const inFlight = Number(process.env.PROFILE_IN_FLIGHT ?? 2);
  const model = loadClassModel();
  await withBenchRipple('ingest-profile', {}, async (ripple) => {
    const load = (estate: ReturnType<typeof generateEstate>, source: string) =>
      sendBatch({ url: ripple.url, batch: estateToBatch(estate, model, source), batchSize: 1000, inFlight });
    // Warm-up on a small estate, deleted afterwards (as bench/ingest.ts does), so the measured load creates every CI;
    // PROFILE_WARM_ROUNDS=n repeats it until the JVM's JIT compilers have settled, at most n times.
    const warmEstate = generateEstate({ size: Number(process.env.PROFILE_WARM ?? 3000) });
    const warmth = await warmUntilSettled(ripple.localNeo4j?.pid, async () => {
      await load(warmEstate, 'bench');
      const wipe = ripple.db.driver.session({ database: 'neo4j' });
      try {
        await wipe.run('MATCH (n) WHERE n:CI OR n:IdentKey OR n:History OR n:Team CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
      } finally {
        await wipe.close();
      }
    }, { maxRounds: Number(process.env.PROFILE_WARM_ROUNDS ?? 1) });
    console.log(describeWarmth(warmth));
    const drop = (process.env.PROFILE_DROP_INDEXES ?? '').split(',').filter(Boolean);
    if (drop.length) await dropIndexes(ripple, drop);
    metrics.registry.resetMetrics();
    const estate = generateEstate({ size });
    // PROFILE_PASS=reload measures the idempotent re-load instead: the first load then goes unrecorded.
    if (process.env.PROFILE_PASS === 'reload') {
      await load(estate, 'bench');
      metrics.registry.resetMetrics();
    }
    recording = true;
    const stopJfr = startJfr(ripple.localNeo4j?.pid, process.env.PROFILE_JFR);
    const jvm = ripple.localNeo4j?.pid;
    const stopCpu = await startCpuProfile(process.env.PROFILE_CPU);
    const threads0 = threadCpu(jvm);
    const { value: first, cpu } = await cpuDuring(jvm, () => timed(() => load(estate, 'bench')));
    const threads1 = threadCpu(jvm);
    await stopCpu();
    console.log('Ripple threads: ' + byThreadName(threads0, threads1));
    stopJfr();
    recording = false;
    const secs = first.ms / 1000;
    console.log(`${process.env.PROFILE_PASS === 'reload' ? 're-load' : 'first load'} of ${estate.cis.length} CIs and ${estate.relationships.length} relationships, ${inFlight} in flight: ${secs.toFixed(1)} s, ${Math.round(estate.cis.length / secs)} CIs/s`);
    console.log(`CPU during the load: ${cpu} (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);
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
    console.table(rows.map(([q, s]) => ({ statement: q, count: s.count, 'wall s': (s.wallMs / 1000).toFixed(2), 'server s': (s.serverMs / 1000).toFixed(2), 'max ms': s.maxMs })));
    for (const [q, plan] of plans) console.log(`plan of ${q}\n${plan}\n`);
    if (process.env.PROFILE_FLOOR) await floor(ripple, estate, model);
    const wall = rows.reduce((t, [, s]) => t + s.wallMs, 0);
    const server = rows.reduce((t, [, s]) => t + s.serverMs, 0);
    console.log(`all statements: ${rows.reduce((t, [, s]) => t + s.count, 0)}, wall ${(wall / 1000).toFixed(1)} s, server ${(server / 1000).toFixed(1)} s`);
  });
}

await main();
