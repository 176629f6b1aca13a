// Starts one real Neo4j for the whole integration run (or uses NEO4J_URI), applies the migrations, and hands
// the connection to every test file. Its JVM dies with this process even if the run crashes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/config/config';
import { connect } from '../../server/neo4j/db';
import { startLocalNeo4j, type LocalNeo4j } from '../../server/neo4j/local/local-neo4j';
import { migrate } from '../../server/neo4j/migrate';

export interface TestNeo4j {
  uri: string;
  username: string;
  password: string;
  database: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: TestNeo4j;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const config = loadConfig();
  let local: LocalNeo4j | undefined;
  let dataDir: string | undefined;
  let target: TestNeo4j;
  if (config.neo4j) {
    target = { ...config.neo4j };
  } else {
    dataDir = await mkdtemp(path.join(tmpdir(), 'ripple-test-neo4j-'));
    local = await startLocalNeo4j({
      version: config.local.version,
      cacheDir: config.cacheDir,
      dataDir,
      heapBytes: config.local.heapBytes,
      pagecacheBytes: 512 * 1024 ** 2,
      startTimeoutMs: config.local.startTimeoutMs,
    });
    process.stderr.write(`test Neo4j ${local.uri} (pid ${local.pid}) ready in ${local.startMs} ms\n`);
    target = { uri: local.uri, username: local.username, password: local.password, database: 'neo4j' };
  }
  const db = await connect({ ...target, timeoutMs: 30_000 });
  await migrate(db);
  await db.driver.close();
  project.provide('neo4j', target);
  return async () => {
    await local?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}
