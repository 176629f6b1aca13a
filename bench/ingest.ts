// Ingestion throughput: CIs/s and relationships/s through Ripple's public upsertCis (batches of 1,000) into an
// estate of BENCH_INGEST_SIZE CIs (default 100,000), first load and idempotent re-load; then the same estate
// through the raw neo4j-driver with hand-written UNWIND/MERGE Cypher, the floor Ripple's path is compared to
// (its re-load, like Ripple's, reads a stamp and writes only the rows that changed), and a second floor that
// writes the records Ripple keeps per CI (identification key, history, owner) by hand.
// Last, discovery runs over the loaded estate: a re-load inside a run and the time its completion takes.
// Every path is measured warm: a small estate goes through all of them first, and is then deleted.
import { createHash } from 'node:crypto';
import type { Driver } from 'neo4j-driver';
import { generateEstate, type SeedEstate } from '../seed/estate';
import { estateToBatch, loadEstate } from '../seed/load';
import { completeRun, startRun } from '../server/ingest/run';
import { sendBatch } from '../server/ingest/send';
import type { UpsertBatchInput } from '../server/services/upsert-batch';
import { searchText } from '../server/domain/ci/identity';
import { encodeProvenance } from '../server/domain/ci/provenance-codec';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import type { ClassModel } from '../server/domain/class-model/types';
import { cpuDuring } from './jvm-cpu';
import { withBenchRipple } from './ripple';
import { timed } from './stats';

export const name = 'ingest';

const BATCH = 1000;

interface Phases {
  ciMs: number;
  relMs: number;
}

/** One write transaction per chunk of rows, as a loader with the driver would do it. */
async function inChunks<T>(driver: Driver, rows: readonly T[], write: (tx: { run: (q: string, p: Record<string, unknown>) => Promise<unknown> }, chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const s = driver.session({ database: 'neo4j' });
    try {
      await s.executeWrite((tx) => write(tx, rows.slice(i, i + BATCH)));
    } finally {
      await s.close();
    }
  }
}

/**
 * Relationships, one literal-type MERGE statement per type and chunk (a dynamic type in MERGE scans every
 * relationship in the store per row). With `skipExisting`, a relationship that exists is only read, as Ripple reads
 * a re-sent one without locking it; otherwise MERGE finds it under its locks.
 */
async function mergeRelationships(driver: Driver, estate: SeedEstate, label: string, key: string, prefix: string, onCreate: string, skipExisting = false): Promise<void> {
  await inChunks(driver, estate.relationships, async (tx, chunk) => {
    const byType = new Map<string, { from: string; to: string }[]>();
    for (const r of chunk) byType.set(r.type, [...(byType.get(r.type) ?? []), { from: prefix + r.from, to: prefix + r.to }]);
    for (const [type, rels] of byType) {
      const missing = skipExisting ? `WHERE NOT EXISTS { (a)-[:${type}]->(b) }` : '';
      await tx.run(`UNWIND $rels AS rel MATCH (a:${label} {${key}: rel.from}), (b:${label} {${key}: rel.to}) ${missing} MERGE (a)-[r:${type}]->(b) ON CREATE SET ${onCreate}`, { rels });
    }
  });
}

// The floor's CI statements. Each row carries a stamp of what it writes (as Ripple keeps a stamp of what each source
// sent); the re-load compares stamps first and writes only the rows whose stamp differs, as Ripple's re-load does,
// so the re-load ratio compares like with like.
const RAW_FIRST = 'UNWIND $rows AS row MERGE (n:RawCI {key: row.key}) SET n:$(row.labels) SET n += row.props, n.stamp = row.stamp';
const RAW_AGAIN = `UNWIND $rows AS row OPTIONAL MATCH (old:RawCI {key: row.key})
  WITH row WHERE old IS NULL OR old.stamp <> row.stamp
  MERGE (n:RawCI {key: row.key}) SET n:$(row.labels) SET n += row.props, n.stamp = row.stamp`;

/** The floor: one UNWIND/MERGE per chunk on a unique key, labels set dynamically, no identification or history. */
async function rawLoad(driver: Driver, estate: SeedEstate, model: ClassModel, again = false): Promise<Phases> {
  const rows = estate.cis.map((c) => {
    const labels = model.labelsFor(c.className).filter((l) => l !== 'CI');
    const props = { name: c.name, class: c.className, environment: c.environment, lifecycle: c.lifecycle, criticality: c.criticality, ...c.attributes };
    return { key: c.key, labels, props, stamp: createHash('sha1').update(JSON.stringify([labels, props])).digest('base64url') };
  });
  const t = performance.now();
  await inChunks(driver, rows, (tx, chunk) => tx.run(again ? RAW_AGAIN : RAW_FIRST, { rows: chunk }));
  const ciMs = performance.now() - t;
  await mergeRelationships(driver, estate, 'RawCI', 'key', '', 'r.firstSeen = datetime()', again);
  return { ciMs, relMs: performance.now() - t - ciMs };
}

