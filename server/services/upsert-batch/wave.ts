// Owns one wave of identification: the items whose parent (if any) has an id are matched to stored CIs by the
// class model's rules, reconciled by source precedence, and written, so the next wave finds their keys.
import { createHash } from 'node:crypto';
import type { ClassModel } from '../../domain/class-model/types';
import { identificationKeys, missingIdentification, mintId, normalizeIdentValue, type IdentKey } from '../../domain/ci/identity';
import { inputField } from '../../domain/ci/common-fields';
import { reconcile } from '../../domain/ci/reconcile';
import { cisByIds } from '../../neo4j/repositories/ci-repository';
import { findStampedByIdentKeys, recordDuplicateConflicts, stampIngest, writeCis, type CiWriteRow } from '../../neo4j/repositories/ci-writes';
import type { CiRow } from '../../neo4j/repositories/rows';
import { ciWriteRow, flatValues } from '../ci-write-row';
import { reject, type BatchContext, type Prepared } from './context';
import { PLANNED } from './types';

export type WaveItem = Prepared & { parentId: string | undefined };

/** What the store says about a wave's items, read in three queries for the whole wave. */
interface WaveLookup {
  keysOf: IdentKey[][];
  hashes: string[];
  /** CIs each identification key names. */
  found: Map<string, string[]>;
  /** Re-sent items whose stored stamp shows them unchanged: their CI and the fields kept from another source. */
  fast: ({ id: string; kept: string } | undefined)[];
  /** Stored values of every CI a non-fast item's keys name. */
  candidates: Map<string, CiRow>;
}

interface Conflict {
  key: string;
  ciIds: string[];
}

export async function applyWave(ctx: BatchContext, wave: WaveItem[]): Promise<void> {
  const look = await lookUpWave(ctx, wave);
  const conflicts: Conflict[] = [];
  const matchIds = matchWave(ctx, wave, look, conflicts);
  if (conflicts.length && !ctx.dry) await recordDuplicateConflicts(ctx.tx, conflicts, ctx.meta);
  const { writes, stamps } = planWrites(ctx, wave, look, matchIds);
  if (ctx.dry) return;
  await stampIngest(ctx.tx, stamps, ctx.meta.source);
  // Written per wave so that the next wave's scoped items find their parents' identification keys.
  if (writes.length) await writeCis(ctx.tx, writes, ctx.meta, ctx.changes);
}

/**
 * What a source sent for an item, as a stamp stored on the CI: `source|hash|keptFields`. The hash covers
 * everything that decides the write (class, values, the owner's team if it exists, parent), so the same stamp on
 * the same CI means the item is unchanged and neither the CI's values nor a write are needed.
 */
function itemHash(p: Prepared, parentId: string | undefined, ownerTeamId: string | null): string {
  const values = Object.keys(p.values)
    .sort()
    .map((k) => [k, p.values[k]]);
  return createHash('sha1')
    .update(JSON.stringify([p.item.className, values, ownerTeamId, parentId ?? null]))
    .digest('base64url');
}

async function lookUpWave(ctx: BatchContext, wave: WaveItem[]): Promise<WaveLookup> {
  const { model, teamIds, meta } = ctx;
  const keysOf = wave.map((p) => identificationKeys(model, p.item.className, p.values, p.parentId));
  const hashes = wave.map((p) => itemHash(p, p.parentId, p.item.owner ? (teamIds.get(p.item.owner) ?? null) : null));
  const stamped = await findStampedByIdentKeys(ctx.tx, [...new Set(keysOf.flat().map((k) => k.key))]);
  const found = new Map([...stamped].map(([k, cis]) => [k, cis.map((c) => c.id)]));
  // The fast path of a re-sent item: every key names the same one CI and that CI carries this source's stamp of
  // the same item, written when the CI last changed (any other write clears stamps).
  const fast = wave.map((_, w) => {
    const cis = keysOf[w]!.flatMap((k) => stamped.get(k.key) ?? []);
    if (!cis.length || cis.some((c) => c.id !== cis[0]!.id)) return undefined;
    const prefix = `${meta.source}|${hashes[w]}|`;
    const stamp = cis[0]!.stamps.find((x) => x.startsWith(prefix));
    return stamp === undefined ? undefined : { id: cis[0]!.id, kept: stamp.slice(prefix.length) };
  });
  // Candidates' stored values, to rule out a CI whose higher-priority identifiers contradict the item's.
  const candidateIds = wave.flatMap((_, w) => (fast[w] ? [] : keysOf[w]!.flatMap((k) => found.get(k.key) ?? [])));
  const candidates = await cisByIds(ctx.tx, [...new Set(candidateIds)]);
  return { keysOf, hashes, found, fast, candidates };
}

