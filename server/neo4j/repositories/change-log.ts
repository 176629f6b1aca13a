// Owns the store version and the per-transaction change log: every write transaction through Ripple's single
// write path (writeHistory), and every write of what else the read model holds per CI (a service's level, the
// impact intervals incidents leave on it), advances (:StoreVersion {id: 'store'}).version and leaves a (:ChangeLog)
// entry naming the CIs it touched, so each process's impact read model can catch up by re-reading only those CIs.
import neo4j from 'neo4j-driver';
import type { Tx } from '../db';

/** How long entries are kept: a process that has not caught up within it rebuilds its read model instead. */
export const CHANGE_LOG_KEEP_MS = 15 * 60_000;
/** Pruning runs on one write in this many, so it costs the write path nothing measurable. */
const PRUNE_EVERY = 64;

// The lock is taken (SET v.lockedAt) before the version is read: `SET v.version = v.version + 1` alone reads
// the old value without a lock, and two concurrent writers could both write version n + 1.
// The version node comes from migration 010; were it deleted, writes go on unlogged and readers rely on counts.
const APPEND = `
MATCH (v:StoreVersion {id: 'store'})
SET v.lockedAt = datetime()
WITH v
SET v.version = v.version + 1
CREATE (:ChangeLog {version: v.version, at: datetime(), ciIds: $ciIds})
RETURN v.version AS version`;

const PRUNE = `
MATCH (c:ChangeLog) WHERE c.at < datetime() - duration({milliseconds: $keepMs})
WITH c LIMIT 1000 DELETE c`;

/** Records that this transaction changed these CIs; returns the store version it commits as. */
export async function appendChangeLog(tx: Tx, ciIds: readonly string[]): Promise<number> {
  const res = await tx.run(APPEND, { ciIds: [...ciIds] });
  const version = Number(res.records[0]?.get('version'));
  if (version % PRUNE_EVERY === 0) await tx.run(PRUNE, { keepMs: neo4j.int(CHANGE_LOG_KEEP_MS) });
  return version;
}

/**
 * What a read model compares against on each request, in one statement: the store version, and the numbers of CIs
 * and impacting relationships, which Neo4j answers from its count store; a write made outside Ripple that adds or
 * removes either moves them without moving the version.
 */
export async function storeState(tx: Tx, impactingTypes: readonly string[]): Promise<StoreState> {
  const counts = impactingTypes.map((t, i) => `CALL () { MATCH ()-[r:\`${t}\`]->() RETURN count(r) AS r${i} }`).join('\n');
  const sum = impactingTypes.map((_, i) => `r${i}`).join(' + ') || '0';
  const res = await tx.run(`OPTIONAL MATCH (v:StoreVersion {id: 'store'})
    CALL () { MATCH (c:CI) RETURN count(c) AS cis }
    ${counts}
    RETURN coalesce(v.version, 0) AS version, cis, ${sum} AS relationships`);
  const r = res.records[0]!;
  return { version: Number(r.get('version')), cis: Number(r.get('cis')), relationships: Number(r.get('relationships')) };
}

export interface StoreState {
  version: number;
  cis: number;
  relationships: number;
}

/**
 * The CIs touched by the write transactions after `version`, up to `upTo`, and whether the log still holds every
 * one of them (a pruned entry is a gap: the reader must rebuild).
 */
export async function changesSince(tx: Tx, version: number, upTo: number): Promise<{ complete: boolean; ciIds: string[] }> {
  const res = await tx.run(
    `MATCH (c:ChangeLog) WHERE c.version > $version AND c.version <= $upTo
     RETURN count(c) AS entries, reduce(all = [], c IN collect(c) | all + c.ciIds) AS ciIds`,
    { version: neo4j.int(version), upTo: neo4j.int(upTo) },
  );
  const r = res.records[0]!;
  return { complete: Number(r.get('entries')) === upTo - version, ciIds: [...new Set(r.get('ciIds') as string[])] };
}
