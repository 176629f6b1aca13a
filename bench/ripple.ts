// A throw-away Ripple for a benchmark: its own local Neo4j in a temporary data directory (or NEO4J_URI), sized
// for load, removed afterwards.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRipple, type Ripple } from '../server/app';
import { loadConfig } from '../server/config/config';
import { createLogger } from '../server/log';

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
  const ripple = await startRipple(config, createLogger('warn'));
  try {
    return await fn(ripple);
  } finally {
    await ripple.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
