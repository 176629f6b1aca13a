// Owns the item stages of a discovery batch: validating each item against its class, finding the ends the batch
// names by id or identification in bulk, and identifying items in waves so a scoped item waits for its parent.
import { validateAttributes } from '../../domain/class-model/validate-attributes';
import { COMMON_FIELDS, inputField } from '../../domain/ci/common-fields';
import { identificationKeys } from '../../domain/ci/identity';
import { plannedClass } from '../../domain/ci/planned-id';
import { classesOf } from '../../neo4j/repositories/ci-repository';
import { findByIdentKeys } from '../../neo4j/repositories/ci-writes';
import { PLANNED_SECRET, reject, type BatchContext, type Prepared } from './context';
import type { EndRef, UpsertItem, UpsertRelationship } from './types';
import { applyWave, type WaveItem } from './wave';

/** Validates every item against its class and records refs; the items that pass become `ctx.prepared`. */
export function prepareItems(ctx: BatchContext): void {
  const firstRelFrom = firstRelationshipFrom(ctx.rels);
  ctx.items.forEach((it, index) => {
    const p = prepareItem(ctx, it, index, firstRelFrom);
    if (p) ctx.prepared.push(p);
  });
}

/** The first relationship of each type from each item ref: a scoped item's parent is the target of its scope one. */
function firstRelationshipFrom(rels: UpsertRelationship[]): Map<string, UpsertRelationship> {
  const first = new Map<string, UpsertRelationship>();
  for (const r of rels) {
    if (r.from.ref === undefined) continue;
    const k = `${r.type}\u0000${r.from.ref}`;
    if (!first.has(k)) first.set(k, r);
  }
  return first;
}

function prepareItem(ctx: BatchContext, it: UpsertItem, index: number, firstRelFrom: Map<string, UpsertRelationship>): Prepared | undefined {
  const { model, refs } = ctx;
  const cls = model.get(it.className);
  if (!cls) return void reject(ctx, index, 'className', `unknown class "${it.className}"`);
  if (cls.abstract) return void reject(ctx, index, 'className', `"${it.className}" is abstract`);
  if (it.ref) {
    if (refs.has(it.ref)) return void reject(ctx, index, 'ref', `"${it.ref}" is used by item ${refs.get(it.ref)} too`);
    refs.set(it.ref, index);
  }
  const raw: Record<string, unknown> = { ...(it.attributes ?? {}) };
  for (const f of COMMON_FIELDS) if (it[f] !== undefined && it[f] !== null) raw[f] = it[f];
  raw.name = it.name;
  const v = validateAttributes(model, it.className, raw, { partial: false });
  if (!v.ok) {
    for (const e of v.errors) reject(ctx, index, inputField(e.field), e.reason);
    return undefined;
  }
  const scope = model.identificationRules(it.className).find((r) => r.scope)?.scope;
  // The parent is the target of this item's scope relationship in the same batch.
  const parentRef = scope && it.ref !== undefined ? firstRelFrom.get(`${scope.relationship}\u0000${it.ref}`)?.to : undefined;
  return { index, item: it, values: v.value, scope: scope ? { relationship: scope.relationship, parentClass: scope.parentClass } : undefined, parentRef };
}

/** The identification keys an end named by class and attributes carries (none for other ends). */
function identKeyOf(ctx: BatchContext, end: EndRef, parentId: string | undefined): string[] {
  const { model } = ctx;
  if (end.className === undefined || !model.get(end.className)) return [];
  const v = validateAttributes(model, end.className, { ...end.attributes }, { partial: true });
  return v.ok ? identificationKeys(model, end.className, v.value, parentId).map((k) => k.key) : [];
}

/** Ends named by id or by identification are looked up in bulk, once per batch, not once per relationship. */
export async function lookUpNamedEnds(ctx: BatchContext): Promise<void> {
  const allEnds = [...ctx.rels.flatMap((r) => [r.from, r.to]), ...ctx.prepared.flatMap((p) => (p.parentRef ? [p.parentRef] : []))];
  const withParents = allEnds.flatMap((e) => (e.className !== undefined && e.parent ? [e, e.parent] : [e]));
  const ids = [...new Set(withParents.flatMap((e) => (e.id ? [e.id] : [])))];
  for (const [id, { className, eid }] of await classesOf(ctx.tx, ids)) {
    ctx.knownIds.add(id);
    ctx.classOf.set(id, className);
    ctx.changes.elementIds.set(id, eid);
  }
  const keys = [...new Set(withParents.flatMap((e) => identKeyOf(ctx, e, e.className !== undefined && e.parent?.id ? e.parent.id : undefined)))];
  for (const [k, found] of await findByIdentKeys(ctx.tx, keys)) if (found.length === 1) ctx.identified.set(k, found[0]!);
}

