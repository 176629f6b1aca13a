// Owns the team stages of a discovery batch: teams it sends, the owner each item names by team name, and the
// warning for an owner team that exists nowhere.
import { mintId } from '../../domain/ci/identity';
import { ownersThatWouldChange, teamIdsByName } from '../../neo4j/repositories/batch-reads';
import { setOwners, upsertTeams } from '../../neo4j/repositories/ci-writes';
import type { BatchContext } from './context';
import { PLANNED } from './types';

/** Teams first: items name their owner by team name. A dry run writes none. */
export async function writeTeams(ctx: BatchContext): Promise<void> {
  const teams = ctx.input.teams ?? [];
  if (!teams.length || ctx.dry) return;
  const rows = teams.map((t) => ({ id: mintId('team'), name: t.name, email: t.email ?? null, onCall: t.onCall ?? null, slackChannel: t.slackChannel ?? null }));
  for (const [k, v] of await upsertTeams(ctx.tx, rows, ctx.meta)) ctx.teamIds.set(k, v);
}

/**
 * Owners by team name: names sent in this batch, else teams that exist already. Resolved before the items,
 * because which team an item names is part of what decides whether it changed.
 */
export async function resolveOwnerTeams(ctx: BatchContext): Promise<void> {
  const { teamIds } = ctx;
  const ownerNames = [...new Set(ctx.items.flatMap((it) => (it.owner ? [it.owner] : [])))].filter((n) => !teamIds.has(n));
  for (const [name, id] of await teamIdsByName(ctx.tx, ownerNames)) teamIds.set(name, id);
  // A dry run writes no team, but a team the batch sends would exist: it counts as the owner to be.
  if (ctx.dry) for (const t of ctx.input.teams ?? []) if (!teamIds.has(t.name)) teamIds.set(t.name, `${PLANNED}${t.name}`);
}

/** A team that exists nowhere leaves the CI's owner as it was, and the item says so. */
export function warnUnknownOwners(ctx: BatchContext): void {
  for (const [index, it] of ctx.items.entries()) {
    if (!it.owner || ctx.teamIds.has(it.owner) || ctx.outcomes[index]!.status === 'REJECTED') continue;
    ctx.outcomes[index]!.warnings.push({
      field: 'owner',
      reason: `no team is named "${it.owner}": send it in \`teams\` or create it first; the owner was not set`,
    });
  }
}

/** Sets (or, in a dry run, compares) the owners of CIs that existed before this batch. */
export async function applyOwners(ctx: BatchContext): Promise<void> {
  const { ownerRows, teamIds, outcomes } = ctx;
  if (!ownerRows.length) return;
  const rows: { ciId: string; teamId: string; teamName: string }[] = [];
  for (const o of ownerRows) {
    const teamId = teamIds.get(o.teamName);
    if (teamId) rows.push({ ciId: o.ciId, teamId, teamName: o.teamName });
  }
  if (!ctx.dry) return markOwnerChanged(ctx, new Set(await setOwners(ctx.tx, rows, ctx.meta, ctx.changes)));
  // What would change, without writing: owners are read, not set; a CI to be created gets its owner.
  const changed = await ownersThatWouldChange(ctx.tx, rows);
  for (const o of ownerRows) if (outcomes[o.index]!.status === 'CREATED' && teamIds.has(o.teamName)) changed.add(o.ciId);
  markOwnerChanged(ctx, changed);
}

/** An item whose owner changed is UPDATED with `owner` among its changed fields, whatever else it changed. */
function markOwnerChanged(ctx: BatchContext, changed: Set<string>): void {
  for (const o of ctx.ownerRows) {
    if (!changed.has(o.ciId)) continue;
    const out = ctx.outcomes[o.index]!;
    if (out.status === 'UNCHANGED') out.status = 'UPDATED';
    if (!out.changedFields.includes('owner')) out.changedFields.push('owner');
  }
}
