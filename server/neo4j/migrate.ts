// Owns schema migrations: schema/migrations/NNN-name.cypher applied in order, once, recorded in the database
// as (:RippleMigration {id, checksum}). Migrations are append-only; an edited one that already ran stops start-up.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../config/config';
import { StartupError } from '../errors';
import type { Db } from './db';

export const MIGRATIONS_DIR = path.join(repoRoot, 'schema', 'migrations');

export interface Migration {
  id: string;
  checksum: string;
  statements: string[];
}

/** Splits a migration file into statements: `;` ends one, `//` starts a comment line. */
export function parseStatements(text: string): string[] {
  const body = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('//'))
    .join('\n');
  return body
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}-[a-z0-9-]+\.cypher$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => {
      const text = await readFile(path.join(dir, f), 'utf8');
      return {
        id: f.replace(/\.cypher$/, ''),
        checksum: createHash('sha256').update(text).digest('hex'),
        statements: parseStatements(text),
      };
    }),
  );
}

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export async function migrate(db: Db, migrations?: Migration[]): Promise<MigrationResult> {
  const all = migrations ?? (await readMigrations());
  // The ledger's own constraint comes first so two processes starting at once record each migration once.
  await db.runSchema(
    'CREATE CONSTRAINT ripple_migration_id_unique IF NOT EXISTS FOR (m:RippleMigration) REQUIRE m.id IS UNIQUE',
  );
  const done = await db.read(async (tx) => {
    const res = await tx.run<{ id: string; checksum: string }>(
      'MATCH (m:RippleMigration) RETURN m.id AS id, m.checksum AS checksum',
    );
    return new Map(res.records.map((r) => [r.get('id'), r.get('checksum')]));
  });
  const result: MigrationResult = { applied: [], skipped: [] };
  for (const m of all) {
    const seen = done.get(m.id);
    if (seen !== undefined) {
      if (seen !== m.checksum) {
        throw new StartupError(
          `migration ${m.id} changed after it was applied: migrations are append-only, add a new one instead`,
        );
      }
      result.skipped.push(m.id);
      continue;
    }
    for (const statement of m.statements) await db.runSchema(statement);
    await db.write((tx) =>
      tx.run('MERGE (m:RippleMigration {id: $id}) ON CREATE SET m.checksum = $checksum, m.appliedAt = datetime()', {
        id: m.id,
        checksum: m.checksum,
      }),
    );
    result.applied.push(m.id);
  }
  return result;
}
