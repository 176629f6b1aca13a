// Owns the aggregated picture of an impact report: which impacted CIs a graph view draws one by one, which it
// folds into groups (distance, class, state), and the edges between what it draws, with how many each stands for.

import { compareStrings } from './graph-index.js';
import type { ImpactEdge, ImpactState, ImpactedCi } from './types.js';

export interface DrawingOptions {
  /** CIs drawn one by one at most; the rest are folded into groups. */
  budget: number;
  /** A bucket larger than this is a group even when the budget could hold it. */
  groupOver: number;
  /** Group keys the viewer asked to open: drawn one by one if they hold no more than `maxExpanded` CIs. */
  expand?: readonly string[];
  maxExpanded?: number;
  /** Edges drawn at most; the most numerous are kept. */
  maxEdges: number;
}

export interface DrawnCi {
  kind: 'CI';
  key: string;
  ci: ImpactedCi;
}

export interface DrawnGroup {
  kind: 'GROUP';
  key: string;
  className: string;
  state: ImpactState;
  distance: number;
  count: number;
}

export type DrawnNode = DrawnCi | DrawnGroup;

/** `from` needs `to`, as in the impact graph; `count` is how many relationships it stands for. */
export interface DrawnEdge {
  from: string;
  to: string;
  type: string;
  count: number;
}

export interface ImpactDrawing {
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  /** Edges between drawn nodes left out over `maxEdges` (the least numerous). */
  edgesLeftOut: number;
  /** Groups asked to open that hold too many CIs to draw one by one. */
  tooLargeToExpand: string[];
}

/** The key a group of impacted CIs is drawn under: stable across requests, so a viewer can ask to open it. */
export function groupKey(distance: number, className: string, state: ImpactState): string {
  return `group:d${distance}:${className}:${state}`;
}

/** Buckets of one distance, class and state, nearest first, smaller first, then by key. */
function buckets(impacted: readonly ImpactedCi[]): [string, ImpactedCi[]][] {
  const byKey = new Map<string, ImpactedCi[]>();
  for (const ci of impacted) {
    const k = groupKey(ci.distance, ci.className, ci.state);
    (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(ci);
  }
  return [...byKey].sort(([ka, a], [kb, b]) => a[0]!.distance - b[0]!.distance || a.length - b.length || compareStrings(ka, kb));
}

/** Which node each impacted CI is drawn as: itself, or its group. Failed CIs are always themselves. */
function assign(impacted: readonly ImpactedCi[], opts: DrawingOptions): { nodes: DrawnNode[]; drawnAs: Map<string, string>; tooLarge: string[] } {
  const expand = new Set(opts.expand ?? []);
  const maxExpanded = opts.maxExpanded ?? 500;
  const nodes: DrawnNode[] = [];
  const drawnAs = new Map<string, string>();
  const tooLarge: string[] = [];
  let room = opts.budget;
  for (const [key, list] of buckets(impacted)) {
    const failed = list.filter((c) => c.failed);
    const rest = list.filter((c) => !c.failed);
    const asked = expand.has(key);
    if (asked && rest.length > maxExpanded) tooLarge.push(key);
    // A group is all or nothing, so "12 × Microservice" always means every Microservice of that ring and state.
    const single = asked ? rest.length <= maxExpanded : rest.length <= opts.groupOver && rest.length <= room;
    for (const ci of single ? list : failed) {
      nodes.push({ kind: 'CI', key: ci.id, ci });
      drawnAs.set(ci.id, ci.id);
    }
    if (single) room = Math.max(0, room - rest.length);
    else if (rest.length) {
      const first = rest[0]!;
      nodes.push({ kind: 'GROUP', key, className: first.className, state: first.state, distance: first.distance, count: rest.length });
      for (const ci of rest) drawnAs.set(ci.id, key);
    }
  }
  return { nodes, drawnAs, tooLarge };
}

/**
 * The picture of a report at a bounded size: failed CIs and small buckets drawn one by one (nearest rings first,
 * within `budget`), the rest as groups by distance, class and state, and every impacting relationship among
 * impacted CIs folded onto what it joins. Groups number at most distances x classes x states.
 */
export function drawImpact(impacted: readonly ImpactedCi[], edges: readonly ImpactEdge[], opts: DrawingOptions): ImpactDrawing {
  const { nodes, drawnAs, tooLarge } = assign(impacted, opts);
  const folded = new Map<string, DrawnEdge>();
  for (const e of edges) {
    const from = drawnAs.get(e.from);
    const to = drawnAs.get(e.to);
    if (!from || !to || from === to) continue;
    const k = `${from}\u0000${e.type}\u0000${to}`;
    const seen = folded.get(k);
    if (seen) seen.count++;
    else folded.set(k, { from, to, type: e.type, count: 1 });
  }
  const all = [...folded.values()].sort((a, b) => b.count - a.count || compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.type, b.type));
  const kept = all.slice(0, opts.maxEdges);
  return { nodes, edges: kept, edgesLeftOut: all.length - kept.length, tooLargeToExpand: tooLarge };
}
