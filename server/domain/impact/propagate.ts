// Owns impact propagation: from failed CIs to the state, distance, explanation paths and owners of everything upstream.

import { compareStrings, indexGraph, type GraphIndex } from './graph-index.js';
import { compareImpacted, pageOf, type ImpactPage } from './page.js';
import { DEFAULT_REDUNDANCY, describeRedundancy, groupHolds, type Redundancy } from './redundancy.js';
import type {
  FailedCi,
  GroupOutcome,
  ImpactGraph,
  ImpactReport,
  ImpactState,
  ImpactedCi,
  ServiceKind,
  TeamImpact,
} from './types.js';

export interface PropagateOptions {
  /** Explanation paths kept per CI (default 3). 0 reports no paths but still computes confidence. */
  maxPaths?: number;
}

// States form the chain OK < DEGRADED < DOWN; numbers make "only gets worse" a plain comparison.
const OK = 0;
const DEGRADED = 1;
const DOWN = 2;
type Level = typeof OK | typeof DEGRADED | typeof DOWN;

const LEVEL_NAME: Record<1 | 2, ImpactState> = { 1: 'DEGRADED', 2: 'DOWN' };
const KIND_RANK: Record<ServiceKind, number> = { business: 0, application: 1, technical: 2 };

/** A shared-tail path: k paths per node cost O(k) cells, not O(k * length), whatever the depth. */
interface PathCell {
  node: number;
  /** The relationship from `node` to `next.node` is absent in its source. */
  absentToNext: boolean;
  next: PathCell | null;
}

/** A failed CI by its index in a GraphIndex, with the state it was reported in. */
export interface FailedIndex {
  index: number;
  state: ImpactState;
}

/**
 * Compute what the `failed` CIs take down or degrade in `graph` (the upstream subgraph of those CIs). A plain
 * string in `failed` means DOWN. Deterministic: the same input gives the same report, ties broken by id.
 * Cost is O(nodes + edges + impacted * maxPaths * pathLength), the last term being the size of the report.
 */
export function propagateImpact(
  graph: ImpactGraph,
  failed: Iterable<FailedCi | string>,
  opts: PropagateOptions = {},
): ImpactReport {
  const states = new Map<string, ImpactState>();
  for (const f of failed) {
    const id = typeof f === 'string' ? f : f.id;
    const state = typeof f === 'string' ? 'DOWN' : f.state;
    if (states.get(id) !== 'DOWN') states.set(id, state);
  }
  const g = indexGraph(graph.nodes, graph.edges, graph.rules, states.keys());
  return propagateIndexed(g, [...states].map(([id, state]) => ({ index: g.indexOf.get(id)!, state })), opts);
}

/**
 * The same propagation over an index already built (the read model builds one from its numeric ids, with no
 * string in sight). The report is lazy: its lists are built when first read, and `servicePage`/`impactedPage`
 * build only the CIs on the page, so a first screen of a 5,000-service impact costs 20 CIs' paths and names.
 */
export function propagateIndexed(g: GraphIndex, failed: Iterable<FailedIndex>, opts: PropagateOptions = {}): ImpactReport {
  const maxPaths = Math.max(0, Math.floor(opts.maxPaths ?? 3));
  const n = g.nodes.length;
  // A CI reported twice keeps its worst state.
  const base = new Uint8Array(n);
  for (const f of failed) base[f.index] = Math.max(base[f.index]!, f.state === 'DOWN' ? DOWN : DEGRADED);
  const sources: number[] = [];
  for (let i = 0; i < n; i++) if (base[i]! > OK) sources.push(i);

  const fix = computeStates(g, base, sources);
  const { dist, order } = explanationDistances(g, fix.state, sources);
  const run: Propagation = {
    g,
    base,
    maxPaths,
    state: fix.state,
    dist,
    order,
    // Built per CI when its entry is; confidence and notes read them, so at least one is kept even when none
    // are reported.
    paths: new Array(n),
    confirmed: freshReach(g, fix.state, sources),
    ...groupOutcomes(g, fix),
    built: new Array(n),
  };
  return lazyReport(run);
}

