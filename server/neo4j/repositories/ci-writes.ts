// Owns every Cypher write to CIs, relationships, ownership and teams: batched with UNWIND, labels and types
// from the class model only (dynamic labels `$(...)` take values the caller has checked against it), and each
// change recorded in a ChangeSet that becomes one (:History)-[:ABOUT]->(:CI) entry per CI per transaction, with
// who, which source, when, and every field's before/after (writeHistory is the only writer of History).
import neo4j from 'neo4j-driver';
import type { AttributeValue } from '../../domain/class-model/types';
import type { Tx } from '../db';
import { appendChangeLog } from './change-log';
import { readFieldChanges } from './stored-json';
import { fields } from './fields';

export interface WriteMeta {
  actor: string;
  source: string;
  /** ISO instant of the write; one per batch so every entry of a batch shares it. */
  at: string;
}

export interface FieldChange {
  field: string;
  before: AttributeValue;
  after: AttributeValue;
}

export interface CiWriteRow {
  id: string;
  create: boolean;
  className: string;
  /** Every label on the class path below CI, e.g. ['Hardware', 'Server', 'LinuxServer']. */
  labels: string[];
  /** Properties to set; null removes one. */
  set: Record<string, AttributeValue>;
  searchText: string;
  provenance: string;
  /** Every identification key the CI holds after the write; linked to it. */
  identKeys: string[];
  /** Of those, the keys nobody held when identified: claimed under the unique constraint (CREATE_CIS, claimIdentKeys).
   *  Absent: every key of a new CI, none of an existing one. */
  claimKeys?: string[];
  /** Keys the CI held for values it no longer has: unlinked, and dropped when no CI holds them any more. */
  releaseKeys?: string[];
  changes: FieldChange[];
  action: 'create' | 'update' | 'retire';
  /** `source|hash|keptFields` of the discovery item this write stores; absent for any other write. */
  ingestStamp?: string;
  /** A new CI's owning team (which must exist), linked as it is created; the caller records the change. */
  ownerTeamId?: string | null;
}

// stale / fresh: a discovery run stopped reporting a CI / a source reported it again; absent / present: the same
// for a relationship, recorded on the CI it starts from.
export type HistoryAction = 'create' | 'update' | 'retire' | 'setOwner' | 'relate' | 'unrelate' | 'stale' | 'fresh' | 'absent' | 'present';
// The action a History entry is shown with when one transaction did several things to a CI: the weightiest.
const ACTION_RANK: Record<HistoryAction, number> = { create: 0, retire: 1, update: 2, setOwner: 3, relate: 4, unrelate: 5, stale: 6, fresh: 7, absent: 8, present: 9 };

/**
 * What one transaction changed, per CI. Writes add to it and `writeHistory` turns it into one History entry per
 * CI, so a CI that a discovery batch creates, gives an owner and relates shows one entry listing all of it.
 */
export class ChangeSet {
  readonly byCi = new Map<string, { action: HistoryAction; changes: FieldChange[] }>();
  /** Element ids of CIs the transaction has found or written, so their History entries need no index seek. */
  readonly elementIds = new Map<string, string>();

  add(ciId: string, action: HistoryAction, changes: readonly FieldChange[]): void {
    if (!changes.length) return;
    const entry = this.byCi.get(ciId);
    if (!entry) {
      this.byCi.set(ciId, { action, changes: [...changes] });
      return;
    }
    if (ACTION_RANK[action] < ACTION_RANK[entry.action]) entry.action = action;
    entry.changes.push(...changes);
  }
}

/** Writes a change set as History entries: one per CI, all at the transaction's instant. */
export async function writeHistory(tx: Tx, set: ChangeSet, meta: WriteMeta): Promise<void> {
  if (!set.byCi.size) return;
  const stamp = Date.parse(meta.at).toString(16);
  const byEid: { id: string; eid?: string; historyId: string; action: string; changesJson: string }[] = [];
  const byId: typeof byEid = [];
  for (const [id, e] of set.byCi) {
    const row = {
      id,
      eid: set.elementIds.get(id),
      historyId: `hist_${id}_${stamp}_${Math.random().toString(16).slice(2, 8)}`,
      action: e.action,
      changesJson: JSON.stringify(e.changes),
    };
    (row.eid ? byEid : byId).push(row);
  }
  set.byCi.clear();
  await appendChangeLog(tx, [...byEid, ...byId].map((r) => r.id));
  const create = `CREATE (:History {id: row.historyId, at: datetime($at), actor: $actor, source: $source, action: row.action,
                                    changes: row.changesJson})-[:ABOUT]->(n)`;
  if (byEid.length) await tx.run(`UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid ${create}`, { ...meta, rows: byEid });
  if (byId.length) await tx.run(`UNWIND $rows AS row MATCH (n:CI {id: row.id}) ${create}`, { ...meta, rows: byId });
}

