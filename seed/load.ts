// Owns turning a generated estate into one discovery batch and sending it through Ripple's public API with the
// same sender the importers use (server/ingest/send.ts): CIs ordered so that a parent comes before the CIs
// identified within it, every relationship named by the items' refs.
import type { ClassModel } from '../server/domain/class-model/types';
import { sendBatch } from '../server/ingest/send';
import type { UpsertBatchInput } from '../server/services/upsert-batch';
import type { SeedEstate } from './estate';

export interface LoadOptions {
  url: string;
  model: ClassModel;
  batchSize?: number;
  /** Entries one request may carry (the server's RIPPLE_MAX_BATCH). */
  maxEntries?: number;
  source?: string;
  /** Bearer credential for upsertCis; without one the call works only in demo mode. */
  token?: string;
  onProgress?: (done: number, total: number) => void;
}

export function estateToBatch(estate: SeedEstate, model: ClassModel, source: string): UpsertBatchInput {
  const byKey = new Map(estate.cis.map((c) => [c.key, c]));
  const teamName = new Map(estate.teams.map((t) => [t.key, t.name]));
  // The parent that identifies a scoped CI: the target of its scope relationship.
  const parentOf = new Map<string, string>();
  for (const r of estate.relationships) {
    const c = byKey.get(r.from);
    const scope = c && model.identificationRules(c.className).find((x) => x.scope)?.scope;
    if (scope && r.type === scope.relationship && !parentOf.has(r.from) && model.isA(byKey.get(r.to)?.className ?? '', scope.parentClass)) {
      parentOf.set(r.from, r.to);
    }
  }
  const depth = new Map<string, number>();
  const depthOf = (key: string, seen: Set<string>): number => {
    const known = depth.get(key);
    if (known !== undefined) return known;
    const parent = parentOf.get(key);
    const d = parent && !seen.has(key) ? 1 + depthOf(parent, seen.add(key)) : 0;
    depth.set(key, d);
    return d;
  };
  const ordered = [...estate.cis].sort((a, b) => depthOf(a.key, new Set()) - depthOf(b.key, new Set()));
  return {
    source,
    teams: estate.teams.map((t) => ({ name: t.name, email: t.email, onCall: t.onCall ?? null, slackChannel: t.slackChannel ?? null })),
    items: ordered.map((c) => ({
      ref: c.key,
      className: c.className,
      name: c.name,
      // GraphQL enum names are the class model's values in upper case.
      environment: c.environment.toUpperCase(),
      lifecycle: c.lifecycle.toUpperCase(),
      criticality: c.criticality,
      description: c.description ?? null,
      owner: c.owner ? (teamName.get(c.owner) ?? null) : null,
      attributes: c.attributes,
    })),
    relationships: estate.relationships.map((r) => ({ type: r.type, from: { ref: r.from }, to: { ref: r.to } })),
  };
}

export async function loadEstate(estate: SeedEstate, opts: LoadOptions): Promise<{ created: number; rejected: string[]; ids: Map<string, string> }> {
  const result = await sendBatch({
    url: opts.url,
    ...(opts.token ? { token: opts.token } : {}),
    batch: estateToBatch(estate, opts.model, opts.source ?? 'seed'),
    batchSize: opts.batchSize ?? 1000,
    ...(opts.maxEntries ? { maxEntries: opts.maxEntries } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const rejected = [
    ...result.items.filter((i) => i.status === 'REJECTED').map((i) => `${i.ref}: ${i.errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`),
    ...result.relationships
      .filter((r) => r.status === 'REJECTED')
      .map((r) => `relationship ${JSON.stringify(r.from)} ${r.type} ${JSON.stringify(r.to)}: ${r.errors.map((e) => e.reason).join('; ')}`),
  ];
  // What the demo's workspaces (seed/workspaces.ts) need to name the CIs they work on.
  const ids = new Map(result.items.flatMap((i) => (i.ref && i.id ? [[i.ref, i.id] as const] : [])));
  return { created: result.counts.created, rejected, ids };
}