/** Everything one propagation computed, by node index; report entries are built from it on demand. */
interface Propagation {
  g: GraphIndex;
  base: Uint8Array;
  maxPaths: number;
  state: Uint8Array;
  dist: Int32Array;
  /** Impacted nodes in BFS order from the failures. */
  order: number[];
  paths: (PathCell[] | undefined)[];
  confirmed: Uint8Array;
  groups: GroupOutcome[];
  groupNote: Map<number, string>;
  /** Report entries built so far, so that a page and the whole list share them. */
  built: (ImpactedCi | undefined)[];
}

/** The propagation behind each report this module made, and its summaries, for pages and summaries. */
const pagers = new WeakMap<ImpactReport, { run: Propagation; summary: () => RankKey[]; rankedServices: () => RankKey[] }>();

/** A report whose lists are built on first read; plain data to every reader (own, enumerable getters). */
function lazyReport(run: Propagation): ImpactReport {
  let summaries: RankKey[] | undefined;
  let ranked: RankKey[] | undefined;
  let impacted: ImpactedCi[] | undefined;
  let services: ImpactedCi[] | undefined;
  let teams: TeamImpact[] | undefined;
  const summary = () => (summaries ??= run.order.map((i) => rankKeyAt(run, i)));
  // Services in report order; a first page needs only these, not a summary of every impacted CI.
  const rankedServices = () =>
    (ranked ??= (summaries ? summaries.filter((k) => k.isService) : run.order.filter((i) => run.g.nodes[i]!.isService).map((i) => rankKeyAt(run, i))).sort(compareServices));
  const report: ImpactReport = {
    get impacted() {
      return (impacted ??= run.order.map((i) => entryAt(run, i)).sort((a, b) => a.distance - b.distance || compareStrings(a.id, b.id)));
    },
    get services() {
      return (services ??= rankedServices().map((k) => entryAt(run, k.index)));
    },
    // Owners need no paths: the summaries order teams exactly as the entries would.
    get teams() {
      return (teams ??= teamsOf(rankedServices(), summary()));
    },
    groups: run.groups,
  };
  pagers.set(report, { run, summary, rankedServices });
  return report;
}

/** What rings, risk and scope read of every impacted CI (not paths): cheap to have for all of them. */
export type ImpactSummary = Pick<ImpactedCi, 'id' | 'name' | 'className' | 'isService' | 'serviceKind' | 'state' | 'criticality' | 'environment' | 'distance' | 'ownerTeams'>;

/** The report's impacted CIs without their paths, in no particular order: built for a report from this module. */
export function impactSummaries(report: ImpactReport): readonly ImpactSummary[] {
  return pagers.get(report)?.summary() ?? report.impacted;
}

/** The fields a page orders by and counts, and owners: cheap for every CI (no paths, no names of paths). */
interface RankKey extends ImpactSummary {
  index: number;
}

function rankKeyAt(run: Propagation, i: number): RankKey {
  const node = run.g.nodes[i]!;
  const key: RankKey = {
    index: i,
    id: node.id,
    name: node.name,
    className: node.className,
    isService: node.isService,
    state: LEVEL_NAME[run.state[i] as 1 | 2],
    criticality: node.criticality,
    distance: run.dist[i]!,
    ownerTeams: node.ownerTeams ?? [],
  };
  if (node.serviceKind !== undefined) key.serviceKind = node.serviceKind;
  if (node.environment !== undefined) key.environment = node.environment;
  return key;
}

/**
 * One page of the report's services (or of every impacted CI, in `compareImpacted` order), with totals over the
 * whole list. A report from this module builds only the page's entries; any other (a stored one) is paged as is.
 */
export function pageOfReport(report: ImpactReport, list: 'services' | 'impacted', offset: number, first: number): ImpactPage {
  const lazy = pagers.get(report);
  if (!lazy) return list === 'services' ? pageOf(report.services, offset, first) : pageOf([...report.impacted].sort(compareImpacted), offset, first);
  const page = pageOf(list === 'services' ? lazy.rankedServices() : [...lazy.summary()].sort(compareImpacted), offset, first);
  return { ...page, items: page.items.map((k) => entryAt(lazy.run, k.index)) };
}