/** Runs `fn` with the caller's change set, or with one of its own that is written to History when `fn` is done. */
async function recording<T>(tx: Tx, meta: WriteMeta, log: ChangeSet | undefined, fn: (log: ChangeSet) => Promise<T>): Promise<T> {
  const own = log ?? new ChangeSet();
  const result = await fn(own);
  if (!log) await writeHistory(tx, own, meta);
  return result;
}

// New CIs are CREATEd (their id is fresh, and their free identification keys are claimed just before), changed
// ones MATCHed: no MERGE on :CI, whose dynamic labels and property maps would make Neo4j plan an Eager barrier
// per row set. `ingestHashes` holds what each discovery source last sent for the CI, so an identical re-send can
// be answered without reading or writing the CI (upsert-batch); any write not from that path clears it.
const CI_BODY = `
SET n:$(row.labels)
SET n += row.set
SET n.updatedAt = datetime($at), n.searchText = row.searchText, n.provenance = row.provenance,
    n.sources = CASE WHEN $source IN coalesce(n.sources, []) THEN n.sources ELSE coalesce(n.sources, []) + $source END,
    n.ingestHashes = row.ingestHashes`;
// A new CI claims its free keys in the statement that creates it: one pass over the keys instead of a claim
// statement first and a second MERGE here. Linking a key locks its node, so a key another writer created is read
// (coalesce) only after that writer committed; its holder comes back in `taken` and the caller drops the whole
// transaction (IdentKeyTaken), this CI with it. A key the CI shares with an incompatible CI is linked, not claimed.
// The unique constraint on IdentKey.key stays what stops two writers creating the same key. A new CI has no
// IDENTIFIES yet, so they are CREATEd.
// A new CI has no sources or stamps before this write, so nothing is read back: its labels and properties are
// set in one SET clause, without CI_BODY's CASE over the sources an existing CI already has.
const CREATE_CIS = `
UNWIND $rows AS row
CREATE (n:CI {id: row.id})
SET n:$(row.labels), n += row.set, n.class = row.className, n.createdAt = datetime($at), n.updatedAt = datetime($at),
    n.searchText = row.searchText, n.provenance = row.provenance, n.sources = [$source], n.ingestHashes = row.ingestHashes
WITH n, row
CALL (n, row) {
  UNWIND row.identKeys AS k
  MERGE (ik:IdentKey {key: k})
    ON CREATE SET ik.ciId = CASE WHEN k IN row.claimKeys THEN row.id END
  CREATE (ik)-[:IDENTIFIES]->(n)
  WITH ik, k, row WHERE k IN row.claimKeys
  SET ik.ciId = coalesce(ik.ciId, row.id)
  RETURN collect(CASE WHEN ik.ciId <> row.id THEN {key: k, ciId: row.id, holder: ik.ciId} END) AS taken
}
CALL (n, row) {
  WITH n, row WHERE row.ownerTeamId IS NOT NULL
  MATCH (t:Team {id: row.ownerTeamId})
  CREATE (n)-[:OWNED_BY]->(t)
}
RETURN row.id AS id, elementId(n) AS eid, taken`;
// A released key stays with the CIs that still hold it (the claim passes to one of them) or goes.
const UPDATE_CIS = `
UNWIND $rows AS row
MATCH (n:CI {id: row.id})
WITH n, row
${CI_BODY}
WITH n, row
CALL (n, row) {
  UNWIND row.identKeys AS k
  MERGE (ik:IdentKey {key: k})
  MERGE (ik)-[:IDENTIFIES]->(n)
}
CALL (n, row) {
  UNWIND row.releaseKeys AS k
  MATCH (ik:IdentKey {key: k})-[link:IDENTIFIES]->(n)
  DELETE link
  WITH ik, row
  OPTIONAL MATCH (ik)-[:IDENTIFIES]->(other:CI)
  WITH ik, row, min(other.id) AS next
  SET ik.ciId = CASE WHEN ik.ciId = row.id THEN next ELSE ik.ciId END
  WITH ik, next WHERE next IS NULL
  DELETE ik
}
RETURN row.id AS id, elementId(n) AS eid`;

