// Owns sending a discovery batch to Ripple's public `upsertCis` mutation in chunks: items in the order given
// (parents first), each chunk carrying the relationships whose ends are known by then (refs of earlier chunks
// become ids), and the rest after the last item chunk. Importers and scripts share it.
import { graphql, request, type VariablesOf } from '../../client/graphql';
import type { EndRef, UpsertBatchInput, UpsertRelationship } from '../services/upsert-batch';

const UPSERT = graphql(`
  mutation Ingest($input: UpsertCisInput!) {
    upsertCis(input: $input) {
      __typename
      ... on MutationUpsertCisSuccess {
        data {
          dryRun
          items { index ref id status changedFields keptFields errors { field reason } warnings { field reason } }
          relationships { index status fromId toId errors { field reason } }
        }
      }
      ... on Error { message code field }
    }
  }
`);

type Input = VariablesOf<typeof UPSERT>['input'];
export type OutcomeStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';

export interface SendResult {
  items: { ref: string | null; id: string | null; status: OutcomeStatus; changedFields: string[]; keptFields: string[]; errors: { field: string; reason: string }[]; warnings: { field: string; reason: string }[] }[];
  relationships: { status: OutcomeStatus; from: EndRef; to: EndRef; type: string; errors: { field: string; reason: string }[] }[];
  counts: { created: number; updated: number; unchanged: number; rejected: number };
  relationshipCounts: { created: number; unchanged: number; rejected: number };
}

export interface SendOptions {
  url: string;
  /** An API token (or Ripple's own credential), sent as a bearer token: the identity the writes are recorded under. */
  token?: string;
  batch: UpsertBatchInput;
  /** Items per request (default 1,000). */
  batchSize?: number;
  /** Entries (teams, items and relationships) one request may carry: the server's RIPPLE_MAX_BATCH (default 5,000). */
  maxEntries?: number;
  onProgress?: (done: number, total: number) => void;
  /** Requests on their way at once, 1 or 2 (default 2): Ripple writes the next chunk while one commits. */
  inFlight?: number;
}

export class IngestError extends Error {}

function toApiRef(end: EndRef, ids: Map<string, string>, inChunk: Set<string>): Record<string, unknown> | undefined {
  if (end.className !== undefined) {
    const parent = end.parent;
    const parentId = parent?.id ?? (parent?.ref !== undefined ? ids.get(parent.ref) : undefined);
    return { className: end.className, attributes: end.attributes, ...(parentId ? { parentId } : {}) };
  }
  if (end.ref !== undefined) {
    if (inChunk.has(end.ref)) return { ref: end.ref };
    const id = ids.get(end.ref);
    return id ? { id } : undefined;
  }
  return { id: end.id };
}