/** The CI an end stands for, or undefined when it names none (or, by identification, more than one). */
export async function resolveEnd(ctx: BatchContext, end: EndRef): Promise<string | undefined> {
  if (end.id) return ctx.knownIds.has(end.id) ? end.id : plannedEnd(ctx, end.id);
  if (end.ref !== undefined) return ctx.idOfRef.get(end.ref);
  if (end.className === undefined) return undefined;
  const parentId = end.parent ? await resolveEnd(ctx, end.parent) : undefined;
  const keys = identKeyOf(ctx, end, parentId);
  for (const k of keys) if (ctx.identified.has(k)) return ctx.identified.get(k);
  if (!keys.length) return undefined;
  // A CI created earlier in this batch, or a parent known only now: look it up directly.
  const found = await findByIdentKeys(ctx.tx, keys);
  for (const k of keys) if (found.get(k)?.length === 1) return found.get(k)![0];
  return undefined;
}

/**
 * In a dry run, an id planned by a dry run of this source (an earlier chunk) stands for the CI it would create,
 * with the class it was planned as, so the relationship checks treat it as they would the real CI.
 */
function plannedEnd(ctx: BatchContext, id: string): string | undefined {
  const className = ctx.dry ? plannedClass(PLANNED_SECRET, ctx.input.source, id) : undefined;
  if (!className) return undefined;
  ctx.classOf.set(id, className);
  return id;
}

/** Identifies and writes the prepared items in waves: an item identified within a parent waits for the parent's id. */
export async function identifyInWaves(ctx: BatchContext): Promise<void> {
  let pending = ctx.prepared;
  while (pending.length) {
    const { ready, waiting } = await splitWave(ctx, pending);
    if (!ready.length) {
      for (const p of waiting) reject(ctx, p.index, 'parent', 'its parent is part of a cycle of scoped items');
      break;
    }
    const deferred = await applyWave(ctx, ready);
    pending = [...deferred, ...waiting];
  }
}

/** Which pending items can be identified now (their parent has an id), and which wait for a later wave. */
async function splitWave(ctx: BatchContext, pending: Prepared[]): Promise<{ ready: WaveItem[]; waiting: Prepared[] }> {
  const ready: WaveItem[] = [];
  const waiting: Prepared[] = [];
  for (const p of pending) {
    if (!p.scope) {
      ready.push({ ...p, parentId: undefined });
      continue;
    }
    if (!p.parentRef) {
      // A managed store known by its endpoint alone is identified by it; otherwise, without its parent, a scoped
      // item has no identity, and re-sending it would create it again.
      if (identificationKeys(ctx.model, p.item.className, p.values).length) ready.push({ ...p, parentId: undefined });
      else reject(ctx, p.index, 'parent', withoutParent(ctx, p));
      continue;
    }
    const parentRef = p.parentRef.ref;
    if (parentRef !== undefined && ctx.refs.has(parentRef) && !ctx.idOfRef.has(parentRef)) {
      const parentIdx = ctx.refs.get(parentRef)!;
      if (ctx.outcomes[parentIdx]!.status === 'REJECTED') reject(ctx, p.index, 'parent', `its parent (item ${parentIdx}) was rejected`);
      else waiting.push(p);
      continue;
    }
    const parentId = await resolveEnd(ctx, p.parentRef);
    if (!parentId) {
      reject(ctx, p.index, 'parent', `the ${p.scope.relationship} target that identifies it could not be found`);
      continue;
    }
    ready.push({ ...p, parentId });
  }
  return { ready, waiting };
}

function withoutParent(ctx: BatchContext, p: Prepared): string {
  const { relationship, parentClass } = p.scope!;
  const unscoped = ctx.model.identificationRules(p.item.className).filter((r) => !r.scope).map((r) => r.attributes.join(' + '));
  const alternative = unscoped.length ? `, or identify it without one by ${unscoped.join(' or ')}` : '';
  return `a ${p.item.className} is identified within its parent: send a ${relationship} relationship from this item (by ref) to its ${parentClass}${alternative}`;
}
