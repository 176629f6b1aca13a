// Owns loading a generated estate through Ripple's public GraphQL API, as a discovery script would: teams and
// CIs in batches (parents before the CIs identified within them), then the remaining relationships by id.
import type { ClassModel } from '../server/domain/class-model/types';
import { graphql, request, type VariablesOf } from '../web/src/api/graphql';
import type { SeedCi, SeedEstate, SeedRelationship } from './estate';

export interface LoadOptions {
  url: string;
  model: ClassModel;
  batchSize?: number;
  source?: string;
  actor?: string;
  onProgress?: (done: number, total: number) => void;
}

const UPSERT = graphql(`
  mutation Seed($input: UpsertCisInput!) {
    upsertCis(input: $input) {
      __typename
      ... on MutationUpsertCisSuccess {
        data {
          items { ref id status errors { field reason } }
          relationships { index status errors { field reason } }
          counts { created updated unchanged rejected }
        }
      }
      ... on Error { message field }
    }
  }
`);

type UpsertInput = VariablesOf<typeof UPSERT>['input'];

async function post(opts: LoadOptions, input: UpsertInput) {
  const body = await request(opts.url, UPSERT, { input }, { 'x-ripple-actor': opts.actor ?? 'seed' });
  if (body.errors?.length) throw new Error(`seed batch failed: ${body.errors[0]!.message}`);
  const r = body.data!.upsertCis;
  if ('data' in r && r.data) return r.data;
  throw new Error(`seed batch refused: ${'message' in r ? String(r.message) : r.__typename}`);
}

function ciItem(c: SeedCi) {
  return {
    ref: c.key,
    className: c.className,
    name: c.name,
    environment: c.environment.toUpperCase() as 'PRODUCTION',
    lifecycle: c.lifecycle.toUpperCase() as 'OPERATIONAL',
    criticality: c.criticality,
    ...(c.description ? { description: c.description } : {}),
    ...(c.owner ? { owner: c.owner } : {}),
    attributes: c.attributes,
  };
}

export async function loadEstate(estate: SeedEstate, opts: LoadOptions): Promise<{ created: number; rejected: string[] }> {
  const batchSize = opts.batchSize ?? 1000;
  const source = opts.source ?? 'seed';
  const byKey = new Map(estate.cis.map((c) => [c.key, c]));
  const teamName = new Map(estate.teams.map((t) => [t.key, t.name]));

  // The relationship that identifies a scoped CI within its parent travels with the CI.
  const scopeRel = new Map<string, SeedRelationship>();
  for (const c of estate.cis) {
    const scope = opts.model.identificationRules(c.className).find((r) => r.scope)?.scope;
    if (!scope) continue;
    const rel = estate.relationships.find(
      (r) => r.from === c.key && r.type === scope.relationship && opts.model.isA(byKey.get(r.to)?.className ?? '', scope.parentClass),
    );
    if (rel) scopeRel.set(c.key, rel);
  }
  const depth = new Map<string, number>();
  const depthOf = (key: string, seen = new Set<string>()): number => {
    if (depth.has(key)) return depth.get(key)!;
    const rel = scopeRel.get(key);
    const d = rel && !seen.has(key) ? 1 + depthOf(rel.to, seen.add(key)) : 0;
    depth.set(key, d);
    return d;
  };
  const ordered = [...estate.cis].sort((a, b) => depthOf(a.key) - depthOf(b.key));
  const total = estate.cis.length + estate.relationships.length;
  let done = 0;
  const ids = new Map<string, string>();
  const rejected: string[] = [];
  let created = 0;

  const teams = estate.teams.map((t) => ({ name: t.name, email: t.email, onCall: t.onCall ?? null, slackChannel: t.slackChannel ?? null }));
  for (let i = 0; i < ordered.length; i += batchSize) {
    const chunk = ordered.slice(i, i + batchSize).map((c) => ({ ...c, owner: c.owner ? teamName.get(c.owner) : undefined }));
    const inChunk = new Set(chunk.map((c) => c.key));
    const rels = chunk.flatMap((c) => {
      const rel = scopeRel.get(c.key);
      if (!rel) return [];
      return [{ type: rel.type, from: { ref: c.key }, to: inChunk.has(rel.to) ? { ref: rel.to } : { id: ids.get(rel.to) } }];
    });
    const out = await post(opts, {
      source,
      ...(i === 0 ? { teams } : {}),
      items: chunk.map((c) => ciItem(c as SeedCi)),
      relationships: rels,
    });
    for (const o of out.items) {
      if (o.id && o.ref) ids.set(o.ref, o.id);
      if (o.status === 'CREATED') created += 1;
      if (o.status === 'REJECTED') rejected.push(`${o.ref}: ${o.errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`);
    }
    done += chunk.length + rels.length;
    opts.onProgress?.(done, total);
  }

  const scopeSet = new Set([...scopeRel.values()]);
  const rest = estate.relationships.filter((r) => !scopeSet.has(r));
  for (let i = 0; i < rest.length; i += batchSize) {
    const chunk = rest.slice(i, i + batchSize).filter((r) => ids.has(r.from) && ids.has(r.to));
    const out = await post(opts, {
      source,
      relationships: chunk.map((r) => ({ type: r.type, from: { id: ids.get(r.from) }, to: { id: ids.get(r.to) } })),
    });
    for (const r of out.relationships) {
      if (r.status === 'REJECTED') rejected.push(`relationship ${chunk[r.index]!.from} ${chunk[r.index]!.type} ${chunk[r.index]!.to}: ${r.errors.map((e) => e.reason).join('; ')}`);
    }
    done += Math.min(batchSize, rest.length - i);
    opts.onProgress?.(done, total);
  }
  return { created, rejected };
}