// Claims the keys an update gives a CI under the unique constraint on IdentKey.key, sorted, so two writers never wait on each other's keys
// in opposite orders. A second writer claiming the same key waits for the first to commit, then sees its claim:
// the answer names the holder, and the caller re-identifies (discovery) or refuses (a person's edit). A key node
// without a holder (written before every key was claimed) is locked by the first SET before it is read.
const CLAIM_KEYS = `
UNWIND $claims AS c
MERGE (ik:IdentKey {key: c.key})
  ON CREATE SET ik.ciId = c.ciId
SET ik.claimedAt = datetime($at)
WITH c, ik
SET ik.ciId = coalesce(ik.ciId, c.ciId)
RETURN c.key AS key, c.ciId AS ciId, ik.ciId AS holder`;

/** A concurrent writer claimed an identification key first; the caller re-runs its batch. */
export class IdentKeyTaken extends Error {
  constructor(readonly taken: { key: string; ciId: string; holder: string }[]) {
    super(`identification keys taken by a concurrent writer: ${taken.slice(0, 3).map((t) => `${t.key} (${t.holder})`).join(', ')}`);
  }
}

/**
 * Write-locks CIs, in id order so two writers never wait on each other in opposite orders, before the caller
 * reads them to reconcile: a concurrent writer's reconciliation then starts from this one's committed values and
 * provenance instead of overwriting them. Setting and removing a marker takes Neo4j's lock and writes nothing.
 */
export async function lockCis(tx: Tx, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await tx.run('UNWIND $ids AS id MATCH (n:CI {id: id}) SET n.rippleLock = true REMOVE n.rippleLock', { ids: [...new Set(ids)].sort() });
}

/** The keys a row claims: those nobody held when it was identified; every key of a new CI unless told. */
function claimsOf(r: CiWriteRow): string[] {
  return r.claimKeys ?? (r.create ? r.identKeys : []);
}

/** Claims the rows' free keys for their CIs (an update's; a new CI claims its own); throws IdentKeyTaken when another CI holds one. */
export async function claimIdentKeys(tx: Tx, rows: readonly CiWriteRow[], at: string): Promise<void> {
  const claims = rows.flatMap((r) => claimsOf(r).map((key) => ({ key, ciId: r.id })));
  if (!claims.length) return;
  claims.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const res = await tx.run(CLAIM_KEYS, { claims, at });
  throwTaken(res.records.map((r) => r.toObject()));
}

/** Throws IdentKeyTaken for the claims (key, ciId, holder) another CI won. */
function throwTaken(claims: readonly object[]): void {
  const taken = claims
    .map((c) => {
      const f = fields(c, 'identification key claim');
      return { key: f.text('key'), ciId: f.text('ciId'), holder: f.text('holder') };
    })
    .filter((t) => t.holder !== t.ciId);
  if (taken.length) throw new IdentKeyTaken(taken);
}

/**
 * Creates and updates CIs. The change set keeps each CI's element id, which later writes of the same transaction
 * use to find it without an index seek (element ids are only relied on within the transaction that read them).
 */
export async function writeCis(tx: Tx, rows: CiWriteRow[], meta: WriteMeta, log?: ChangeSet): Promise<void> {
  if (!rows.length) return;
  await recording(tx, meta, log, async (changes) => {
    for (const r of rows) changes.add(r.id, r.action, r.changes);
    const params = (rs: CiWriteRow[]) =>
      rs.map((r) => ({
        id: r.id,
        className: r.className,
        labels: r.labels,
        set: r.set,
        searchText: r.searchText,
        provenance: r.provenance,
        identKeys: r.identKeys,
        releaseKeys: r.releaseKeys ?? [],
        claimKeys: claimsOf(r),
        ingestHashes: r.ingestStamp ? [r.ingestStamp] : [],
        ownerTeamId: r.ownerTeamId ?? null,
      }));
    // New CIs in the order of their first key, so that two writers claiming keys of one estate mostly take them
    // in the same order (a deadlock between them is detected by Neo4j and retried, but costs both a round).
    const creates = rows.filter((r) => r.create).sort((a, b) => firstKey(a).localeCompare(firstKey(b)));
    const updates = rows.filter((r) => !r.create);
    if (creates.length) {
      const res = await tx.run(CREATE_CIS, { ...meta, rows: params(creates) });
      for (const rec of res.records) elementIdFrom(rec, changes.elementIds);
      throwTaken(res.records.flatMap((rec) => rec.get('taken') as object[]));
    }
    if (updates.length) {
      await claimIdentKeys(tx, updates, meta.at);
      const res = await tx.run(UPDATE_CIS, { ...meta, rows: params(updates) });
      for (const rec of res.records) elementIdFrom(rec, changes.elementIds);
    }
  });
}

