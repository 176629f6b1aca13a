// A benchmark pointed at a database it did not create, and which holds data, refuses before writing anything:
// its load-then-delete cycle must never reach a real CMDB.
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBenchRipple } from '../bench/ripple';
import type { Db } from '../server/neo4j/db';
import { testDb } from './helpers/ripple';

let db: Db;
const key = `bench-safety-${Date.now()}`;

beforeAll(async () => {
  db = await testDb();
  // Someone's data: the database is not empty and carries no benchmark's mark.
  await db.write((tx) => tx.run('CREATE (:Team {id: $id, name: $id})', { id: key }));
});

afterAll(async () => {
  await db.write((tx) => tx.run('MATCH (t:Team {id: $id}) DETACH DELETE t', { id: key }));
  await db.driver.close();
});

describe('benchmarks and a database they do not own', () => {
  it('refuses to start against a non-empty database it did not create, and writes nothing to it', async () => {
    const n = inject('neo4j');
    let ran = false;
    const attempt = withBenchRipple('ingest', { NEO4J_URI: n.uri, NEO4J_USERNAME: n.username, NEO4J_PASSWORD: n.password }, async () => {
      ran = true;
    });
    await expect(attempt).rejects.toThrow(/refusing to run the ingest benchmark .* not created by a benchmark/);
    expect(ran).toBe(false);
    const marks = await db.read(async (tx) => (await tx.run('MATCH (m:RippleBenchmarkDatabase) RETURN count(m) AS n')).records[0]!.get('n') as number);
    expect(marks).toBe(0);
    const team = await db.read(async (tx) => (await tx.run('MATCH (t:Team {id: $id}) RETURN count(t) AS n', { id: key })).records[0]!.get('n') as number);
    expect(team).toBe(1);
  });
});
