// Owns the bulk upsert of a discovery batch: teams, CIs and relationships from one source in one transaction,
// with identification by the class model's rules (scoped rules within their parent), reconciliation by source
// precedence, and an outcome per item. A rejected item is reported and the rest of the batch still commits.
import { createHash } from 'node:crypto';
import { validateAttributes } from '../domain/class-model/validate-attributes';
import type { AttributeValue, ClassModel } from '../domain/class-model/types';
import { identificationKeys, mintId } from '../domain/ci/identity';
import { reconcile } from '../domain/ci/reconcile';
import { ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import { cisByIds, classesOf } from '../neo4j/repositories/ci-repository';
import {
  ChangeSet,
  findByIdentKeys,
  findStampedByIdentKeys,
  IdentKeyTaken,
  recordDuplicateConflicts,
  setOwners,
  stampIngest,
  upsertTeams,
  writeCis,
  writeHistory,
  writeRelationships,
  type CiWriteRow,
  type WriteMeta,
} from '../neo4j/repositories/ci-writes';
import { markSeen, runById } from '../neo4j/repositories/discovery-repository';
import { ciWriteRow, flatValues } from './ci-write-row';

function norm(v: unknown): string {
  return Array.isArray(v) ? v.map((x) => String(x).trim().toLowerCase()).join(',') : String(v).trim().toLowerCase();
}

/** How a batch names a CI: by Ripple id, by the `ref` of an item in the same batch, or by identification. */
export type EndRef =
  | { id: string; ref?: undefined; className?: undefined }
  | { ref: string; id?: undefined; className?: undefined }
  | { className: string; attributes: Record<string, unknown>; parent?: EndRef; id?: undefined; ref?: undefined };

export interface UpsertItem {
  ref?: string;
  className: string;
  name: string;
  environment?: string | null;
  lifecycle?: string | null;
  criticality?: number | null;
  description?: string | null;
  owner?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface UpsertRelationship {
  type: string;
  from: EndRef;
  to: EndRef;
}

export interface UpsertTeam {
  name: string;
  email?: string | null;
  onCall?: string | null;
  slackChannel?: string | null;
}

export interface UpsertBatchInput {
  source: string;
  teams?: UpsertTeam[];
  items?: UpsertItem[];
  relationships?: UpsertRelationship[];
  dryRun?: boolean;
  /** A running discovery run of the same source: what this batch names counts as seen by that run. */
  runId?: string;
}

export type OutcomeStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';

export interface ItemOutcome {
  index: number;
  ref: string | null;
  id: string | null;
  status: OutcomeStatus;
  changedFields: string[];
  /** Fields whose value a more trusted source holds, so this source's value was not applied. */
  keptFields: string[];
  errors: { field: string; reason: string }[];
  /** Parts of an accepted item that were not applied, e.g. an owner team that does not exist. */
  warnings: { field: string; reason: string }[];
}

/** An item whose owner changed is UPDATED with `owner` among its changed fields, whatever else it changed. */
function markOwnerChanged(outcomes: ItemOutcome[], ownerRows: { ciId: string; index: number }[], changed: Set<string>): void {
  for (const o of ownerRows) {
    if (!changed.has(o.ciId)) continue;
    const out = outcomes[o.index]!;
    if (out.status === 'UNCHANGED') out.status = 'UPDATED';
    if (!out.changedFields.includes('owner')) out.changedFields.push('owner');
  }
}

export interface RelationshipOutcome {
  index: number;
  status: 'CREATED' | 'UNCHANGED' | 'REJECTED';
  from: string | null;
  to: string | null;
  errors: { field: string; reason: string }[];
}

export interface UpsertBatchResult {
  dryRun: boolean;
  items: ItemOutcome[];
  relationships: RelationshipOutcome[];
  counts: Record<OutcomeStatus, number>;
}

/** Prefix of the id a dry run reports for a CI it would create: no CI has it, and later chunks may name it. */
export const PLANNED = 'planned:';

const COMMON = ['name', 'environment', 'lifecycle', 'criticality', 'description'] as const;


function fieldName(f: string): string {
  return (COMMON as readonly string[]).includes(f) ? f : `attributes.${f}`;
}

interface Prepared {
  index: number;
  item: UpsertItem;
  values: Record<string, AttributeValue>;
  scope: { relationship: string; parentClass: string } | undefined;
  parentRef: EndRef | undefined;
}

export async function upsertBatch(
  db: Db,
  model: ClassModel,
  input: UpsertBatchInput,
  actor: string,
  maxBatch: number,
): Promise<UpsertBatchResult> {
  const items = input.items ?? [];
  const rels = input.relationships ?? [];
  const size = items.length + rels.length + (input.teams?.length ?? 0);
  if (size > maxBatch) {
    throw new ValidationError('input', `the batch has ${size} entries; the limit is ${maxBatch} (RIPPLE_MAX_BATCH): split it`);
  }
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(input.source)) {
    throw new ValidationError('source', 'must be a short name of letters, digits, dot, dash or underscore');
  }
  const work = async (tx: Tx) => run(tx, model, input, actor);
  if (input.dryRun) return db.read(work);
  // A concurrent writer can create the same CI between our identification and our write; its committed key
  // then refuses ours (IdentKeyTaken) and the batch is identified again, finding that CI this time.
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.write(work);
    } catch (e) {
      if (!(e instanceof IdentKeyTaken) || attempt >= 5) throw e;
    }
  }
}