/** The CI each item of the wave matches ('' for none, so it will be created; undefined when rejected or fast). */
function matchWave(ctx: BatchContext, wave: WaveItem[], look: WaveLookup, conflicts: Conflict[]): (string | undefined)[] {
  const matchIds: (string | undefined)[] = [];
  // Two items of one batch describing the same CI would create it twice.
  const batchKeys = new Map<string, number>();
  wave.forEach((p, w) => {
    const f = look.fast[w];
    if (f) return acceptFast(ctx, p, f);
    const match = matchItem(ctx, p, look.keysOf[w]!, look, conflicts);
    if (match === undefined) return;
    const first = look.keysOf[w]![0]?.key;
    if (!match && first) {
      if (batchKeys.has(first)) return reject(ctx, p.index, 'item', `describes the same CI as item ${batchKeys.get(first)}`);
      batchKeys.set(first, p.index);
    }
    matchIds[w] = match;
  });
  return matchIds;
}

function acceptFast(ctx: BatchContext, p: Prepared, f: { id: string; kept: string }): void {
  const out = ctx.outcomes[p.index]!;
  out.id = f.id;
  out.keptFields = f.kept ? f.kept.split(',') : [];
  if (p.item.ref) ctx.idOfRef.set(p.item.ref, f.id);
  ctx.classOf.set(f.id, p.item.className);
}

/**
 * Rules are tried in order, as identification engines do; the first that finds exactly one compatible CI
 * decides. A CI is compatible when no rule tried before it has all its attributes set on both sides with
 * different values (a server with another serial number is another server, whatever its hostname).
 * Two compatible CIs on one rule are a duplicate conflict: reported, never merged. Returns the matched id, ''
 * when nothing matches, undefined when the item was rejected.
 */
function matchItem(ctx: BatchContext, p: Prepared, keys: IdentKey[], look: WaveLookup, conflicts: Conflict[]): string | undefined {
  const rules = ctx.model.identificationRules(p.item.className);
  if (!keys.length) {
    // Without any identifier the item would be created again on every run.
    const missing = missingIdentification(ctx.model, p.item.className, p.values);
    return void reject(ctx, p.index, inputField(missing.attribute), missing.reason);
  }
  let match: string | undefined;
  for (const [i, k] of keys.entries()) {
    const compatible = (look.found.get(k.key) ?? []).filter((id) => compatibleWithEarlierRules(ctx.model, p, keys.slice(0, i), look.candidates.get(id)));
    const field = inputField(rules[k.rule]!.attributes[0]!);
    if (compatible.length > 1) {
      reject(ctx, p.index, field, `duplicate conflict: ${compatible.length} CIs match by ${rules[k.rule]!.attributes.join(' + ')} (${compatible.slice(0, 3).join(', ')}); nothing was merged`);
      conflicts.push({ key: k.key, ciIds: compatible });
      return undefined;
    }
    if (compatible.length === 1 && !match) {
      match = compatible[0];
    } else if (compatible.length === 1 && compatible[0] !== match) {
      // A later rule names a different compatible CI: two records describe this item.
      const ids = [match!, compatible[0]!];
      reject(ctx, p.index, field, `duplicate conflict: ${ids.join(' and ')} both match (by different identification rules); nothing was merged`);
      conflicts.push({ key: keys.map((x) => x.key).join(' / '), ciIds: ids });
      return undefined;
    }
  }
  return match ?? '';
}