/** The report entry of impacted node i: its paths, confidence, notes and owners. */
function entryAt(run: Propagation, i: number): ImpactedCi {
  const done = run.built[i];
  if (done) return done;
  const { g, state, maxPaths } = run;
  const node = g.nodes[i]!;
  const isFailed = run.base[i]! > OK;
  const cells = pathsOf(run, i);
  const lowConfidence = !isFailed && run.confirmed[i] === 0;
  const staleVia = new Set<string>();
  const notes = new Set<string>();
  for (const head of cells) {
    for (let c: PathCell | null = head; c; c = c.next) {
      if (lowConfidence && g.nodes[c.node]!.stale) staleVia.add(g.nodes[c.node]!.id);
      if (lowConfidence && c.absentToNext && c.next) staleVia.add(`${g.nodes[c.node]!.id}->${g.nodes[c.next.node]!.id}`);
      const note = run.groupNote.get(c.node);
      if (note) notes.add(note);
    }
  }
  const ci: ImpactedCi = {
    id: node.id,
    name: node.name,
    className: node.className,
    isService: node.isService,
    state: LEVEL_NAME[state[i] as 1 | 2],
    criticality: node.criticality,
    failed: isFailed,
    stale: node.stale === true,
    distance: run.dist[i]!,
    paths: cells.slice(0, maxPaths).map((c) => materialize(g, c)),
    lowConfidence,
    staleVia: [...staleVia],
    ownerTeams: [...(node.ownerTeams ?? [])],
  };
  if (node.serviceKind !== undefined) ci.serviceKind = node.serviceKind;
  if (node.environment !== undefined) ci.environment = node.environment;
  if (notes.size > 0) ci.redundancyNotes = [...notes];
  run.built[i] = ci;
  return ci;
}

/** Groups with impacted members, and the note each puts on the paths through it. */
function groupOutcomes(g: GraphIndex, fix: Fixpoint): { groups: GroupOutcome[]; groupNote: Map<number, string> } {
  const groupNote = new Map<number, string>();
  const groups: GroupOutcome[] = [];
  for (let i = 0; i < g.nodes.length; i++) {
    const total = g.memberTotal[i]!;
    const lost = fix.memDown[i]!;
    const degraded = fix.memDeg[i]!;
    if (total === 0 || lost + degraded === 0) continue;
    const node = g.nodes[i]!;
    const rule = node.redundancy ?? DEFAULT_REDUNDANCY;
    const holds = groupHoldsAfterLoss(rule, lost, total);
    const label = describeRedundancy(rule);
    const degradedPart = degraded > 0 ? `, ${degraded} degraded` : '';
    groupNote.set(
      i,
      lost > 0
        ? `${node.name} lost ${lost} of ${total} members${degradedPart} (${label} ${holds ? 'still holds' : 'not met'})`
        : `${node.name} has ${degraded} of ${total} members degraded (${label} still holds)`,
    );
    groups.push({ id: node.id, name: node.name, rule, total, lost, degraded, holds, state: LEVEL_NAME[fix.state[i] as 1 | 2] });
  }
  return { groups, groupNote };
}

/** A group is only DOWN through members it lost: a rule that fails with every member up is bad data, not impact. */
function groupHoldsAfterLoss(rule: Redundancy, lost: number, total: number): boolean {
  return lost === 0 || groupHolds(rule, total - lost, total);
}

interface Fixpoint {
  state: Uint8Array;
  memDown: Int32Array;
  memDeg: Int32Array;
}

/**
 * The least fixpoint of the state rules, by worklist.
 *
 * Each node keeps counters of how many of its needs and members are DEGRADED or DOWN, so re-evaluating it is O(1)
 * and a change of one CI costs O(its dependents), not O(dependents * their degree).
 *
 * Termination: a node enters the worklist only when its state strictly rises, and a state can rise at most twice
 * (OK -> DEGRADED -> DOWN). So there are at most 2n + |sources| pops; each pop with a change walks the node's
 * dependents once per rise, i.e. at most 2 * in-degree work per node: O(n + e) in total, cycles included.
 * Correctness: every rule is monotone (a worse need or member never makes a CI better; `groupHolds` is monotone
 * in the number of members up), so starting from the failures and only raising states reaches the least
 * fixpoint, whatever order the worklist is drained in. In a cycle nothing is impacted unless a failure reaches it.
 */