async function run(tx: Tx, model: ClassModel, input: UpsertBatchInput, actor: string): Promise<UpsertBatchResult> {
  const m: WriteMeta = { actor, source: input.source, at: new Date().toISOString() };
  if (input.runId) {
    const runRec = await runById(tx, input.runId);
    if (!runRec) throw new ValidationError('runId', `no discovery run ${input.runId}`);
    if (runRec.status !== 'RUNNING') throw new ValidationError('runId', `run ${input.runId} is ${runRec.status}, not RUNNING`);
    if (runRec.source !== input.source) throw new ValidationError('runId', `run ${input.runId} belongs to source "${runRec.source}", not "${input.source}"`);
  }
  const dry = input.dryRun === true;
  const items = input.items ?? [];
  const rels = input.relationships ?? [];
  // Everything the batch does to one CI becomes one History entry, written at the end.
  const changes = new ChangeSet();
  const outcomes: ItemOutcome[] = items.map((it, index) => ({
    index,
    ref: it.ref ?? null,
    id: null,
    status: 'UNCHANGED',
    changedFields: [],
    keptFields: [],
    errors: [],
    warnings: [],
  }));
  const reject = (i: number, field: string, reason: string) => {
    outcomes[i]!.status = 'REJECTED';
    outcomes[i]!.errors.push({ field, reason });
  };

  // Teams first: items name their owner by team name.
  const teamIds = new Map<string, string>();
  if (input.teams?.length && !dry) {
    const ids = await upsertTeams(
      tx,
      input.teams.map((t) => ({ id: mintId('team'), name: t.name, email: t.email ?? null, onCall: t.onCall ?? null, slackChannel: t.slackChannel ?? null })),
      m,
    );
    for (const [k, v] of ids) teamIds.set(k, v);
  }

  // Owners by team name: names sent in this batch, else teams that exist already. Resolved before the items,
  // because which team an item names is part of what decides whether it changed.
  const ownerNames = [...new Set(items.flatMap((it) => (it.owner ? [it.owner] : [])))].filter((n) => !teamIds.has(n));
  if (ownerNames.length) {
    const res = await tx.run('UNWIND $names AS n MATCH (t:Team {name: n}) RETURN t.name AS name, t.id AS id', { names: ownerNames });
    for (const r of res.records) teamIds.set(r.get('name') as string, r.get('id') as string);
  }
  // A dry run writes no team, but a team the batch sends would exist: it counts as the owner to be.
  if (dry) for (const t of input.teams ?? []) if (!teamIds.has(t.name)) teamIds.set(t.name, `${PLANNED}${t.name}`);

  // The first relationship of each type from each item ref: a scoped item's parent is the target of its scope one.
  const firstRelFrom = new Map<string, UpsertRelationship>();
  for (const r of rels) {
    if (r.from.ref === undefined) continue;
    const k = `${r.type}\u0000${r.from.ref}`;
    if (!firstRelFrom.has(k)) firstRelFrom.set(k, r);
  }

  // Validate every item against its class; collect refs.
  const refs = new Map<string, number>();
  const prepared: Prepared[] = [];
  items.forEach((it, index) => {
    const cls = model.get(it.className);
    if (!cls) return reject(index, 'className', `unknown class "${it.className}"`);
    if (cls.abstract) return reject(index, 'className', `"${it.className}" is abstract`);
    if (it.ref) {
      if (refs.has(it.ref)) return reject(index, 'ref', `"${it.ref}" is used by item ${refs.get(it.ref)} too`);
      refs.set(it.ref, index);
    }
    const raw: Record<string, unknown> = { ...(it.attributes ?? {}) };
    for (const f of COMMON) if (it[f] !== undefined && it[f] !== null) raw[f] = it[f];
    raw.name = it.name;
    const v = validateAttributes(model, it.className, raw, { partial: false });
    if (!v.ok) {
      for (const e of v.errors) reject(index, fieldName(e.field), e.reason);
      return;
    }
    const scope = model.identificationRules(it.className).find((r) => r.scope)?.scope;
    let parentRef: EndRef | undefined;
    if (scope) {
      // The parent is the target of this item's scope relationship in the same batch.
      parentRef = it.ref !== undefined ? firstRelFrom.get(`${scope.relationship}\u0000${it.ref}`)?.to : undefined;
    }
    prepared.push({ index, item: it, values: v.value, scope: scope ? { relationship: scope.relationship, parentClass: scope.parentClass } : undefined, parentRef });
  });

  // Resolve in waves: an item identified within a parent waits until its parent (often in this batch) has an id.
  const idOfRef = new Map<string, string>();
  // Ends named by id or by identification are looked up in bulk, once per batch, not once per relationship.
  const knownIds = new Set<string>();
  // The class of every CI this batch names or writes, for the relationship checks.
  const classOf = new Map<string, string>();
  const identified = new Map<string, string>();
  const identKeyOf = (end: EndRef, parentId: string | undefined): string[] => {
    if (end.className === undefined || !model.get(end.className)) return [];
    const v = validateAttributes(model, end.className, { ...end.attributes }, { partial: true });
    return v.ok ? identificationKeys(model, end.className, v.value, parentId).map((k) => k.key) : [];
  };
  {
    const allEnds = [...rels.flatMap((r) => [r.from, r.to]), ...prepared.flatMap((p) => (p.parentRef ? [p.parentRef] : []))];
    const withParents = allEnds.flatMap((e) => (e.className !== undefined && e.parent ? [e, e.parent] : [e]));
    const ids = [...new Set(withParents.flatMap((e) => (e.id ? [e.id] : [])))];
    for (const [id, { className, eid }] of await classesOf(tx, ids)) {
      knownIds.add(id);
      classOf.set(id, className);
      changes.elementIds.set(id, eid);
    }
    const keys = [...new Set(withParents.flatMap((e) => identKeyOf(e, e.className !== undefined && e.parent?.id ? e.parent.id : undefined)))];
    for (const [k, found] of await findByIdentKeys(tx, keys)) if (found.length === 1) identified.set(k, found[0]!);
  }
  const resolveEnd = async (end: EndRef): Promise<string | undefined> => {
    // A dry run's planned CIs (ids `planned:…` from an earlier chunk of the same dry run) stand for CIs it would create.
    if (end.id) return knownIds.has(end.id) || (dry && end.id.startsWith(PLANNED)) ? end.id : undefined;
    if (end.ref !== undefined) return idOfRef.get(end.ref);
    if (end.className !== undefined) {
      const parentId = end.parent ? await resolveEnd(end.parent) : undefined;
      const keys = identKeyOf(end, parentId);
      for (const k of keys) if (identified.has(k)) return identified.get(k);
      // A CI created earlier in this batch, or a parent known only now: look it up directly.
      if (keys.length) {
        const found = await findByIdentKeys(tx, keys);
        for (const k of keys) if (found.get(k)?.length === 1) return found.get(k)![0];
      }
    }
    return undefined;
  };

  let pending = prepared;
  const writes: CiWriteRow[] = [];
  const ownerRows: { ciId: string; teamName: string; index: number }[] = [];
  while (pending.length) {
    const ready: (Prepared & { parentId: string | undefined })[] = [];
    const waiting: Prepared[] = [];
    for (const p of pending) {
      if (!p.scope) {
        ready.push({ ...p, parentId: undefined });
        continue;
      }
      if (!p.parentRef) {
        // Without its parent a scoped item has no identity, and re-sending it would create it again.
        reject(p.index, 'parent', `a ${p.item.className} is identified within its parent: send a ${p.scope.relationship} relationship from this item (by ref) to its ${p.scope.parentClass}`);
        continue;
      }
      if (p.parentRef.ref !== undefined && refs.has(p.parentRef.ref) && !idOfRef.has(p.parentRef.ref)) {
        const parentIdx = refs.get(p.parentRef.ref)!;
        if (outcomes[parentIdx]!.status === 'REJECTED') {
          reject(p.index, 'parent', `its parent (item ${parentIdx}) was rejected`);
          continue;
        }
        waiting.push(p);
        continue;
      }
      const parentId = await resolveEnd(p.parentRef);
      if (!parentId) {
        reject(p.index, 'parent', `the ${p.scope.relationship} target that identifies it could not be found`);
        continue;
      }
      ready.push({ ...p, parentId });
    }
    if (!ready.length) {
      for (const p of waiting) reject(p.index, 'parent', 'its parent is part of a cycle of scoped items');
      break;
    }
    await applyWave(tx, model, ready, m, dry, outcomes, reject, writes, ownerRows, idOfRef, classOf, teamIds, changes);
    pending = waiting;
  }

  // Owners by team name. A team that exists nowhere leaves the CI's owner as it was, and the item says so.
  for (const [index, it] of items.entries()) {
    if (!it.owner || teamIds.has(it.owner) || outcomes[index]!.status === 'REJECTED') continue;
    outcomes[index]!.warnings.push({
      field: 'owner',
      reason: `no team is named "${it.owner}": send it in \`teams\` or create it first; the owner was not set`,
    });
  }
  if (ownerRows.length) {
    const rows: { ciId: string; teamId: string; teamName: string }[] = [];
    for (const o of ownerRows) {
      const teamId = teamIds.get(o.teamName);
      if (teamId) rows.push({ ciId: o.ciId, teamId, teamName: o.teamName });
    }
    if (dry) {
      // What would change, without writing: owners are read, not set; a CI to be created gets its owner.
      const res = await tx.run(
        'UNWIND $rows AS row MATCH (n:CI {id: row.ciId}) WHERE NOT (n)-[:OWNED_BY]->(:Team {id: row.teamId}) RETURN row.ciId AS id',
        { rows },
      );
      const changed = new Set(res.records.map((r) => r.get('id') as string));
      for (const o of ownerRows) if (outcomes[o.index]!.status === 'CREATED' && teamIds.has(o.teamName)) changed.add(o.ciId);
      markOwnerChanged(outcomes, ownerRows, changed);
    } else {
      markOwnerChanged(outcomes, ownerRows, new Set(await setOwners(tx, rows, m, changes)));
    }
  }

  // Relationships: ends by id, ref or identification; rejected items make their relationships rejected.
  const relOutcomes: RelationshipOutcome[] = [];
  const relWrites: { from: string; to: string; type: string; index: number }[] = [];
  const cache = new Map<string, string>();
  for (const [i, r] of rels.entries()) {
    const out: RelationshipOutcome = { index: i, status: 'UNCHANGED', from: null, to: null, errors: [] };
    relOutcomes.push(out);
    const def = model.relationship(r.type);
    if (!def || !def.impacting) {
      out.status = 'REJECTED';
      out.errors.push({ field: 'type', reason: `unknown relationship type "${r.type}"` });
      continue;
    }
    for (const side of ['from', 'to'] as const) {
      const end = r[side];
      // Most ends are ids or refs (checked in resolveEnd's order): a cheap key for those, the whole end otherwise.
      const key = end.id ? `i\u0000${end.id}` : end.ref !== undefined ? `r\u0000${end.ref}` : JSON.stringify(end);
      let id = cache.get(key);
      if (!id) {
        id = await resolveEnd(end);
        if (id) cache.set(key, id);
      }
      if (!id) {
        out.status = 'REJECTED';
        const what = end.ref !== undefined ? `item ref "${end.ref}"` : end.id ? `CI ${end.id}` : `${end.className} ${JSON.stringify((end as { attributes?: unknown }).attributes)}`;
        out.errors.push({ field: side, reason: `${what} not found${end.ref !== undefined && refs.has(end.ref) ? ' (that item was rejected)' : ''}` });
      }
      out[side] = id ?? null;
    }
    if (out.status === 'REJECTED') continue;
    relWrites.push({ from: out.from!, to: out.to!, type: r.type, index: i });
  }
  // Class checks need both ends' classes.
  const rest = [...new Set(relWrites.flatMap((w) => [w.from, w.to]))].filter((id) => !classOf.has(id));
  for (const [id, { className, eid }] of await classesOf(tx, rest)) {
    classOf.set(id, className);
    changes.elementIds.set(id, eid);
  }
  const allowed = relWrites.filter((w) => {
    const fc = classOf.get(w.from);
    const tc = classOf.get(w.to);
    if (!fc || !tc) return true; // planned in an earlier chunk of this dry run: its class is not known here
    if (w.from === w.to || !model.allowsRelationship(w.type, fc, tc)) {
      const o = relOutcomes[w.index]!;
      o.status = 'REJECTED';
      o.errors.push({ field: 'type', reason: w.from === w.to ? 'a CI cannot need itself' : `${w.type} is not allowed from ${fc} to ${tc}` });
      return false;
    }
    return true;
  });
  if (dry) {
    if (allowed.length) {
      const res = await tx.run(
        `UNWIND $rels AS rel
         OPTIONAL CALL (rel) {
           MATCH (a:CI {id: rel.from}), (b:CI {id: rel.to}) USING INDEX a:CI(id) USING INDEX b:CI(id)
           MATCH (a)-[r]->(b) WHERE type(r) = rel.type
           RETURN count(r) > 0 AS found
         }
         RETURN rel.i AS i, coalesce(found, false) AS exists`,
        { rels: allowed.map((w) => ({ ...w, i: w.index })) },
      );
      for (const rec of res.records) relOutcomes[rec.get('i') as number]!.status = rec.get('exists') ? 'UNCHANGED' : 'CREATED';
    }
  } else {
    const created = new Set(outcomes.filter((o) => o.status === 'CREATED' && o.id).map((o) => o.id!));
    const written = await writeRelationships(tx, allowed, m, { newCis: created, log: changes });
    written.forEach((w, j) => {
      relOutcomes[allowed[j]!.index]!.status = w.created ? 'CREATED' : 'UNCHANGED';
    });
  }

  if (!dry) await writeHistory(tx, changes, m);

  if (input.runId && !dry) {
    await markSeen(
      tx,
      input.source,
      input.runId,
      outcomes.filter((o) => o.status !== 'REJECTED' && o.id).map((o) => o.id!),
      allowed.filter((w) => relOutcomes[w.index]!.status !== 'REJECTED').map((w) => ({ from: w.from, to: w.to, type: w.type })),
    );
  }

  const counts: Record<OutcomeStatus, number> = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0 };
  for (const o of outcomes) counts[o.status] += 1;
  return { dryRun: dry, items: outcomes, relationships: relOutcomes, counts };
}