function compatibleWithEarlierRules(model: ClassModel, p: Prepared, earlier: IdentKey[], c: CiRow | undefined): boolean {
  if (!c) return false;
  const stored: Record<string, unknown> = { name: c.name, ...c.attributes };
  const rules = model.identificationRules(p.item.className);
  return earlier.every((e) => {
    const attrs = rules[e.rule]!.attributes;
    const storedHasAll = attrs.every((a) => stored[a] !== undefined && stored[a] !== null);
    return !storedHasAll || attrs.every((a) => normalizeIdentValue(stored[a]) === normalizeIdentValue(p.values[a]));
  });
}

/** Reconciles each matched or new item; candidates already hold every matched CI's stored values. */
function planWrites(ctx: BatchContext, wave: WaveItem[], look: WaveLookup, matchIds: (string | undefined)[]): { writes: CiWriteRow[]; stamps: { id: string; stamp: string }[] } {
  const writes: CiWriteRow[] = [];
  const stamps: { id: string; stamp: string }[] = [];
  wave.forEach((p, w) => {
    if (ctx.outcomes[p.index]!.status === 'REJECTED' || look.fast[w]) return;
    const matchId = matchIds[w];
    const row = matchId ? look.candidates.get(matchId) : undefined;
    if (row && row.className !== p.item.className) return reject(ctx, p.index, 'className', `identifies ${row.id}, which is a ${row.className}`);
    const planned = planItem(ctx, p, row, look.keysOf[w]!, look.hashes[w]!);
    if (planned.stamp) stamps.push(planned.stamp);
    if (planned.write) writes.push(planned.write);
  });
  return { writes, stamps };
}

function planItem(
  ctx: BatchContext,
  p: Prepared,
  row: CiRow | undefined,
  keys: IdentKey[],
  hash: string,
): { stamp?: { id: string; stamp: string }; write?: CiWriteRow } {
  const { model, meta, dry } = ctx;
  const out = ctx.outcomes[p.index]!;
  const id = row?.id ?? (dry ? `${PLANNED}${mintId('ci')}` : mintId('ci'));
  out.id = id;
  if (p.item.ref) ctx.idOfRef.set(p.item.ref, id);
  ctx.classOf.set(id, p.item.className);
  const r = reconcile({
    current: row ? flatValues(row) : undefined,
    currentProvenance: row?.provenance ?? {},
    // A new CI starts operational unless the source says otherwise; an update leaves lifecycle alone.
    incoming: row || p.values.lifecycle ? p.values : { lifecycle: 'operational', ...p.values },
    source: meta.source,
    at: meta.at,
    precedence: (field) => model.precedence(p.item.className, field),
  });
  out.keptFields = r.kept.map((k) => k.field);
  const stamp = `${meta.source}|${hash}|${out.keptFields.join(',')}`;
  // A CI created here gets its owner as it is created; an existing one's owner is compared and set afterwards.
  const ownerTeamId = !row && !dry && p.item.owner ? ctx.teamIds.get(p.item.owner) : undefined;
  if (p.item.owner && !ownerTeamId) ctx.ownerRows.push({ ciId: id, teamName: p.item.owner, index: p.index });
  if (row && !r.changes.length) {
    out.status = 'UNCHANGED';
    return { stamp: { id, stamp } };
  }
  out.status = row ? 'UPDATED' : 'CREATED';
  out.changedFields = r.changes.map((c) => c.field);
  if (dry) return {};
  const owned = ownerTeamId ? [{ field: 'owner', before: null, after: p.item.owner! }] : [];
  if (ownerTeamId) out.changedFields.push('owner');
  const write = ciWriteRow(model, {
    id,
    create: !row,
    className: p.item.className,
    all: { ...(row ? flatValues(row) : {}), ...r.set },
    set: r.set,
    provenance: r.provenance,
    identKeys: keys.map((k) => k.key),
    changes: [...r.changes, ...owned],
    action: row ? 'update' : 'create',
  });
  return { write: { ...write, ingestStamp: stamp, ownerTeamId: ownerTeamId ?? null } };
}
