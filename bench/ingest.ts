// Ingestion throughput: CIs/s and relationships/s through Ripple's public upsertCis (batches of 1,000) into an
// estate of BENCH_INGEST_SIZE CIs (default 100,000), first load and idempotent re-load; then the same estate
// through the raw neo4j-driver with hand-written UNWIND/MERGE Cypher, the floor Ripple's path is compared to.
import { generateEstate } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { withBenchRipple } from './ripple';
import { timed } from './stats';

export const name = 'ingest';

export async function run(): Promise<void> {
  const size = Number(process.env.BENCH_INGEST_SIZE ?? 100_000);
  const batchSize = 1000;
  const model = loadClassModel();
  await withBenchRipple('ingest', {}, async (ripple) => {
    const estate = generateEstate({ size });
    const nCis = estate.cis.length;
    const nRels = estate.relationships.length;
    // Phases are timed separately: the chunks that carry CIs (with the relationships whose ends are known by
    // then, as the shared sender sends them), then the remaining relationship chunks.
    let ciDoneAt = 0;
    const t0 = performance.now();
    const first = await timed(() =>
      loadEstate(estate, {
        url: ripple.url,
        model,
        batchSize,
        source: 'bench',
        onProgress: (done) => {
          if (!ciDoneAt && done >= nCis) ciDoneAt = performance.now();
        },
      }),
    );
    const ciSecs = (ciDoneAt - t0) / 1000;
    const relSecs = first.ms / 1000 - ciSecs;
    const again = await timed(() => loadEstate(estate, { url: ripple.url, model, batchSize, source: 'bench' }));
    console.log(`Ripple: first load ${(first.ms / 1000).toFixed(1)} s (CI chunks ${ciSecs.toFixed(1)} s), re-load ${(again.ms / 1000).toFixed(1)} s`);

    // The floor: one UNWIND/MERGE per batch on the id, labels set dynamically, no identification or history.
    const driver = ripple.db.driver;
    const session = () => driver.session({ database: 'neo4j' });
    const s0 = session();
    try {
      await s0.run('CREATE CONSTRAINT raw_ci IF NOT EXISTS FOR (n:RawCI) REQUIRE n.key IS UNIQUE');
    } finally {
      await s0.close();
    }
    const rawCis = estate.cis.map((c) => ({
      key: c.key,
      labels: model.labelsFor(c.className).filter((l) => l !== 'CI'),
      props: { name: c.name, class: c.className, environment: c.environment, lifecycle: c.lifecycle, criticality: c.criticality, ...c.attributes },
    }));
    const rawLoad = async () => {
      const t = performance.now();
      for (let i = 0; i < rawCis.length; i += batchSize) {
        const s = session();
        try {
          await s.executeWrite((tx) =>
            tx.run('UNWIND $rows AS row MERGE (n:RawCI {key: row.key}) SET n:$(row.labels) SET n += row.props', { rows: rawCis.slice(i, i + batchSize) }),
          );
        } finally {
          await s.close();
        }
      }
      const ciMs = performance.now() - t;
      for (let i = 0; i < estate.relationships.length; i += batchSize) {
        // Relationship types written literally, one statement per type (a dynamic type in MERGE scans every
        // relationship in the store per row); an existing relationship is not written again.
        const byType = new Map<string, typeof estate.relationships>();
        for (const r of estate.relationships.slice(i, i + batchSize)) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
        const s = session();
        try {
          await s.executeWrite(async (tx) => {
            for (const [type, rels] of byType) {
              await tx.run(
                `UNWIND $rels AS rel MATCH (a:RawCI {key: rel.from}), (b:RawCI {key: rel.to}) MERGE (a)-[r:${type}]->(b) ON CREATE SET r.firstSeen = datetime()`,
                { rels },
              );
            }
          });
        } finally {
          await s.close();
        }
      }
      return { ciMs, relMs: performance.now() - t - ciMs };
    };
    const rawFirst = await rawLoad();
    const rawAgain = await rawLoad();

    const rate = (n: number, secs: number) => Math.round(n / Math.max(secs, 0.001));
    const rows = [
      { path: 'Ripple upsertCis, first load', 'CIs/s': rate(nCis, ciSecs), 'relationships/s': rate(nRels, relSecs), 'total s': Number((first.ms / 1000).toFixed(1)) },
      { path: 'Ripple upsertCis, idempotent re-load', 'CIs/s': rate(nCis, again.ms / 1000 - relSecs * (again.ms / first.ms)), 'relationships/s': '-', 'total s': Number((again.ms / 1000).toFixed(1)) },
      { path: 'raw driver UNWIND/MERGE, first load', 'CIs/s': rate(nCis, rawFirst.ciMs / 1000), 'relationships/s': rate(nRels, rawFirst.relMs / 1000), 'total s': Number(((rawFirst.ciMs + rawFirst.relMs) / 1000).toFixed(1)) },
      { path: 'raw driver UNWIND/MERGE, re-load', 'CIs/s': rate(nCis, rawAgain.ciMs / 1000), 'relationships/s': rate(nRels, rawAgain.relMs / 1000), 'total s': Number(((rawAgain.ciMs + rawAgain.relMs) / 1000).toFixed(1)) },
    ];
    console.log(`estate: ${nCis} CIs, ${nRels} relationships, batches of ${batchSize}`);
    console.table(rows);
    console.log(`Ripple / raw floor, first load total time: ${(first.ms / (rawFirst.ciMs + rawFirst.relMs)).toFixed(2)}x; re-load: ${(again.ms / (rawAgain.ciMs + rawAgain.relMs)).toFixed(2)}x`);
    console.log('command: npm run bench -- ingest   (BENCH_INGEST_SIZE to change the estate size)');
  });
}