/**
 * Records that a source re-sent a CI exactly as stored (stamp = `source|hash|keptFields`), replacing that
 * source's previous stamp and keeping other sources' ones.
 */
export async function stampIngest(tx: Tx, rows: { id: string; stamp: string }[], source: string): Promise<void> {
  if (!rows.length) return;
  await tx.run(
    `UNWIND $rows AS row MATCH (n:CI {id: row.id})
     SET n.ingestHashes = [x IN coalesce(n.ingestHashes, []) WHERE NOT x STARTS WITH $prefix] + row.stamp`,
    { rows, prefix: `${source}|` },
  );
}

/** CIs already holding each identification key. */
export async function findByIdentKeys(tx: Tx, keys: string[]): Promise<Map<string, string[]>> {
  const found = await findStampedByIdentKeys(tx, keys);
  return new Map([...found].map(([k, cis]) => [k, cis.map((c) => c.id)]));
}

/**
 * CIs already holding each identification key, with what each source last sent for them (see stampIngest).
 * The seek is a hint: planned while a store is empty or just emptied (a first load), Neo4j chose to scan the key
 * index and filter it once per key, and kept that plan for many batches: 5 to 6 s of a 20,000-CI load, in about
 * half of the profiled runs, against 0.3 s with the seek.
 */
export async function findStampedByIdentKeys(tx: Tx, keys: string[]): Promise<Map<string, { id: string; stamps: string[] }[]>> {
  if (!keys.length) return new Map();
  const res = await tx.run(
    `UNWIND $keys AS k MATCH (ik:IdentKey {key: k})-[:IDENTIFIES]->(n:CI) USING INDEX SEEK ik:IdentKey(key)
     RETURN k, collect({id: n.id, stamps: coalesce(n.ingestHashes, [])}) AS cis`,
    { keys },
  );
  return new Map(
    res.records.map((r) => {
      const cis = (r.get('cis') as unknown[]).map((c) => {
        const f = fields(c, 'CI by identification key');
        return { id: f.text('id'), stamps: f.texts('stamps') };
      });
      return [fields(r.toObject(), 'identification key').text('k'), cis];
    }),
  );
}

/** An item matched several CIs on one identification rule: kept open until someone merges or re-keys them. */
export async function recordDuplicateConflicts(tx: Tx, conflicts: { key: string; ciIds: string[] }[], meta: WriteMeta): Promise<void> {
  await tx.run(
    `UNWIND $conflicts AS c
     MERGE (d:DuplicateConflict {key: c.key})
       ON CREATE SET d.firstSeen = datetime($at), d.status = 'OPEN'
     SET d.ciIds = c.ciIds, d.lastSeen = datetime($at), d.source = $source`,
    { conflicts, ...meta },
  );
}

export interface RelationshipWrite {
  from: string;
  to: string;
  type: string;
}

/**
 * A relationship type as Cypher text. Types come from the class model (callers check them against it); this
 * guard keeps anything else out of the query text. Types are written literally, not as `$(...)`: Neo4j 5.26
 * plans a MERGE with a dynamic type as a scan of every relationship in the store, once per row.
 */
function relType(type: string): string {
  if (!/^[A-Z][A-Z0-9_]{0,60}$/.test(type)) throw new Error(`not a relationship type of the class model: ${JSON.stringify(type)}`);
  return type;
}