function computeStates(g: GraphIndex, base: Uint8Array, sources: readonly number[]): Fixpoint {
  const n = g.nodes.length;
  const state = Uint8Array.from(base);
  // The state each node last told its dependents about; counters are moved from this to the current state.
  const told = new Uint8Array(n);
  const needDown = new Int32Array(n);
  const needDeg = new Int32Array(n);
  const memDown = new Int32Array(n);
  const memDeg = new Int32Array(n);
  const { start, target, member } = g.inTyped;

  const evaluate = (v: number): Level => {
    let s = base[v]! as Level;
    if (needDown[v]! > 0) return DOWN;
    if (needDeg[v]! > 0 && s < DEGRADED) s = DEGRADED;
    const hit = memDown[v]! + memDeg[v]!;
    if (hit > 0) {
      const rule = g.nodes[v]!.redundancy ?? DEFAULT_REDUNDANCY;
      // A DEGRADED member still serves, so only DOWN members count against the rule.
      const grp: Level = groupHoldsAfterLoss(rule, memDown[v]!, g.memberTotal[v]!) ? DEGRADED : DOWN;
      if (grp > s) s = grp;
    }
    return s;
  };

  const queue: number[] = [...sources];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    const was = told[u]!;
    const now = state[u]!;
    if (was === now) continue;
    told[u] = now;
    for (let e = start[u]!; e < start[u + 1]!; e++) {
      const v = target[e]!;
      const [down, deg] = member[e] ? [memDown, memDeg] : [needDown, needDeg];
      if (was === DEGRADED) deg[v]! -= 1;
      if (now === DEGRADED) deg[v]! += 1;
      else down[v]! += 1;
      const next = evaluate(v);
      if (next > state[v]!) {
        state[v] = next;
        queue.push(v);
      }
    }
  }
  return { state, memDown, memDeg };
}

/**
 * Multi-source BFS from the failed CIs against the needs direction, over explaining links only: v -> u explains
 * v when u is at least as bad as v (a DOWN service is explained by DOWN needs, not by a DEGRADED one; a group's
 * DOWN or DEGRADED members explain its DEGRADED state). Every impacted CI is reached: in the least fixpoint a
 * DOWN CI derives from a DOWN need or lost members, recursively, down to a failure, and a DEGRADED CI from any
 * impacted need or member. Returns distances (-1 = not impacted) and the CIs in BFS order.
 */
function explanationDistances(g: GraphIndex, state: Uint8Array, sources: readonly number[]) {
  const dist = new Int32Array(g.nodes.length).fill(-1);
  const order: number[] = [];
  for (const s of sources) {
    dist[s] = 0;
    order.push(s);
  }
  const { start, target } = g.in;
  for (let head = 0; head < order.length; head++) {
    const u = order[head]!;
    for (let e = start[u]!; e < start[u + 1]!; e++) {
      const v = target[e]!;
      if (dist[v]! < 0 && state[v]! > OK && state[u]! >= state[v]!) {
        dist[v] = dist[u]! + 1;
        order.push(v);
      }
    }
  }
  return { dist, order };
}

/**
 * Up to k shortest explanation paths of CI v, from BFS parent links: every path in the BFS DAG is a shortest one,
 * and a CI's first k paths (in id order) extend its parents' first k. Built on demand, for v and whichever of its
 * BFS ancestors have none yet, nearest to the failures first, so that parents are always done before their
 * dependents: a page of 20 CIs builds their paths, not those of 50,000. O(e + n * k) cells for every CI; never
 * enumerates the (possibly exponential) set of all paths.
 */
