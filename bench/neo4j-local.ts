// Benchmark of the local Neo4j as an operator meets it: start (cold and warm), stop, the JVM's resident memory
// and the size of the cached distribution. Heap and page cache come from config.local, so RIPPLE_NEO4J_HEAP and
// RIPPLE_NEO4J_PAGECACHE override them, e.g. `RIPPLE_NEO4J_HEAP=512m npm run bench -- neo4j`.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config/config';
import { connect, type Db } from '../server/neo4j/db';
import { ensureDistribution, folderBytes } from '../server/neo4j/local/distribution';
import { startLocalNeo4j, type LocalNeo4j } from '../server/neo4j/local/local-neo4j';
import { median, time, timed } from './stats';

export const name = 'neo4j-local';

const WARM_RUNS = 3;
const WORKLOAD_NODES = 10_000;
const MB = 1024 ** 2;

interface Running {
  neo4j: LocalNeo4j;
  db: Db;
}

/** Resident memory of a process from /proc/<pid>/status, or undefined where there is no /proc. */
async function rssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function processGone(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (bytes: number | undefined): string => (bytes === undefined ? 'n/a' : `${(bytes / MB).toFixed(0)} MB`);

export async function run(): Promise<void> {
  const config = loadConfig();
  const { version, heapBytes, pagecacheBytes, startTimeoutMs } = config.local;
  const cacheDir = config.cacheDir;

  // The distribution is fetched (first use only) before any clock starts: the figures are for a cached one.
  await ensureDistribution({ version, cacheDir });

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ripple-bench-neo4j-'));
  let current: Running | undefined;

  /** From calling startLocalNeo4j to Bolt answering `RETURN 1` through connect. */
  const start = async (): Promise<{ ms: number; value: Running }> =>
    timed(async () => {
      const neo4j = await startLocalNeo4j({ version, cacheDir, dataDir, heapBytes, pagecacheBytes, startTimeoutMs });
      try {
        const db = await connect({
          uri: neo4j.uri,
          username: neo4j.username,
          password: neo4j.password,
          database: config.neo4jDatabase,
          timeoutMs: config.neo4jConnectTimeoutMs,
        });
        current = { neo4j, db };
        await db.read((tx) => tx.run('RETURN 1'));
        return current;
      } catch (e) {
        await neo4j.stop();
        throw e;
      }
    });

  /** From the stop() call to the JVM's process being gone; the driver is closed first, off the clock. */
  const stop = async (r: Running): Promise<number> => {
    await r.db.driver.close();
    const ms = await time(async () => {
      await r.neo4j.stop();
      await processGone(r.neo4j.pid);
    });
    current = undefined;
    return ms;
  };

  const stopMs: number[] = [];
  const warmMs: number[] = [];
  const warmRss: (number | undefined)[] = [];
  let coldMs: number;
  let rssAfterStart: number | undefined;
  let rssAfterWorkload: number | undefined;
  let writeMs: number;
  let countMs: number;
  let counted: unknown;
  try {
    const cold = await start();
    coldMs = cold.ms;
    rssAfterStart = await rssBytes(cold.value.neo4j.pid);
    const db = cold.value.db;
    writeMs = await time(() =>
      db.write((tx) => tx.run('UNWIND range(1, $n) AS i CREATE (:BenchNode {i: i})', { n: WORKLOAD_NODES })),
    );
    const count = await timed(() => db.read((tx) => tx.run('MATCH (n:BenchNode) RETURN count(n) AS c')));
    countMs = count.ms;
    counted = count.value.records[0]?.get('c');
    rssAfterWorkload = await rssBytes(cold.value.neo4j.pid);
    stopMs.push(await stop(cold.value));

    for (let i = 0; i < WARM_RUNS; i++) {
      const warm = await start();
      warmMs.push(warm.ms);
      warmRss.push(await rssBytes(warm.value.neo4j.pid));
      stopMs.push(await stop(warm.value));
    }
  } finally {
    if (current) {
      const r: Running = current;
      await r.db.driver.close().catch(() => undefined);
      await r.neo4j.stop().catch(() => undefined);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  const distBytes = await folderBytes(path.join(cacheDir, `neo4j-${version}`));
  const warmRssKnown = warmRss.filter((x): x is number => x !== undefined);
  const list = (xs: number[]): string => xs.map((x) => (x / 1000).toFixed(2)).join(' / ');

  const rows: [string, string, string][] = [
    ['cold start (empty store -> RETURN 1)', seconds(coldMs), '1 run'],
    ['warm start (same store -> RETURN 1)', seconds(median(warmMs)), `median of ${warmMs.length}: ${list(warmMs)} s`],
    ['stop (stop() -> JVM gone)', seconds(median(stopMs)), `median of ${stopMs.length}: ${list(stopMs)} s`],
    ['JVM RSS right after cold start', megabytes(rssAfterStart), 'VmRSS'],
    [
      `JVM RSS after ${WORKLOAD_NODES.toLocaleString('en')}-node write + count`,
      megabytes(rssAfterWorkload),
      `write ${writeMs.toFixed(0)} ms, count ${countMs.toFixed(0)} ms -> ${String(counted)}`,
    ],
    [
      'JVM RSS right after warm start',
      megabytes(warmRssKnown.length ? median(warmRssKnown) : undefined),
      `median of ${warmRssKnown.length}`,
    ],
    ['cached distribution', megabytes(distBytes), path.join(cacheDir, `neo4j-${version}`)],
    ['configured heap', megabytes(heapBytes), 'RIPPLE_NEO4J_HEAP'],
    ['configured page cache', megabytes(pagecacheBytes), 'RIPPLE_NEO4J_PAGECACHE'],
  ];

  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(`Neo4j Community ${version}, local, Node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}`);
  for (const [label, value, note] of rows) console.log(`  ${label.padEnd(w0)}  ${value.padStart(w1)}  ${note}`);
  console.log('command: npm run bench -- neo4j');
}