// Both ends are looked up by id before expanding (the index hints): left to itself, the planner expands from the
// target, which is often a dense node (a database thousands of CIs depend on), once per row.
// Existing relationships are read first, without locks: a re-sent unchanged one costs one read. Missing ones are
// MERGEd (under Neo4j's locks on both ends, so concurrent writers never make two); `createdTx` tells which this
// call created. Existing ones newly reported by this source, or marked absent, get their flags updated.
// Which of the relationships exist, grouped by the CI they start from: one index seek per start CI, then its
// relationships. Two seeks per relationship and an expand between them (the plain form) cost about 2.5 times
// as much on a re-send, where nearly every relationship exists. The types are checked against the class model
// by the caller (`relType`); reading them from a parameter is safe, and a bound start node needs no literal type.
const readExistingRelationships = `
UNWIND $froms AS f
MATCH (a:CI {id: f.from})-[r]->(b:CI)
WHERE type(r) IN $types AND b.id IN f.tos
UNWIND f.at[type(r) + ' ' + b.id] AS i
RETURN i, $source IN r.sources AS mine, coalesce(r.absent, false) AS absent`;

/** Relationship writes grouped by start CI: `{from, tos, at: {'TYPE to-id': input positions}}`. */
function groupByFrom(rels: (RelationshipWrite & { i: number })[]): { from: string; tos: string[]; at: Record<string, number[]> }[] {
  const byFrom = new Map<string, { tos: Set<string>; at: Record<string, number[]> }>();
  for (const r of rels) {
    const g = byFrom.get(r.from) ?? byFrom.set(r.from, { tos: new Set(), at: {} }).get(r.from)!;
    g.tos.add(r.to);
    (g.at[`${r.type} ${r.to}`] ??= []).push(r.i);
  }
  return [...byFrom].map(([from, g]) => ({ from, tos: [...g.tos], at: g.at }));
}

// Ends by element id (known from this transaction's writes or looked up once per CI): no index seek per end.
const mergeRelationshipsOfType = (type: string) => `
UNWIND $rels AS rel
MATCH (a) WHERE elementId(a) = rel.a
MATCH (b) WHERE elementId(b) = rel.b
MERGE (a)-[r:${relType(type)}]->(b)
  ON CREATE SET r.createdAt = datetime($at), r.firstSeen = datetime($at), r.validFrom = datetime($at), r.sources = [$source],
                r.absent = false, r.createdTx = $tx
WITH rel, r, r.createdTx = $tx AS created
REMOVE r.createdTx
RETURN rel.i AS i, created, $source IN r.sources AS mine, coalesce(r.absent, false) AS absent`;

/**
 * A relationship reported again after an absence opens a new interval; the one the absence closed was kept as a
 * RelationshipInterval (closeAbsentIntervals). A SET clause of its own, before the one that clears `absent`.
 */
export const REOPEN_INTERVAL = 'r.validFrom = CASE WHEN coalesce(r.absent, false) THEN datetime() ELSE r.validFrom END';

// The interval a relationship held until now, as a record apart from the live graph (see 012-relationship-intervals).
// Legacy relationships written before intervals existed began when they were first seen.
const KEEP_INTERVAL = (validTo: string, endedAbsent: boolean) => `
CREATE (:RelationshipInterval {fromId: a.id, toId: b.id, type: type(r), sources: coalesce(r.sources, []),
  validFrom: coalesce(r.validFrom, r.firstSeen, r.createdAt), validTo: ${validTo}, endedAbsent: ${endedAbsent}})`;

/** Keeps the intervals that a discovery run's completion closed by marking these relationships absent. */
export async function closeAbsentIntervals(tx: Tx, rels: readonly RelationshipWrite[]): Promise<void> {
  if (!rels.length) return;
  await tx.run(
    `UNWIND $rels AS rel
     MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to})
     USING INDEX a:CI(id) USING INDEX b:CI(id)
     MATCH (a)-[r]->(b) WHERE type(r) = rel.type AND r.absent = true
     ${KEEP_INTERVAL('r.absentSince', true)}`,
    { rels },
  );
}

// A relationship with an end created in this transaction cannot exist yet, and no other writer can name that end
// before we commit: it is CREATEd, without MERGE's existence check and the marker that tells created from found.
// One statement for every type: CREATE with a dynamic type has nothing to look up (unlike MERGE, see relType),
// and each type was checked by relType before it got here.
const CREATE_RELATIONSHIPS = `
WITH datetime($at) AS at
UNWIND $rels AS rel
MATCH (a) WHERE elementId(a) = rel.a
MATCH (b) WHERE elementId(b) = rel.b
CREATE (a)-[:$(rel.type) {createdAt: at, firstSeen: at, validFrom: at, sources: [$source], absent: false}]->(b)`;