/**
 * A second floor for the first load: the records Ripple keeps for each CI, written by hand. Each CI is a :CI node
 * with the same properties (so the same indexes and full-text index apply), one identification key claimed under
 * its unique constraint, a History entry with the fields' before/after, and its owning team; relationships as in
 * the floor. Left out: reconciliation, the idempotency read, the GraphQL API, and a second identification key for
 * the classes that have two rules.
 */
export async function recordsLoad(driver: Driver, estate: SeedEstate, model: ClassModel, prefix: string): Promise<Phases> {
  const at = new Date().toISOString();
  const teamOf = new Map(estate.teams.map((t) => [t.key, t.name]));
  const rows = estate.cis.map((c) => {
    const fields = { name: c.name, environment: c.environment, lifecycle: c.lifecycle, criticality: c.criticality, ...(c.description ? { description: c.description } : {}), ...c.attributes };
    return {
      id: prefix + c.key,
      key: `${prefix}|${c.className}|${c.key}`,
      labels: model.labelsFor(c.className).filter((l) => l !== 'CI'),
      team: c.owner ? (teamOf.get(c.owner) ?? null) : null,
      props: {
        ...fields,
        class: c.className,
        searchText: searchText(c.name, c.description ?? null, c.attributes as Record<string, string>),
        provenance: encodeProvenance(Object.fromEntries(Object.keys(fields).map((f) => [f, { source: 'rec', at }]))),
        sources: ['rec'],
        ingestHashes: [`rec|${c.key}|`],
      },
      changes: JSON.stringify(Object.entries(fields).map(([field, after]) => ({ field, before: null, after }))),
    };
  });
  const t = performance.now();
  await inChunks(driver, rows, (tx, chunk) =>
    tx.run(
      `UNWIND $rows AS row
       MERGE (ik:IdentKey {key: row.key}) ON CREATE SET ik.ciId = row.id
       CREATE (n:CI {id: row.id})
       SET n:$(row.labels)
       SET n += row.props, n.createdAt = datetime($at), n.updatedAt = datetime($at)
       CREATE (ik)-[:IDENTIFIES]->(n)
       CREATE (:History {id: 'h' + row.id, at: datetime($at), actor: 'bench', source: 'rec', action: 'create', changes: row.changes})-[:ABOUT]->(n)
       WITH n, row WHERE row.team IS NOT NULL
       MATCH (t:Team {name: row.team})
       CREATE (n)-[:OWNED_BY]->(t)`,
      { rows: chunk, at },
    ),
  );
  const ciMs = performance.now() - t;
  await mergeRelationships(driver, estate, 'CI', 'id', prefix, "r.createdAt = datetime(), r.firstSeen = datetime(), r.sources = ['rec'], r.absent = false");
  return { ciMs, relMs: performance.now() - t - ciMs };
}

/**
 * The batch without every 100th CI that no relationship points to (so no scoped CI loses the parent that
 * identifies it), and without the relationships from those CIs.
 */
function withoutOnePercent(batch: UpsertBatchInput): UpsertBatchInput {
  const items = batch.items ?? [];
  const targets = new Set((batch.relationships ?? []).map((r) => r.to.ref));
  const dropped = new Set(items.filter((i, k) => k % 100 === 0 && i.ref && !targets.has(i.ref)).map((i) => i.ref));
  return {
    ...batch,
    items: items.filter((i) => !dropped.has(i.ref)),
    relationships: (batch.relationships ?? []).filter((r) => !dropped.has(r.from.ref) && !dropped.has(r.to.ref)),
  };
}

/**
 * Discovery runs over the loaded estate: a re-load inside a run (each CI and relationship gets its sighting), its
 * completion with nothing missed, then a run that misses 1% of the CIs and the completion that marks them.
 */
async function runPhases(url: string, estate: SeedEstate, model: ClassModel): Promise<void> {
  const batch = estateToBatch(estate, model, 'bench');
  const target = { url };
  const pass = async (b: UpsertBatchInput) => {
    const run = await startRun(target, 'bench', '');
    const load = await timed(() => sendBatch({ url, batch: { ...b, runId: run.id }, batchSize: BATCH }));
    const done = await timed(() => completeRun(target, run.id));
    return { loadMs: load.ms, completeMs: done.ms, run: done.value };
  };
  const full = await pass(batch);
  const partial = await pass(withoutOnePercent(batch));
  const secs = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `discovery runs on ${estate.cis.length} CIs: re-load inside a run ${secs(full.loadMs)} s, completing it (nothing missed) ${secs(full.completeMs)} s; ` +
      `a run missing ${estate.cis.length - (withoutOnePercent(batch).items ?? []).length} CIs ${secs(partial.loadMs)} s, completing it ${secs(partial.completeMs)} s ` +
      `(${partial.run.markedStale} CIs marked stale, ${partial.run.markedAbsent} relationships absent)`,
  );
}

