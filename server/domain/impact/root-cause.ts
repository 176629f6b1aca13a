// Owns the root-cause hint: which CIs, shared by what several incidents' CIs need, explain the most of them.

import { compareStrings, indexGraph } from './graph-index.js';
import type { ImpactGraph } from './types.js';

export interface OpenIncident {
  id: string;
  /** The CIs the incident is raised on (its affected CIs). */
  cis: string[];
}

export interface RootCauseInput {
  incidents: OpenIncident[];
  /** The downstream (needs) subgraph of the incidents' CIs, as reachability in the database returns it. */
  graph: ImpactGraph;
}

export interface RootCauseOptions {
  /** Candidates returned, best first (default 10). */
  limit?: number;
}

export interface RootCauseCandidate {
  ciId: string;
  name: string;
  /** Incidents all of whose CIs need this CI (directly, transitively, or by being it), in input order. */
  explains: string[];
  /** explains.length / number of incidents. */
  explainedShare: number;
  /** Distinct incident CIs that need this CI (or are it). */
  impactedCount: number;
  /** Hops from the farthest incident CI that needs it: a fault nearer the symptoms is the more specific hint. */
  distance: number;
}

/**
 * Rank the CIs the incidents' CIs have in common, by how many incidents each fully explains, then by the share of
 * incident CIs that need it, then by closeness, then name and id. Candidates that explain one incident (or only
 * part of one) are kept, ranked lower. An incident's own CI is a candidate: it may be the root of the others.
 *
 * One forward BFS per distinct incident CI: O(incidentCis * (nodes + edges)). Incidents come in tens, so this
 * stays well under the cost of the reachability query that produced the graph.
 */
export function rankRootCauses(input: RootCauseInput, opts: RootCauseOptions = {}): RootCauseCandidate[] {
  const limit = Math.max(0, Math.floor(opts.limit ?? 10));
  const { incidents } = input;
  if (incidents.length === 0 || limit === 0) return [];

  const g = indexGraph(
    input.graph.nodes,
    input.graph.edges,
    input.graph.rules,
    incidents.flatMap((inc) => inc.cis),
  );
  const n = g.nodes.length;

  // Which incidents each distinct CI belongs to; an incident listing a CI twice still needs it once.
  const incidentsOf = new Map<number, number[]>();
  const ciCount = incidents.map((inc, k) => {
    const own = new Set(inc.cis.map((id) => g.indexOf.get(id)!));
    for (const c of own) {
      const list = incidentsOf.get(c) ?? [];
      list.push(k);
      incidentsOf.set(c, list);
    }
    return own.size;
  });

  const reachCount = new Int32Array(n);
  const farthest = new Int32Array(n);
  const hits = incidents.map(() => new Int32Array(n));
  const dist = new Int32Array(n);
  const { start, target } = g.out;

  for (const [c, owners] of [...incidentsOf].sort((a, b) => a[0] - b[0])) {
    dist.fill(-1);
    dist[c] = 0;
    const queue = [c];
    for (let head = 0; head < queue.length; head++) {
      const u = queue[head]!;
      reachCount[u]! += 1;
      if (dist[u]! > farthest[u]!) farthest[u] = dist[u]!;
      for (const k of owners) hits[k]![u]! += 1;
      for (let e = start[u]!; e < start[u + 1]!; e++) {
        const v = target[e]!;
        if (dist[v]! < 0) {
          dist[v] = dist[u]! + 1;
          queue.push(v);
        }
      }
    }
  }

  const candidates: RootCauseCandidate[] = [];
  for (let x = 0; x < n; x++) {
    if (reachCount[x] === 0) continue;
    // An incident with no CIs gives no evidence for any candidate.
    const explains = incidents.filter((_, k) => ciCount[k]! > 0 && hits[k]![x] === ciCount[k]).map((inc) => inc.id);
    candidates.push({
      ciId: g.nodes[x]!.id,
      name: g.nodes[x]!.name,
      explains,
      explainedShare: explains.length / incidents.length,
      impactedCount: reachCount[x]!,
      distance: farthest[x]!,
    });
  }

  candidates.sort(
    (a, b) =>
      b.explains.length - a.explains.length ||
      b.impactedCount - a.impactedCount ||
      a.distance - b.distance ||
      compareStrings(a.name, b.name) ||
      compareStrings(a.ciId, b.ciId),
  );
  return candidates.slice(0, limit);
}