const touchRelationshipsOfType = (type: string) => `
UNWIND $rels AS rel
MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to})
USING INDEX a:CI(id) USING INDEX b:CI(id)
MATCH (a)-[r:${relType(type)}]->(b)
SET ${REOPEN_INTERVAL}
SET r.absent = false, r.sources = CASE WHEN $source IN r.sources THEN r.sources ELSE r.sources + $source END`;

/**
 * MERGEs relationships; returns which were new, in input order. Both ends must exist (callers check and
 * report). New relationships are recorded in history, one entry per CI they start from.
 */
export async function writeRelationships(
  tx: Tx,
  rels: RelationshipWrite[],
  meta: WriteMeta,
  opts: {
    /** CIs created in this transaction: nothing can relate them yet, so their relationships skip the read. */
    newCis?: ReadonlySet<string>;
    /** The transaction's change set; its element ids spare the lookup of the CIs it knows. */
    log?: ChangeSet;
  } = {},
): Promise<{ from: string; to: string; type: string; created: boolean }[]> {
  if (!rels.length) return [];
  const newCis = opts.newCis ?? new Set<string>();
  const created = new Array<boolean>(rels.length).fill(false);
  const byType = new Map<string, (RelationshipWrite & { i: number })[]>();
  rels.forEach((r, i) => {
    const group = byType.get(r.type) ?? byType.set(r.type, []).get(r.type)!;
    group.push({ ...r, i });
  });
  const txMarker = `${meta.at}/${Math.random().toString(36).slice(2)}`;
  // Which exist already, for every type in one read.
  const found = new Map<number, { mine: boolean; absent: boolean }>();
  const maybeExisting = rels.flatMap((r, i) => (newCis.has(r.from) || newCis.has(r.to) ? [] : [{ ...r, i }]));
  if (maybeExisting.length) {
    const read = await tx.run(readExistingRelationships, { froms: groupByFrom(maybeExisting), types: [...byType.keys()].map(relType), source: meta.source });
    for (const rec of read.records) {
      const f = fields(rec.toObject(), 'existing relationship');
      found.set(f.number('i'), { mine: f.flag('mine'), absent: f.flag('absent') });
    }
  }
  // A pair the batch names twice is written once; the repeat finds it there (UNCHANGED).
  const missingOf = new Map<string, (RelationshipWrite & { i: number })[]>();
  for (const [type, group] of byType) {
    const pairs = new Set<string>();
    missingOf.set(
      type,
      group.filter((r) => {
        if (found.has(r.i)) return false;
        const pair = `${r.from} ${r.to}`;
        if (pairs.has(pair)) return false;
        pairs.add(pair);
        return true;
      }),
    );
  }
  // Element ids of the missing relationships' ends: one lookup per CI this transaction has not written.
  const eid = opts.log?.elementIds ?? new Map<string, string>();
  const unknown = new Set<string>();
  for (const group of missingOf.values()) for (const r of group) for (const id of [r.from, r.to]) if (!eid.has(id)) unknown.add(id);
  if (unknown.size) {
    const res = await tx.run('UNWIND $ids AS id MATCH (n:CI {id: id}) RETURN id, elementId(n) AS eid', { ids: [...unknown] });
    for (const rec of res.records) elementIdFrom(rec, eid);
  }
  const ends = (r: RelationshipWrite & { i: number }) => ({ a: eid.get(r.from) ?? '', b: eid.get(r.to) ?? '', i: r.i });
  const fresh = [...missingOf.values()].flat().filter((r) => newCis.has(r.from) || newCis.has(r.to));
  if (fresh.length) {
    await tx.run(CREATE_RELATIONSHIPS, { ...meta, rels: fresh.map((r) => ({ ...ends(r), type: relType(r.type) })) });
    for (const r of fresh) created[r.i] = true;
  }
  for (const [type, group] of byType) {
    const missing = missingOf.get(type)!.filter((r) => !newCis.has(r.from) && !newCis.has(r.to)).map(ends);
    if (missing.length) {
      const res = await tx.run(mergeRelationshipsOfType(type), { ...meta, rels: missing, tx: txMarker });
      for (const rec of res.records) {
        const f = fields(rec.toObject(), 'merged relationship');
        const i = f.number('i');
        if (rec.get('created')) created[i] = true;
        else found.set(i, { mine: f.flag('mine'), absent: f.flag('absent') });
      }
    }
    const touch = group.filter((r) => found.has(r.i) && (!found.get(r.i)!.mine || found.get(r.i)!.absent));
    if (touch.length) await tx.run(touchRelationshipsOfType(type), { rels: touch, source: meta.source });
  }
  await recording(tx, meta, opts.log, async (changes) => {
    // Recorded on the CI each new relationship starts from.
    rels.forEach((r, i) => {
      if (created[i]) changes.add(r.from, 'relate', [{ field: `${r.type}->${r.to}`, before: null, after: 'related' }]);
      // A relationship a discovery run had marked absent is reported again: it is back (touched above).
      else if (found.get(i)?.absent) changes.add(r.from, 'present', [{ field: `${r.type}->${r.to}`, before: 'absent', after: 'related' }]);
    });
  });
  return rels.map((r, i) => ({ from: r.from, to: r.to, type: r.type, created: created[i]! }));
}

