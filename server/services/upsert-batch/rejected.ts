// Owns what a batch's rejected items still tell: a source that sends an item with a value Ripple refuses still
// reports that the thing exists. When such an item's identification names exactly one stored CI of its class, that
// CI counts as reported by the source (its sighting stays fresh, so completing the run does not mark it stale);
// its values stay as they were. An item that names no CI, or several, tells nothing about any one CI.
import type { AttributeValue } from '../../domain/class-model/types';
import { COMMON_FIELDS } from '../../domain/ci/common-fields';
import { identificationKeys } from '../../domain/ci/identity';
import { classesOf } from '../../neo4j/repositories/ci-repository';
import { findByIdentKeys } from '../../neo4j/repositories/ci-writes';
import type { BatchContext } from './context';
import type { UpsertItem } from './types';

/** The stored CIs the batch's rejected items identify, one per item at most. */
export async function identifiedRejected(ctx: BatchContext): Promise<string[]> {
  const wanted = ctx.outcomes.flatMap((o) => {
    const it = ctx.items[o.index]!;
    if (o.status !== 'REJECTED' || o.id || !ctx.model.get(it.className)) return [];
    const keys = identificationKeys(ctx.model, it.className, sentValues(it), scopeParent(ctx, it)).map((k) => k.key);
    return keys.length ? [{ className: it.className, keys }] : [];
  });
  if (!wanted.length) return [];
  const found = await findByIdentKeys(ctx.tx, [...new Set(wanted.flatMap((w) => w.keys))]);
  const named = wanted.map((w) => ({ className: w.className, ids: [...new Set(w.keys.flatMap((k) => found.get(k) ?? []))] }));
  const classes = await classesOf(ctx.tx, [...new Set(named.flatMap((n) => n.ids))]);
  return named.flatMap((n) => (n.ids.length === 1 && classes.get(n.ids[0]!)?.className === n.className ? [n.ids[0]!] : []));
}

/** The item's values as sent, the identifying ones among them whether or not the rest passed validation. */
function sentValues(it: UpsertItem): Record<string, AttributeValue> {
  const values: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(it.attributes ?? {})) if (typeof v === 'string' || typeof v === 'number') values[k] = v;
  for (const f of COMMON_FIELDS) if (typeof it[f] === 'string') values[f] = it[f] as string;
  values.name = it.name;
  return values;
}

/** The id of the parent a scoped item is identified within, when the batch names it and it is known. */
function scopeParent(ctx: BatchContext, it: UpsertItem): string | undefined {
  const scope = ctx.model.identificationRules(it.className).find((r) => r.scope)?.scope;
  if (!scope || it.ref === undefined) return undefined;
  const to = ctx.rels.find((r) => r.type === scope.relationship && r.from.ref === it.ref)?.to;
  if (!to) return undefined;
  return to.id ?? (to.ref !== undefined ? ctx.idOfRef.get(to.ref) : undefined);
}