export async function run(): Promise<void> {
  const size = Number(process.env.BENCH_INGEST_SIZE ?? 100_000);
  const model = loadClassModel();
  await withBenchRipple('ingest', {}, async (ripple) => {
    const driver = ripple.db.driver;
    const s0 = driver.session({ database: 'neo4j' });
    try {
      await s0.run('CREATE CONSTRAINT raw_ci IF NOT EXISTS FOR (n:RawCI) REQUIRE n.key IS UNIQUE');
    } finally {
      await s0.close();
    }
    const rippleLoad = (estate: SeedEstate) => timed(() => loadEstate(estate, { url: ripple.url, model, batchSize: BATCH, source: 'bench' }));

    // Warm-up: the JVM compiles and Neo4j plans every statement on a small estate, which is then deleted, so
    // no path pays for starting cold (the paths measured later would otherwise have an advantage). The JVM's JIT
    // compilers go on for minutes after it (bench/jvm-cpu.ts); the CPU printed per path shows what they took.
    const warm = generateEstate({ size: 3000 });
    await rippleLoad(warm);
    await rippleLoad(warm);
    await rawLoad(driver, warm, model);
    await rawLoad(driver, warm, model, true);
    await recordsLoad(driver, warm, model, 'warm_');
    const wipe = driver.session({ database: 'neo4j' });
    try {
      await wipe.run('MATCH (n) WHERE n:CI OR n:IdentKey OR n:History OR n:Team OR n:RawCI CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS');
    } finally {
      await wipe.close();
    }

    const estate = generateEstate({ size });
    const nCis = estate.cis.length;
    const nRels = estate.relationships.length;
    // Each chunk carries its 1,000 CIs and the relationships whose ends are known by then (the shared sender),
    // so Ripple's load has no separate relationship phase: its rates are over the whole load.
    const cpu: string[] = [];
    const noteCpu = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
      const r = await cpuDuring(ripple.localNeo4j?.pid, fn);
      cpu.push(`${label}: ${r.cpu}`);
      return r.value;
    };
    const first = await noteCpu('Ripple first load', () => rippleLoad(estate));
    const again = await rippleLoad(estate);
    console.log(`Ripple: first load ${(first.ms / 1000).toFixed(1)} s, re-load ${(again.ms / 1000).toFixed(1)} s`);
    const rawFirst = await rawLoad(driver, estate, model);
    const rawAgain = await rawLoad(driver, estate, model, true);
    const recFirst = await noteCpu('the same records by hand', () => recordsLoad(driver, estate, model, 'rec_'));

    const rate = (n: number, secs: number) => Math.round(n / Math.max(secs, 0.001));
    const total = (r: Phases) => (r.ciMs + r.relMs) / 1000;
    // Rates over the whole load (CIs and relationships in the same seconds) for every path; the floors also show
    // their two phases, CI statements then relationship statements.
    const ripplePath = (label: string, ms: number) => ({ path: label, 'total s': Number((ms / 1000).toFixed(1)), 'CIs/s': rate(nCis, ms / 1000), 'relationships/s': rate(nRels, ms / 1000), 'CI phase CIs/s': '-', 'relationship phase rels/s': '-' });
    const floor = (label: string, r: Phases) => ({
      path: label,
      'total s': Number(total(r).toFixed(1)),
      'CIs/s': rate(nCis, total(r)),
      'relationships/s': rate(nRels, total(r)),
      'CI phase CIs/s': rate(nCis, r.ciMs / 1000),
      'relationship phase rels/s': rate(nRels, r.relMs / 1000),
    });
    console.log(`estate: ${nCis} CIs, ${nRels} relationships, batches of ${BATCH}`);
    console.table([
      ripplePath('Ripple upsertCis, first load', first.ms),
      ripplePath('Ripple upsertCis, idempotent re-load', again.ms),
      floor('raw driver UNWIND/MERGE, first load', rawFirst),
      floor('raw driver UNWIND/MERGE, re-load (unchanged rows read, not written)', rawAgain),
      floor("raw driver, Ripple's records, first load", recFirst),
    ]);
    console.log(`Ripple / raw floor, first load: ${(first.ms / 1000 / total(rawFirst)).toFixed(2)}x; re-load: ${(again.ms / 1000 / total(rawAgain)).toFixed(2)}x`);
    console.log(`Ripple / the same records written by hand, first load: ${(first.ms / 1000 / total(recFirst)).toFixed(2)}x; those records / raw floor: ${(total(recFirst) / total(rawFirst)).toFixed(2)}x`);
    console.log(`CPU used during ${cpu.join('; ')}`);
    await runPhases(ripple.url, estate, model);
    console.log('command: npm run bench -- ingest   (BENCH_INGEST_SIZE to change the estate size)');
  });
}