export async function deleteRelationship(tx: Tx, rel: RelationshipWrite, meta: WriteMeta, log?: ChangeSet): Promise<boolean> {
  const res = await tx.run(
    `MATCH (a:CI {id: $from})-[r:${relType(rel.type)}]->(b:CI {id: $to})
     CALL (a, r, b) {
       WITH a, r, b WHERE NOT coalesce(r.absent, false)
       ${KEEP_INTERVAL('datetime($at)', false)}
     }
     DELETE r
     RETURN count(*) AS n`,
    { ...rel, at: meta.at },
  );
  const deleted = fields(res.records[0]?.toObject() ?? { n: 0 }, 'deleted relationship').number('n') > 0;
  if (deleted) {
    await recording(tx, meta, log, async (changes) => {
      changes.add(rel.from, 'unrelate', [{ field: `${rel.type}->${rel.to}`, before: 'related', after: null }]);
    });
  }
  return deleted;
}

// A new owner voids every other source's stamp (its hash covers the owner it last saw), so their next re-send is
// compared again; the writer's own stamps stay, as they were made with this owner. A person's source has none.
const KEEP_OWN_STAMPS = 'n.ingestHashes = [x IN coalesce(n.ingestHashes, []) WHERE x STARTS WITH $prefix]';

/** Replaces the owner (or clears it with teamId null), recording the change; false when the CI is missing. */
export async function setOwner(tx: Tx, ciId: string, teamId: string | null, meta: WriteMeta, log?: ChangeSet): Promise<boolean> {
  const cur = await tx.run(
    `MATCH (n:CI {id: $ciId}) OPTIONAL MATCH (n)-[:OWNED_BY]->(old:Team)
     OPTIONAL MATCH (t:Team {id: $teamId})
     RETURN old.name AS before, t.name AS after`,
    { ciId, teamId },
  );
  const rec = cur.records[0];
  if (!rec) return false;
  const names = fields(rec.toObject(), `owner of ${ciId}`);
  const before = names.textOrNull('before');
  const after = names.textOrNull('after');
  if (before === after) return true;
  await tx.run(
    `MATCH (n:CI {id: $ciId})
     OPTIONAL MATCH (n)-[o:OWNED_BY]->(:Team)
     DELETE o
     WITH DISTINCT n
     OPTIONAL MATCH (t:Team {id: $teamId})
     FOREACH (_ IN CASE WHEN t IS NULL THEN [] ELSE [1] END | MERGE (n)-[:OWNED_BY]->(t))
     SET n.updatedAt = datetime($at), ${KEEP_OWN_STAMPS}`,
    { ciId, teamId, at: meta.at, prefix: `${meta.source}|` },
  );
  await recording(tx, meta, log, async (changes) => changes.add(ciId, 'setOwner', [{ field: 'owner', before, after }]));
  return true;
}

/**
 * Owners for many CIs at once: rows of (ciId, teamId, teamName). Each CI whose owner changes gets the change
 * recorded with the team names before and after; returns the ids of those CIs.
 */
