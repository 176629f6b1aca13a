// Owns the relationship stages of a discovery batch: finding both ends (by id, ref or identification), checking
// the class model allows the type between the two classes, and writing (or, in a dry run, comparing) them.
import { relationshipsExist } from '../../neo4j/repositories/batch-reads';
import { classesOf } from '../../neo4j/repositories/ci-repository';
import { writeRelationships } from '../../neo4j/repositories/ci-writes';
import type { BatchContext } from './context';
import { resolveEnd } from './items';
import type { EndRef, RelationshipOutcome, UpsertRelationship } from './types';

/** Ends by id, ref or identification; rejected items make their relationships rejected. */
export async function resolveRelationships(ctx: BatchContext): Promise<void> {
  const cache = new Map<string, string>();
  for (const [i, r] of ctx.rels.entries()) {
    const out: RelationshipOutcome = { index: i, status: 'UNCHANGED', from: null, to: null, errors: [] };
    ctx.relOutcomes.push(out);
    await resolveRelationship(ctx, r, out, cache);
    if (out.status !== 'REJECTED') ctx.relWrites.push({ from: out.from!, to: out.to!, type: r.type, index: i });
  }
}

async function resolveRelationship(ctx: BatchContext, r: UpsertRelationship, out: RelationshipOutcome, cache: Map<string, string>): Promise<void> {
  const def = ctx.model.relationship(r.type);
  if (!def || !def.impacting) {
    out.status = 'REJECTED';
    out.errors.push({ field: 'type', reason: `unknown relationship type "${r.type}"` });
    return;
  }
  for (const side of ['from', 'to'] as const) {
    const end = r[side];
    // Most ends are ids or refs (checked in resolveEnd's order): a cheap key for those, the whole end otherwise.
    const key = end.id ? `i\u0000${end.id}` : end.ref !== undefined ? `r\u0000${end.ref}` : JSON.stringify(end);
    let id = cache.get(key);
    if (!id) {
      id = await resolveEnd(ctx, end);
      if (id) cache.set(key, id);
    }
    if (!id) {
      out.status = 'REJECTED';
      out.errors.push({ field: side, reason: notFound(ctx, end) });
    }
    out[side] = id ?? null;
  }
}

function notFound(ctx: BatchContext, end: EndRef): string {
  const what = end.ref !== undefined ? `item ref "${end.ref}"` : end.id ? `CI ${end.id}` : `${end.className} ${JSON.stringify((end as { attributes?: unknown }).attributes)}`;
  return `${what} not found${end.ref !== undefined && ctx.refs.has(end.ref) ? ' (that item was rejected)' : ''}`;
}

/** Class checks need both ends' classes; a relationship the class model does not allow is rejected. */
export async function checkRelationshipClasses(ctx: BatchContext): Promise<void> {
  const { classOf, model } = ctx;
  const rest = [...new Set(ctx.relWrites.flatMap((w) => [w.from, w.to]))].filter((id) => !classOf.has(id));
  for (const [id, { className, eid }] of await classesOf(ctx.tx, rest)) {
    classOf.set(id, className);
    ctx.changes.elementIds.set(id, eid);
  }
  ctx.relWrites = ctx.relWrites.filter((w) => {
    const fc = classOf.get(w.from);
    const tc = classOf.get(w.to);
    // Every end has a class by now: stored, written by this batch, or planned by this source's dry run.
    if (fc && tc && w.from !== w.to && model.allowsRelationship(w.type, fc, tc)) return true;
    const o = ctx.relOutcomes[w.index]!;
    o.status = 'REJECTED';
    const reason = !fc || !tc ? `the class of ${fc ? w.to : w.from} could not be found` : w.from === w.to ? 'a CI cannot need itself' : `${w.type} is not allowed from ${fc} to ${tc}`;
    o.errors.push({ field: 'type', reason });
    return false;
  });
}

/** Writes the allowed relationships, or in a dry run says which would be created. */
export async function applyRelationships(ctx: BatchContext): Promise<void> {
  const { relWrites, relOutcomes } = ctx;
  if (ctx.dry) {
    const exists = await relationshipsExist(ctx.tx, relWrites.map((w) => ({ ...w, i: w.index })));
    for (const [i, found] of exists) relOutcomes[i]!.status = found ? 'UNCHANGED' : 'CREATED';
    return;
  }
  const created = new Set(ctx.outcomes.filter((o) => o.status === 'CREATED' && o.id).map((o) => o.id!));
  const written = await writeRelationships(ctx.tx, relWrites, ctx.meta, { newCis: created, log: ctx.changes });
  written.forEach((w, j) => {
    relOutcomes[relWrites[j]!.index]!.status = w.created ? 'CREATED' : 'UNCHANGED';
  });
}
