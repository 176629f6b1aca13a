// Migrations are applied once, recorded in the database, and re-applying them changes nothing.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../server/neo4j/db';
import { migrate, readMigrations } from '../server/neo4j/migrate';
import { testDb } from './helpers/ripple';

let db: Db;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  await db.driver.close();
});

async function schemaShape(): Promise<string[]> {
  return db.read(async (tx) => {
    const c = await tx.run('SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties');
    const i = await tx.run('SHOW INDEXES YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties');
    return [...c.records, ...i.records].map((r) => JSON.stringify(r.toObject())).sort();
  });
}

describe('schema migrations', () => {
  it('records every migration and re-applying them changes nothing', async () => {
    const before = await schemaShape();
    const all = await readMigrations();
    const result = await migrate(db);
    expect(result.applied).toEqual([]);
    expect(result.skipped).toEqual(all.map((m) => m.id));
    expect(await schemaShape()).toEqual(before);
    const recorded = await db.read(async (tx) =>
      (await tx.run('MATCH (m:RippleMigration) RETURN m.id AS id ORDER BY id')).records.map((r) => r.get('id') as string),
    );
    expect(recorded).toEqual(expect.arrayContaining(all.map((m) => m.id)));
  });

  it('provides the constraints, indexes and full-text search the model relies on', async () => {
    const shape = (await schemaShape()).join('\n');
    expect(shape).toContain('"ci_id_unique"');
    expect(shape).toContain('"ident_key_unique"');
    expect(shape).toMatch(/"ci_search","type":"FULLTEXT"/);
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ripple-mig-'));
    try {
      await mkdir(dir, { recursive: true });
      const id = `900-test-${Date.now()}`;
      await writeFile(path.join(dir, `${id}.cypher`), 'CREATE INDEX ripple_test_probe IF NOT EXISTS FOR (n:RippleProbe) ON (n.x);\n');
      expect((await migrate(db, await readMigrations(dir))).applied).toEqual([id]);
      await writeFile(path.join(dir, `${id}.cypher`), 'CREATE INDEX ripple_test_probe2 IF NOT EXISTS FOR (n:RippleProbe) ON (n.y);\n');
      await expect(migrate(db, await readMigrations(dir))).rejects.toThrow(/changed after it was applied/);
      await db.runSchema('DROP INDEX ripple_test_probe IF EXISTS');
      await db.write((tx) => tx.run('MATCH (m:RippleMigration {id: $id}) DELETE m', { id }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