export async function setOwners(
  tx: Tx,
  rows: { ciId: string; teamId: string; teamName: string }[],
  meta: WriteMeta,
  log?: ChangeSet,
): Promise<string[]> {
  if (!rows.length) return [];
  const current = await tx.run(
    `UNWIND $ids AS id MATCH (n:CI {id: id}) OPTIONAL MATCH (n)-[:OWNED_BY]->(t:Team)
     RETURN id, t.id AS teamId, t.name AS teamName`,
    { ids: rows.map((r) => r.ciId) },
  );
  const before = new Map(
    current.records.map((r) => {
      const f = fields(r.toObject(), 'current owner');
      return [f.text('id'), { id: f.textOrNull('teamId'), name: f.textOrNull('teamName') }];
    }),
  );
  const changed = rows.filter((r) => before.has(r.ciId) && before.get(r.ciId)!.id !== r.teamId);
  if (!changed.length) return [];
  await tx.run(
    `UNWIND $rows AS row
     MATCH (n:CI {id: row.ciId}), (t:Team {id: row.teamId})
     OPTIONAL MATCH (n)-[o:OWNED_BY]->(:Team)
     DELETE o
     WITH DISTINCT n, t, row
     CREATE (n)-[:OWNED_BY]->(t)
     SET n.updatedAt = datetime($at), ${KEEP_OWN_STAMPS}`,
    { rows: changed, at: meta.at, prefix: `${meta.source}|` },
  );
  await recording(tx, meta, log, async (changes) => {
    for (const r of changed) changes.add(r.ciId, 'setOwner', [{ field: 'owner', before: before.get(r.ciId)!.name, after: r.teamName }]);
  });
  return changed.map((r) => r.ciId);
}

export interface TeamWrite {
  id: string;
  name: string;
  email: string | null;
  onCall: string | null;
  slackChannel: string | null;
}

/** Teams are identified by name; returns the id each name ended up with. */
export async function upsertTeams(tx: Tx, teams: TeamWrite[], meta: WriteMeta): Promise<Map<string, string>> {
  const res = await tx.run(
    `UNWIND $teams AS t
     MERGE (team:Team {name: t.name})
       ON CREATE SET team.id = t.id, team.createdAt = datetime($at)
     SET team.email = coalesce(t.email, team.email), team.onCall = coalesce(t.onCall, team.onCall),
         team.slackChannel = coalesce(t.slackChannel, team.slackChannel), team.updatedAt = datetime($at)
     RETURN t.name AS name, team.id AS id`,
    { teams, ...meta },
  );
  return new Map(
    res.records.map((r) => {
      const f = fields(r.toObject(), 'team');
      return [f.text('name'), f.text('id')];
    }),
  );
}

export interface HistoryRow {
  id: string;
  at: string;
  actor: string;
  source: string;
  action: string;
  changes: FieldChange[];
}

export async function historyOf(tx: Tx, ciIds: readonly string[], limit: number): Promise<Map<string, HistoryRow[]>> {
  const res = await tx.run(
    `UNWIND $ids AS id
     MATCH (h:History)-[:ABOUT]->(:CI {id: id})
     WITH id, h ORDER BY h.at DESC, h.id DESC
     WITH id, collect(h)[0..$limit] AS hs
     RETURN id, [h IN hs | {id: h.id, at: toString(h.at), actor: h.actor, source: h.source, action: h.action,
                            changes: h.changes}] AS hs`,
    { ids: ciIds, limit: neo4j.int(limit) },
  );
  return new Map(
    res.records.map((r) => [
      fields(r.toObject(), 'history').text('id'),
      (r.get('hs') as unknown[]).map((h) => {
        const f = fields(h, 'history entry');
        const id = f.text('id');
        return { id, at: f.instant('at'), actor: f.text('actor'), source: f.text('source'), action: f.text('action'), changes: readFieldChanges(f.text('changes'), id) };
      }),
    ]),
  );
}

function firstKey(r: CiWriteRow): string {
  return [...claimsOf(r)].sort()[0] ?? '';
}

/** Keeps a CI's element id from a row of `id` and `eid`, for later writes of the same transaction. */
function elementIdFrom(rec: { toObject(): object }, into: Map<string, string>): void {
  const f = fields(rec.toObject(), 'written CI');
  into.set(f.text('id'), f.text('eid'));
}