export async function sendBatch(opts: SendOptions): Promise<SendResult> {
  const size = Math.max(1, opts.batchSize ?? 1000);
  const items = opts.batch.items ?? [];
  const rels = opts.batch.relationships ?? [];
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const result: SendResult = {
    items: [],
    relationships: [],
    counts: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
    relationshipCounts: { created: 0, unchanged: 0, rejected: 0 },
  };
  const ids = new Map<string, string>();
  const total = items.length + rels.length;
  let finished = 0;

  const post = async (input: Input) => {
    const body = await request(opts.url, UPSERT, { input }, headers).catch((e: unknown) => {
      throw new IngestError(`cannot reach Ripple at ${opts.url}: ${(e as Error).message}`);
    });
    if (body.errors?.length) throw new IngestError(`Ripple refused the batch: ${body.errors[0]!.message}`);
    const r = body.data!.upsertCis;
    if ('data' in r && r.data) return r.data;
    throw new IngestError(`Ripple refused the batch: ${'message' in r ? String(r.message) : r.__typename}`);
  };

  // Each relationship goes with the chunk holding the later of the items its ends name by ref (then both have
  // ids or are in the request), found by walking relationships sorted by that position: O(relationships) in all.
  // Ends naming a ref no item of the batch has wait for the end, where Ripple reports them.
  const refPos = new Map<string, number>();
  items.forEach((it, k) => {
    if (it.ref) refPos.set(it.ref, k);
  });
  const endPos = (e: EndRef) => (e.ref === undefined ? -1 : (refPos.get(e.ref) ?? Infinity));
  const readyAt = rels.map((r) => Math.max(endPos(r.from), endPos(r.to)));
  const order = rels.map((_, k) => k).sort((a, b) => readyAt[a]! - readyAt[b]!);
  let next = 0;
  const apiRel = (i: number, chunkRefs: Set<string>) => {
    const rel = rels[i]!;
    const from = toApiRef(rel.from, ids, chunkRefs);
    const to = toApiRef(rel.to, ids, chunkRefs);
    return { i, rel, api: { type: rel.type, from: from ?? { ref: rel.from.ref }, to: to ?? { ref: rel.to.ref } } };
  };
  /** Relationships ready once items before `end` are sent, not yet taken. */
  const readyBefore = (end: number) => {
    const out: number[] = [];
    for (let k = next; k < order.length && readyAt[order[k]!]! < end; k++) out.push(order[k]!);
    return out;
  };

  const record = (data: Awaited<ReturnType<typeof post>>, chunkRels: { rel: UpsertRelationship }[]) => {
    for (const o of data.items) {
      if (o.ref && o.id) ids.set(o.ref, o.id);
      result.items.push({ ...o, status: o.status as OutcomeStatus });
      result.counts[o.status.toLowerCase() as keyof SendResult['counts']] += 1;
    }
    data.relationships.forEach((o, j) => {
      const rel = chunkRels[j]!.rel;
      result.relationships.push({ status: o.status as OutcomeStatus, from: rel.from, to: rel.to, type: rel.type, errors: o.errors });
      const k = o.status === 'CREATED' ? 'created' : o.status === 'REJECTED' ? 'rejected' : 'unchanged';
      result.relationshipCounts[k] += 1;
    });
  };

  // Two requests at once: Ripple identifies and writes request n+1 while request n commits. A request waits for
  // the one before it when it names a ref that one creates (its id is not known yet) and after the first
  // (the teams it creates must exist before owners are resolved); outcomes are recorded in the order sent.
  let previous: { refs: Set<string>; done: Promise<void>; waitForIt: boolean } | undefined;
  const sequential = opts.inFlight === 1;
  const dispatch = async (input: Input, chunkRefs: Set<string>, relIdx: number[], entries: number) => {
    const names = (e: EndRef) => e.ref !== undefined && !chunkRefs.has(e.ref) && previous!.refs.has(e.ref);
    if (previous && (sequential || previous.waitForIt || relIdx.some((k) => names(rels[k]!.from) || names(rels[k]!.to)))) await previous.done;
    const chunkRels = relIdx.map((k) => apiRel(k, chunkRefs));
    const sent = post({ ...input, relationships: chunkRels.map((r) => r.api) as Input['relationships'] });
    const before = previous?.done ?? Promise.resolve();
    const done = Promise.all([sent, before]).then(([data]) => {
      record(data, chunkRels);
      finished += entries + chunkRels.length;
      opts.onProgress?.(finished, total);
    });
    done.catch(() => undefined); // awaited below; this only keeps a failure while waiting from counting as unhandled
    await before;
    previous = { refs: chunkRefs, done, waitForIt: input.teams !== undefined };
  };
  const base = { source: opts.batch.source, dryRun: opts.batch.dryRun ?? false, ...(opts.batch.runId ? { runId: opts.batch.runId } : {}) };

  const maxEntries = Math.max(2, opts.maxEntries ?? 5000);
  for (let i = 0; i < items.length || i === 0; ) {
    // A chunk carries its items and every relationship whose ends are known by then (scoped items need theirs in
    // the same request); when that is more than the server takes, fewer items go at once.
    let take = size;
    let ready = readyBefore(i + take);
    const teams = i === 0 ? (opts.batch.teams?.length ?? 0) : 0;
    while (Math.min(take, items.length - i) + ready.length + teams > maxEntries && take > 1) {
      take = Math.max(1, Math.floor(take / 2));
      ready = readyBefore(i + take);
    }
    const chunk = items.slice(i, i + take);
    const chunkRefs = new Set(chunk.map((c) => c.ref).filter((r): r is string => !!r));
    next += ready.length;
    const input = { ...base, ...(i === 0 && opts.batch.teams?.length ? { teams: opts.batch.teams as Input['teams'] } : {}), items: chunk as Input['items'] };
    await dispatch(input, chunkRefs, ready, chunk.length);
    if (i + take >= items.length) break;
    i += take;
  }
  // Relationships whose ends only now all have ids (or never will: Ripple reports those as rejected).
  await previous?.done;
  const rest = order.slice(next);
  const relChunk = Math.min(size, maxEntries);
  for (let i = 0; i < rest.length; i += relChunk) await dispatch(base, new Set(), rest.slice(i, i + relChunk), 0);
  await previous?.done;
  return result;
}