function pathsOf(run: Propagation, v: number): PathCell[] {
  const { paths, dist, state } = run;
  const done = paths[v];
  if (done) return done;
  const { start, target, absent } = run.g.out;
  const isParent = (x: number, u: number) => dist[u] === dist[x]! - 1 && state[u]! >= state[x]!;
  // Ancestors without paths, found iteratively: a long chain would overflow a recursive walk.
  const pending = [v];
  const queued = new Set(pending);
  for (let h = 0; h < pending.length; h++) {
    const x = pending[h]!;
    if (dist[x] === 0) continue;
    for (let e = start[x]!; e < start[x + 1]!; e++) {
      const u = target[e]!;
      if (isParent(x, u) && !paths[u] && !queued.has(u)) {
        queued.add(u);
        pending.push(u);
      }
    }
  }
  pending.sort((a, b) => dist[a]! - dist[b]!);
  const k = Math.max(1, run.maxPaths);
  for (const x of pending) {
    const mine: PathCell[] = [];
    if (dist[x] === 0) mine.push({ node: x, absentToNext: false, next: null });
    // Targets are sorted by id, and each parent's paths are in order, so `mine` comes out lexicographic.
    for (let e = start[x]!; e < start[x + 1]! && mine.length < k && dist[x]! > 0; e++) {
      const u = target[e]!;
      if (!isParent(x, u)) continue;
      for (const tail of paths[u]!) {
        if (mine.length >= k) break;
        mine.push({ node: x, absentToNext: absent[e] === 1, next: tail });
      }
    }
    paths[x] = mine;
  }
  return paths[v]!;
}

/**
 * Which impacted CIs have at least one explanation path (any length) free of stale CIs and absent relationships:
 * the same walk as the distances, refusing stale CIs and absent links. The rest are low-confidence.
 */
function freshReach(g: GraphIndex, state: Uint8Array, sources: readonly number[]): Uint8Array {
  const seen = new Uint8Array(g.nodes.length);
  const queue: number[] = [];
  for (const s of sources) {
    if (g.nodes[s]!.stale) continue;
    seen[s] = 1;
    queue.push(s);
  }
  const { start, target, absent } = g.in;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head]!;
    for (let e = start[u]!; e < start[u + 1]!; e++) {
      const v = target[e]!;
      if (seen[v] || absent[e] || g.nodes[v]!.stale || state[v]! === OK || state[u]! < state[v]!) continue;
      seen[v] = 1;
      queue.push(v);
    }
  }
  return seen;
}

function materialize(g: GraphIndex, head: PathCell): string[] {
  const ids: string[] = [];
  for (let c: PathCell | null = head; c; c = c.next) ids.push(g.nodes[c.node]!.id);
  return ids;
}

/** What matters most first: DOWN, most critical, business before application before technical, nearest, name. */
function compareServices(a: ServiceRankKey, b: ServiceRankKey): number {
  return (
    (a.state === b.state ? 0 : a.state === 'DOWN' ? -1 : 1) ||
    a.criticality - b.criticality ||
    kindRank(a) - kindRank(b) ||
    a.distance - b.distance ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.id, b.id)
  );
}

type ServiceRankKey = Pick<ImpactedCi, 'id' | 'name' | 'state' | 'criticality' | 'distance' | 'serviceKind'>;

function kindRank(ci: ServiceRankKey): number {
  return ci.serviceKind ? KIND_RANK[ci.serviceKind] : 3;
}

/**
 * Owning teams of every impacted CI. Walking services in report order and then the other CIs in importance order
 * puts each team where its most important impacted item stands, and fills each team's lists in that same order.
 */
function teamsOf(services: readonly ImpactSummary[], impacted: readonly ImpactSummary[]): TeamImpact[] {
  const byTeam = new Map<string, TeamImpact>();
  const others = impacted.filter((ci) => !ci.isService).sort(compareImpacted);
  for (const ci of [...services, ...others]) {
    for (const team of [...new Set(ci.ownerTeams)].sort(compareStrings)) {
      let entry = byTeam.get(team);
      if (!entry) byTeam.set(team, (entry = { team, services: [], cis: [] }));
      (ci.isService ? entry.services : entry.cis).push(ci.id);
    }
  }
  return [...byTeam.values()];
}