/**
 * What a source sent for an item, as a stamp stored on the CI: `source|hash|keptFields`. The hash covers
 * everything that decides the write (class, values, the owner's team if it exists, parent), so the same stamp on the same CI means the
 * item is unchanged and neither the CI's values nor a write are needed.
 */
function itemHash(p: Prepared, parentId: string | undefined, ownerTeamId: string | null): string {
  const values = Object.keys(p.values)
    .sort()
    .map((k) => [k, p.values[k]]);
  return createHash('sha1')
    .update(JSON.stringify([p.item.className, values, ownerTeamId, parentId ?? null]))
    .digest('base64url');
}

async function applyWave(
  tx: Tx,
  model: ClassModel,
  wave: (Prepared & { parentId: string | undefined })[],
  m: WriteMeta,
  dry: boolean,
  outcomes: ItemOutcome[],
  reject: (i: number, field: string, reason: string) => void,
  writes: CiWriteRow[],
  ownerRows: { ciId: string; teamName: string; index: number }[],
  idOfRef: Map<string, string>,
  classOf: Map<string, string>,
  teamIds: Map<string, string>,
  changes: ChangeSet,
): Promise<void> {
  const keysOf = wave.map((p) => identificationKeys(model, p.item.className, p.values, p.parentId));
  const hashes = wave.map((p) => itemHash(p, p.parentId, p.item.owner ? (teamIds.get(p.item.owner) ?? null) : null));
  const stamped = await findStampedByIdentKeys(tx, [...new Set(keysOf.flat().map((k) => k.key))]);
  const found = new Map([...stamped].map(([k, cis]) => [k, cis.map((c) => c.id)]));
  // The fast path of a re-sent item: every key names the same one CI and that CI carries this source's stamp of
  // the same item, written when the CI last changed (any other write clears stamps).
  const fast = wave.map((p, w) => {
    const cis = keysOf[w]!.flatMap((k) => stamped.get(k.key) ?? []);
    if (!cis.length || cis.some((c) => c.id !== cis[0]!.id)) return undefined;
    const prefix = `${m.source}|${hashes[w]}|`;
    const stamp = cis[0]!.stamps.find((x) => x.startsWith(prefix));
    return stamp === undefined ? undefined : { id: cis[0]!.id, kept: stamp.slice(prefix.length) };
  });
  // Candidates' stored values, to rule out a CI whose higher-priority identifiers contradict the item's.
  const candidateIds = wave.flatMap((_, w) => (fast[w] ? [] : keysOf[w]!.flatMap((k) => found.get(k.key) ?? [])));
  const candidates = await cisByIds(tx, [...new Set(candidateIds)]);
  const matchIds: (string | undefined)[] = [];
  const batchKeys = new Map<string, number>();
  const conflicts: { key: string; ciIds: string[] }[] = [];
  wave.forEach((p, w) => {
    const f = fast[w];
    if (f) {
      const out = outcomes[p.index]!;
      out.id = f.id;
      out.keptFields = f.kept ? f.kept.split(',') : [];
      if (p.item.ref) idOfRef.set(p.item.ref, f.id);
      classOf.set(f.id, p.item.className);
      return;
    }
    // Rules are tried in order, as identification engines do; the first that finds exactly one compatible CI
    // decides. A CI is compatible when no rule tried before it has all its attributes set on both sides with
    // different values (a server with another serial number is another server, whatever its hostname).
    // Two compatible CIs on one rule are a duplicate conflict: reported, never merged.
    const rules = model.identificationRules(p.item.className);
    const keys = keysOf[w]!;
    if (!keys.length) {
      // Without any identifier the item would be created again on every run.
      const options = rules.map((r) => r.attributes.join(' + ')).join(' or ');
      reject(p.index, fieldName(rules[0]?.attributes[0] ?? 'name'), `carries no identification for a ${p.item.className}: send ${options}`);
      return;
    }
    let match: string | undefined;
    for (const [i, k] of keys.entries()) {
      const compatible = (found.get(k.key) ?? []).filter((id) => {
        const c = candidates.get(id);
        if (!c) return false;
        const stored: Record<string, unknown> = { name: c.name, ...c.attributes };
        return keys.slice(0, i).every((earlier) => {
          const attrs = rules[earlier.rule]!.attributes;
          const storedHasAll = attrs.every((a) => stored[a] !== undefined && stored[a] !== null);
          return !storedHasAll || attrs.every((a) => norm(stored[a]) === norm(p.values[a]));
        });
      });
      if (compatible.length > 1) {
        reject(p.index, fieldName(rules[k.rule]!.attributes[0]!), `duplicate conflict: ${compatible.length} CIs match by ${rules[k.rule]!.attributes.join(' + ')} (${compatible.slice(0, 3).join(', ')}); nothing was merged`);
        conflicts.push({ key: k.key, ciIds: compatible });
        return;
      }
      if (compatible.length === 1 && !match) {
        match = compatible[0];
      } else if (compatible.length === 1 && compatible[0] !== match) {
        // A later rule names a different compatible CI: two records describe this item.
        const ids = [match!, compatible[0]!];
        reject(p.index, fieldName(rules[k.rule]!.attributes[0]!), `duplicate conflict: ${ids.join(' and ')} both match (by different identification rules); nothing was merged`);
        conflicts.push({ key: keys.map((x) => x.key).join(' / '), ciIds: ids });
        return;
      }
    }
    // Two items of one batch describing the same CI would create it twice.
    const first = keysOf[w]![0]?.key;
    if (!match && first) {
      if (batchKeys.has(first)) {
        reject(p.index, 'item', `describes the same CI as item ${batchKeys.get(first)}`);
        return;
      }
      batchKeys.set(first, p.index);
    }
    matchIds[w] = match ?? '';
  });
  if (conflicts.length && !dry) await recordDuplicateConflicts(tx, conflicts, m);
  // Candidates already hold every matched CI's stored values.
  const stamps: { id: string; stamp: string }[] = [];
  wave.forEach((p, w) => {
    const out = outcomes[p.index]!;
    if (out.status === 'REJECTED' || fast[w]) return;
    const matchId = matchIds[w];
    const row = matchId ? candidates.get(matchId) : undefined;
    if (row && row.className !== p.item.className) {
      reject(p.index, 'className', `identifies ${row.id}, which is a ${row.className}`);
      return;
    }
    const id = row?.id ?? (dry ? `${PLANNED}${mintId('ci')}` : mintId('ci'));
    out.id = id;
    if (p.item.ref) idOfRef.set(p.item.ref, id);
    classOf.set(id, p.item.className);
    const r = reconcile({
      current: row ? flatValues(row) : undefined,
      currentProvenance: row?.provenance ?? {},
      // A new CI starts operational unless the source says otherwise; an update leaves lifecycle alone.
      incoming: row || p.values.lifecycle ? p.values : { lifecycle: 'operational', ...p.values },
      source: m.source,
      at: m.at,
      precedence: (field) => model.precedence(p.item.className, field),
    });
    out.keptFields = r.kept.map((k) => k.field);
    const stamp = `${m.source}|${hashes[w]}|${out.keptFields.join(',')}`;
    // A CI created here gets its owner as it is created; an existing one's owner is compared and set afterwards.
    const ownerTeamId = !row && !dry && p.item.owner ? teamIds.get(p.item.owner) : undefined;
    if (p.item.owner && !ownerTeamId) ownerRows.push({ ciId: id, teamName: p.item.owner, index: p.index });
    if (row && !r.changes.length) {
      out.status = 'UNCHANGED';
      stamps.push({ id, stamp });
      return;
    }
    out.status = row ? 'UPDATED' : 'CREATED';
    out.changedFields = r.changes.map((c) => c.field);
    if (dry) return;
    const owned = ownerTeamId ? [{ field: 'owner', before: null, after: p.item.owner! }] : [];
    if (ownerTeamId) out.changedFields.push('owner');
    writes.push({
      ...ciWriteRow(model, {
        id,
        create: !row,
        className: p.item.className,
        all: { ...(row ? flatValues(row) : {}), ...r.set },
        set: r.set,
        provenance: r.provenance,
        identKeys: keysOf[w]!.map((k) => k.key),
        changes: [...r.changes, ...owned],
        action: row ? 'update' : 'create',
      }),
      ingestStamp: stamp,
      ownerTeamId: ownerTeamId ?? null,
    });
  });
  if (!dry) await stampIngest(tx, stamps, m.source);
  // Written per wave so that the next wave's scoped items find their parents' identification keys.
  if (!dry && writes.length) {
    await writeCis(tx, writes.splice(0), m, changes);
  }
}
