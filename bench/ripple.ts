// A throw-away Ripple for a benchmark: its own local Neo4j in a temporary data directory (or NEO4J_URI), sized
// for load, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRipple, type Ripple } from '../server/app';
import { loadConfig } from '../server/config/config';
import { createLogger } from '../server/log';
import { connect } from '../server/neo4j/db';

/** Marks a database a benchmark created its data in; only such a database, or an empty one, is written to. */
const MARKER = 'RippleBenchmarkDatabase';

/**
 * Benchmarks load and then delete whole estates. Against a database NEO4J_URI names, that is only safe when the
 * database holds nothing yet (besides applied migrations) or an earlier benchmark marked it as its own: anything
 * else is refused before a single write, so a benchmark can never destroy a real CMDB.
 */
async function claimExternalDatabase(target: { uri: string; username: string; password: string; database: string }, bench: string): Promise<void> {
  const db = await connect({ ...target, timeoutMs: 15_000 });
  try {
    const { marked, others } = await db.read(async (tx) => {
      const r = await tx.run(
        `OPTIONAL MATCH (m:${MARKER}) WITH count(m) > 0 AS marked
         CALL () { MATCH (n) WHERE NOT n:RippleMigration AND NOT n:StoreVersion AND NOT n:${MARKER} RETURN count(n) AS others }
         RETURN marked, others`,
      );
      return { marked: r.records[0]!.get('marked') as boolean, others: r.records[0]!.get('others') as number };
    });
    if (!marked && others > 0) {
      throw new Error(
        `refusing to run the ${bench} benchmark against ${target.uri}: its database holds ${others} nodes and was not created by a benchmark; point NEO4J_URI at an empty database (or unset it to use a throw-away local Neo4j)`,
      );
    }
    await db.write((tx) => tx.run(`MERGE (m:${MARKER}) ON CREATE SET m.createdAt = datetime(), m.by = $bench`, { bench }));
  } finally {
    await db.driver.close();
  }
}

export async function withBenchRipple<T>(name: string, env: Record<string, string>, fn: (ripple: Ripple) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `ripple-bench-${name}-`));
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    RIPPLE_DATA_DIR: dataDir,
    RIPPLE_SEED: 'never',
    LOG_LEVEL: 'warn',
    RIPPLE_NEO4J_HEAP: process.env.RIPPLE_NEO4J_HEAP ?? '2g',
    RIPPLE_NEO4J_PAGECACHE: process.env.RIPPLE_NEO4J_PAGECACHE ?? '2g',
    ...env,
  });
  if (config.neo4j) await claimExternalDatabase(config.neo4j, name);
  const ripple = await startRipple(config, createLogger('warn'));
  try {
    return await fn(ripple);
  } finally {
    await ripple.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
