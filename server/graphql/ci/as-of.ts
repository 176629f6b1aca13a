// Owns the per-request loaders of the graph as of a past instant: a CI (with its owner then) and its first-level
// relationships, batched per instant like the current loaders, so a page of past CIs costs one query per field.
import DataLoader from 'dataloader';
import type { Instant } from '../../domain/time-travel/as-of';
import { cisAsOf, relationshipsAsOf, type CiAsOf } from '../../neo4j/repositories/time-travel-repository';
import type { CiRow, EdgeRow, TeamRow } from '../../neo4j/repositories/rows';
import type { Context } from '../context';

interface AsOfLoaders {
  ci: DataLoader<string, CiAsOf | null>;
  relationships: DataLoader<string, EdgeRow[]>;
}

const byRequest = new WeakMap<Context, Map<Instant, AsOfLoaders>>();

function loadersAt(ctx: Context, at: Instant): AsOfLoaders {
  const perInstant = byRequest.get(ctx) ?? byRequest.set(ctx, new Map()).get(ctx)!;
  let loaders = perInstant.get(at);
  if (!loaders) {
    loaders = {
      ci: new DataLoader(async (ids) => {
        const rows = await ctx.db.read((tx) => cisAsOf(tx, ids, at));
        return ids.map((id) => rows.get(id) ?? null);
      }),
      relationships: new DataLoader(async (ids) => {
        const edges = await ctx.db.read((tx) => relationshipsAsOf(tx, ctx.model, ids, ctx.model.impactingTypes(), at));
        return ids.map((id) => edges.filter((e) => e.from === id || e.to === id).map((e) => ({ ...e, asOf: new Date(at).toISOString() })));
      }),
    };
    perInstant.set(at, loaders);
  }
  return loaders;
}

const instantOfRow = (asOf: string): Instant => Date.parse(asOf);

/** The CI as it was at `at`, or null when it did not exist yet. */
export async function ciAt(ctx: Context, id: string, at: Instant): Promise<CiRow | null> {
  return (await loadersAt(ctx, at).ci.load(id))?.row ?? null;
}

/** A CI in the same time as `row`: as of its instant when it is a past row, else as it is now. */
export async function ciBeside(ctx: Context, asOf: string | undefined, id: string): Promise<CiRow | null> {
  return asOf ? ciAt(ctx, id, instantOfRow(asOf)) : ctx.loaders.ci.load(id);
}

/** A past row's first-level relationships then; a current row's now. */
export function relationshipsBeside(ctx: Context, row: CiRow): Promise<EdgeRow[]> {
  return row.asOf ? loadersAt(ctx, instantOfRow(row.asOf)).relationships.load(row.id) : ctx.loaders.relationships.load(row.id);
}

/** A past row's owning team then (by the name its history recorded); a current row's now. */
export async function ownerBeside(ctx: Context, row: CiRow): Promise<TeamRow | null> {
  if (!row.asOf) return ctx.loaders.owner.load(row.id);
  const owner = (await loadersAt(ctx, instantOfRow(row.asOf)).ci.load(row.id))?.owner;
  return owner ? ctx.loaders.teamByName.load(owner) : null;
}
