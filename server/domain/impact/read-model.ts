// Owns the impact read model: the impacting subgraph's topology and the few fields propagation reads, held in
// compact arrays (ids interned to indexes, edges in typed arrays with a CSR index per direction), patched by whole
// CIs as the change log names them, and walked exactly as the Cypher walk in server/neo4j walks Neo4j; beside it,
// the service levels and impact intervals of the CIs that have a level, which change assessment weighs.
import type { ClassModel } from '../class-model/types';
import type { ImpactInterval, ServiceLevelSpec } from '../service-level';
import { tryParseRedundancy } from '../class-model/validate-attributes';
import { compareStrings, indexLinks, linkKey, placeholder } from './graph-index';
import type { ImpactEdge, ImpactGraph, ImpactNode } from './types';
import { upstreamOfIndex, type Upstream } from './upstream';

/** One CI as the store holds it: its fields, owners and outgoing impacting relationships. */
export interface ModelRow {
  id: string;
  name: string;
  className: string;
  criticality: number | null;
  environment: string | null;
  stale: boolean;
  redundancy: string | null;
  retired: boolean;
  owners: string[];
  out: { to: string; type: string; absent: boolean }[];
  /** The CI's service level, if it has one: held for change assessment, which weighs impacted services' budgets. */
  serviceLevel?: ModelServiceLevel | null;
}

export interface ModelServiceLevel {
  spec: ServiceLevelSpec;
  /** LEVEL: set through the API; ATTRIBUTE: read from the CI's availabilityTarget or sloTarget. */
  origin: 'LEVEL' | 'ATTRIBUTE';
  /** Its impact intervals that are open or end within the longest period a level measures. */
  intervals: ImpactInterval[];
}

const STALE = 1;
const RETIRED = 2;
const PRESENT = 4;

/** Interns strings to small numbers; 0 stands for "none". */
class Interner {
  readonly values: (string | undefined)[] = [undefined];
  private readonly index = new Map<string, number>();

  of(s: string | null | undefined): number {
    if (s === null || s === undefined) return 0;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function grown<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2, 1024));
  next.set(a);
  return next;
}

/** Edges of one direction: a CSR range per node over the edges that existed at the last compaction, plus later ones. */
interface Adjacency {
  start: Int32Array;
  list: Int32Array;
  extra: Map<number, number[]>;
}

export class ImpactReadModel {
  /** The store version this model reflects (see server/neo4j/repositories/change-log.ts). */
  version = 0;
  private readonly ids: string[] = [];
  private readonly indexOf = new Map<string, number>();
  private readonly names: string[] = [];
  private cls = new Uint16Array(0);
  private env = new Uint16Array(0);
  private crit = new Uint8Array(0);
  private flags = new Uint8Array(0);
  private redundancy = new Uint16Array(0);
  private owners = new Uint32Array(0);
  private readonly classes = new Interner();
  private readonly environments = new Interner();
  private readonly redundancies = new Interner();
  private readonly ownerLists = new Interner();
  private readonly types = new Interner();
  private eFrom = new Int32Array(0);
  private eTo = new Int32Array(0);
  private eType = new Uint8Array(0);
  private eAbsent = new Uint8Array(0);
  private eAlive = new Uint8Array(0);
  private edges = 0;
  private deadEdges = 0;
  private present = 0;
  private outs: Adjacency = { start: new Int32Array(1), list: new Int32Array(0), extra: new Map() };
  private ins: Adjacency = { start: new Int32Array(1), list: new Int32Array(0), extra: new Map() };
  private readonly nodeCache: (ImpactNode | undefined)[] = [];
  /** Few CIs have a service level: a map beside the arrays rather than a column. */
  private readonly levels = new Map<number, ModelServiceLevel>();
  /** Each CI's place in id order, for the CIs interned before the last compaction (`ranked` of them). */
  private rank = new Int32Array(0);
  private byRank = new Int32Array(0);
  private ranked = 0;
  /** Scratch for one call of `reach`: model index -> index in the graph it builds, -1 elsewhere. */
  private local = new Int32Array(0);

  /** @param patchLimit how many patched nodes or dead edges the model carries before it compacts. */
  constructor(
    private readonly model: ClassModel,
    private readonly patchLimit = 1000,
  ) {}

  /** A model of these rows (every CI of the store) at `version`. */
  static build(model: ClassModel, rows: Iterable<ModelRow>, version: number, patchLimit?: number): ImpactReadModel {
    const m = new ImpactReadModel(model, patchLimit);
    m.replace(rows, []);
    m.compact();
    m.version = version;
    return m;
  }

  /** CIs in the model, and impacting relationships among them: what the store's counts are compared with. */
  get counts(): { cis: number; relationships: number } {
    return { cis: this.present, relationships: this.edges - this.deadEdges };
  }

  /**
   * Brings the named CIs up to date: `rows` are those that still exist (fields, owners and outgoing edges replace
   * what the model held), and a named CI without a row was deleted.
   */
  replace(rows: Iterable<ModelRow>, touched: readonly string[]): void {
    const seen = new Set<number>();
    for (const r of rows) seen.add(this.setRow(r));
    for (const id of touched) {
      const i = this.indexOf.get(id);
      if (i !== undefined && !seen.has(i)) this.remove(i);
    }
    // Patches live beside the CSR index until they are a sizeable share of it; then one pass rewrites it.
    if ((this.deadEdges > this.patchLimit && this.deadEdges * 4 > this.edges) || this.outs.extra.size > this.patchLimit + this.ids.length / 8) this.compact();
  }

  /** Every CI within `maxDepth` impacting hops upstream of `ids` (themselves included), as upstreamOf returns it. */
  upstream(ids: readonly string[], maxDepth: number): ImpactGraph {
    const kept = this.kept(ids, this.walkUp(ids, maxDepth));
    const inside = new Uint8Array(this.ids.length);
    for (const i of kept) inside[i] = 1;
    const { membership } = this.model.impactRules();
    const nodes: ImpactNode[] = [];
    const edges: ImpactEdge[] = [];
    for (const i of kept) {
      nodes.push(this.node(i));
      this.eachEdge(this.outs, i, (e) => {
        const to = this.eTo[e]!;
        const type = this.types.values[this.eType[e]!]!;
        // HAS_MEMBER edges to members outside the set still count the group's healthy (not retired) members.
        if (!(this.flags[to]! & PRESENT)) return;
        if (inside[to] || (membership.has(type) && !(this.flags[to]! & RETIRED))) {
          edges.push({ from: this.ids[i]!, to: this.ids[to]!, type, absent: this.eAbsent[e] === 1 });
        }
      });
    }
    return { nodes, edges, rules: this.model.impactRules() };
  }

  /**
   * The subgraph `upstream` returns, indexed for propagation straight from the model's numeric ids: the same
   * index `indexGraph` would build from that subgraph, without strings to sort or map. A group's healthy members
   * outside the walked set, which only count towards its total, and named CIs the walk did not find (kept as
   * placeholders, as indexGraph keeps them) follow the walked CIs.
   */
  reach(ids: readonly string[], maxDepth: number): Upstream & { readonly dependsOn: Int32Array } {
    const walked = this.walkUp(ids, maxDepth);
    const kept = this.inIdOrder(this.kept(ids, walked));
    // A named CI that exists is always kept: depth 0 reaches it, and a named retired CI stays.
    const reached = new Set(ids.filter((id) => (this.flags[this.indexOf.get(id) ?? -1] ?? 0) & PRESENT));
    const local = this.scratch();
    const nodes: ImpactNode[] = [];
    const outside: number[] = [];
    for (const i of kept) local[i] = nodes.push(this.node(i)) - 1;
    const { impacting, membership } = this.typeRules();
    const links: number[] = [];
    // Retired members a group leaves out of its count: one coming back changes the count.
    const retiredMembers: number[] = [];
    for (const i of kept) {
      this.eachEdge(this.outs, i, (e) => {
        const to = this.eTo[e]!;
        const type = this.eType[e]!;
        if (!impacting[type] || to === i || !(this.flags[to]! & PRESENT)) return;
        if (local[to]! < 0) {
          if (membership[type] && this.flags[to]! & RETIRED) retiredMembers.push(to);
          if (!membership[type] || this.flags[to]! & RETIRED) return;
          local[to] = nodes.push(this.node(to)) - 1;
          outside.push(to);
        }
        links.push(local[i]!, local[to]!, membership[type]!, this.eAbsent[e]!);
      });
    }
    const indexOf = new Map<string, number>();
    for (const id of ids) {
      const i = this.indexOf.get(id);
      if (i !== undefined && local[i]! >= 0) indexOf.set(id, local[i]!);
      else if (!indexOf.has(id)) indexOf.set(id, nodes.push(placeholder(id)) - 1);
    }
    for (const i of kept) local[i] = -1;
    for (const i of outside) local[i] = -1;
    const keys = new Float64Array(links.length / 4);
    for (let k = 0; k < keys.length; k++) keys[k] = linkKey(links[4 * k]!, links[4 * k + 1]!, nodes.length, links[4 * k + 2] === 1, links[4 * k + 3] === 1);
    // Retired CIs are walked through though not kept: a change to one can cut off what lies above it.
    const dependsOn = Int32Array.from([...walked, ...outside, ...retiredMembers]).sort();
    return Object.assign(upstreamOfIndex(indexLinks(nodes, keys), indexOf, reached, () => this.upstream(ids, maxDepth)), { dependsOn });
  }

  /**
   * Whether a change to CI `id` can alter what a reach that depended on `dependsOn` (its `dependsOn`, sorted) found:
   * the CI is one of them, or it now has an edge to one of them (it may have become upstream, or a member). A CI
   * outside both cannot: edges are logged on their `from` CI, so a new edge into the set names a CI inside it.
   */
  touches(id: string, dependsOn: Int32Array): boolean {
    const i = this.indexOf.get(id);
    if (i === undefined) return false;
    if (sortedHas(dependsOn, i)) return true;
    let hit = false;
    this.eachEdge(this.outs, i, (e) => {
      hit ||= sortedHas(dependsOn, this.eTo[e]!);
    });
    return hit;
  }

  /** The ids upstreamIds returns: everything that needs any of `ids` within `maxDepth` hops, themselves included. */
  upstreamIds(ids: readonly string[], maxDepth: number): Set<string> {
    return new Set(this.walkUp(ids, maxDepth).map((i) => this.ids[i]!));
  }

  /** Those of `ids` that have a service level, with it. */
  serviceLevels(ids: readonly string[]): { id: string; name: string; className: string; level: ModelServiceLevel }[] {
    const out: { id: string; name: string; className: string; level: ModelServiceLevel }[] = [];
    for (const id of ids) {
      const i = this.indexOf.get(id);
      const level = i === undefined ? undefined : this.levels.get(i);
      if (level) out.push({ id, name: this.names[i!]!, className: this.classes.values[this.cls[i!]!]!, level });
    }
    return out;
  }

  /** Bytes the arrays and strings hold, roughly: what a process pays per CI for answering impact from memory. */
  approximateBytes(): number {
    const typed = [this.cls, this.env, this.crit, this.flags, this.redundancy, this.owners, this.eFrom, this.eTo, this.eType, this.eAbsent, this.eAlive];
    const arrays = typed.reduce((s, a) => s + a.byteLength, 0) + this.outs.list.byteLength + this.ins.list.byteLength + this.outs.start.byteLength * 2;
    const strings = this.ids.reduce((s, x, i) => s + 2 * (x.length + (this.names[i]?.length ?? 0)) + 80, 0);
    const levels = [...this.levels.values()].reduce((s, l) => s + 200 + 120 * l.intervals.length, 0);
    return arrays + strings + levels;
  }

  /** Of the walked CIs, those `upstream` returns: retired ones serve nothing, so they are walked through but left out, unless named. */
  private kept(ids: readonly string[], walked: number[]): number[] {
    const failed = new Set(ids);
    return walked.filter((i) => !(this.flags[i]! & RETIRED) || failed.has(this.ids[i]!));
  }

  /** `nodes` sorted by id: by rank when all were ranked (the usual case), by the ids themselves otherwise. */
  private inIdOrder(nodes: number[]): number[] {
    if (nodes.every((i) => i < this.ranked)) {
      const ranks = Int32Array.from(nodes, (i) => this.rank[i]!).sort();
      return Array.from(ranks, (r) => this.byRank[r]!);
    }
    // Ranks agree with id order among ranked CIs, so comparing by rank where both have one is comparing ids.
    return nodes.sort((a, b) => (a < this.ranked && b < this.ranked ? this.rank[a]! - this.rank[b]! : compareStrings(this.ids[a]!, this.ids[b]!)));
  }

  private scratch(): Int32Array {
    if (this.local.length < this.ids.length) this.local = new Int32Array(Math.max(this.ids.length, this.local.length * 2)).fill(-1);
    return this.local;
  }

  /** Per interned relationship type: whether it impacts, and whether it is a membership type. */
  private typeRules(): { impacting: Uint8Array; membership: Uint8Array } {
    const rules = this.model.impactRules();
    const names = this.types.values;
    return {
      impacting: Uint8Array.from(names, (t) => (t !== undefined && rules.impacting.has(t) ? 1 : 0)),
      membership: Uint8Array.from(names, (t) => (t !== undefined && rules.membership.has(t) ? 1 : 0)),
    };
  }

  /** Breadth-first over the reverse edges, each CI once, in the order reached. */
  private walkUp(ids: readonly string[], maxDepth: number): number[] {
    const seen = new Uint8Array(this.ids.length);
    const reached: number[] = [];
    for (const id of ids) {
      const i = this.indexOf.get(id);
      if (i !== undefined && this.flags[i]! & PRESENT && !seen[i]) {
        seen[i] = 1;
        reached.push(i);
      }
    }
    let from = 0;
    for (let depth = 0; depth < maxDepth && from < reached.length; depth++) {
      const to = reached.length;
      for (let k = from; k < to; k++) {
        this.eachEdge(this.ins, reached[k]!, (e) => {
          const up = this.eFrom[e]!;
          if (seen[up] || !(this.flags[up]! & PRESENT)) return;
          seen[up] = 1;
          reached.push(up);
        });
      }
      from = to;
    }
    return reached;
  }

  private eachEdge(adj: Adjacency, i: number, fn: (e: number) => void): void {
    const { start, list } = adj;
    if (i + 1 < start.length) for (let k = start[i]!; k < start[i + 1]!; k++) if (this.eAlive[list[k]!]) fn(list[k]!);
    const more = adj.extra.get(i);
    if (more) for (const e of more) if (this.eAlive[e]) fn(e);
  }

  private node(i: number): ImpactNode {
    const cached = this.nodeCache[i];
    if (cached) return cached;
    const className = this.classes.values[this.cls[i]!]!;
    const node: ImpactNode = {
      id: this.ids[i]!,
      name: this.names[i]!,
      className,
      isService: this.model.isA(className, 'Service'),
      criticality: this.crit[i] || 4,
      stale: (this.flags[i]! & STALE) !== 0,
      ownerTeams: this.owners[i] ? this.ownerLists.values[this.owners[i]!]!.split('\u0000') : [],
    };
    const kind = this.model.serviceKind(className);
    if (kind) node.serviceKind = kind;
    if (this.env[i]) node.environment = this.environments.values[this.env[i]!]!;
    const redundancy = this.redundancy[i] ? tryParseRedundancy(this.redundancies.values[this.redundancy[i]!]!) : undefined;
    if (redundancy) node.redundancy = redundancy;
    this.nodeCache[i] = node;
    return node;
  }

  private intern(id: string): number {
    let i = this.indexOf.get(id);
    if (i !== undefined) return i;
    i = this.ids.length;
    this.ids.push(id);
    this.names.push('');
    this.indexOf.set(id, i);
    const n = i + 1;
    this.cls = grown(this.cls, n);
    this.env = grown(this.env, n);
    this.crit = grown(this.crit, n);
    this.flags = grown(this.flags, n);
    this.redundancy = grown(this.redundancy, n);
    this.owners = grown(this.owners, n);
    return i;
  }

  private setRow(r: ModelRow): number {
    const i = this.intern(r.id);
    if (!(this.flags[i]! & PRESENT)) this.present++;
    this.names[i] = r.name;
    this.cls[i] = this.classes.of(r.className);
    this.env[i] = this.environments.of(r.environment);
    this.crit[i] = r.criticality ?? 0;
    this.flags[i] = PRESENT | (r.stale ? STALE : 0) | (r.retired ? RETIRED : 0);
    this.redundancy[i] = this.redundancies.of(r.redundancy);
    this.owners[i] = this.ownerLists.of(r.owners.length ? r.owners.join('\u0000') : null);
    this.nodeCache[i] = undefined;
    if (r.serviceLevel) this.levels.set(i, r.serviceLevel);
    else this.levels.delete(i);
    this.dropOutEdges(i);
    for (const e of r.out) this.addEdge(i, this.intern(e.to), this.types.of(e.type), e.absent);
    return i;
  }

  /** A deleted CI takes its relationships with it, both ways, as DETACH DELETE does. */
  private remove(i: number): void {
    if (this.flags[i]! & PRESENT) this.present--;
    this.flags[i] = 0;
    this.nodeCache[i] = undefined;
    this.levels.delete(i);
    this.dropEdges(this.outs, i);
    this.dropEdges(this.ins, i);
  }

  private dropOutEdges(i: number): void {
    this.dropEdges(this.outs, i);
  }

  private dropEdges(adj: Adjacency, i: number): void {
    this.eachEdge(adj, i, (e) => {
      this.eAlive[e] = 0;
      this.deadEdges++;
    });
  }

  private addEdge(from: number, to: number, type: number, absent: boolean): void {
    const e = this.edges++;
    this.eFrom = grown(this.eFrom, this.edges);
    this.eTo = grown(this.eTo, this.edges);
    this.eType = grown(this.eType, this.edges);
    this.eAbsent = grown(this.eAbsent, this.edges);
    this.eAlive = grown(this.eAlive, this.edges);
    this.eFrom[e] = from;
    this.eTo[e] = to;
    this.eType[e] = type;
    this.eAbsent[e] = absent ? 1 : 0;
    this.eAlive[e] = 1;
    for (const [adj, at] of [[this.outs, from], [this.ins, to]] as const) {
      const list = adj.extra.get(at);
      if (list) list.push(e);
      else adj.extra.set(at, [e]);
    }
  }

  /** Rewrites the live edges into fresh arrays with one CSR index per direction, dropping dead ones. */
  private compact(): void {
    const live: number[] = [];
    for (let e = 0; e < this.edges; e++) if (this.eAlive[e]) live.push(e);
    const n = live.length;
    const from = new Int32Array(n);
    const to = new Int32Array(n);
    const type = new Uint8Array(n);
    const absent = new Uint8Array(n);
    live.forEach((e, k) => {
      from[k] = this.eFrom[e]!;
      to[k] = this.eTo[e]!;
      type[k] = this.eType[e]!;
      absent[k] = this.eAbsent[e]!;
    });
    [this.eFrom, this.eTo, this.eType, this.eAbsent] = [from, to, type, absent];
    this.eAlive = new Uint8Array(n).fill(1);
    this.edges = n;
    this.deadEdges = 0;
    this.outs = csr(from, this.ids.length);
    this.ins = csr(to, this.ids.length);
    this.rerank();
  }

  /** Every CI's place in id order; new CIs go unranked until the next compaction, and are compared by id. */
  private rerank(): void {
    const n = this.ids.length;
    // The default sort compares UTF-16 code units, as compareStrings does, without a callback per pair.
    const sorted = [...this.ids].sort();
    this.rank = new Int32Array(n);
    this.byRank = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const i = this.indexOf.get(sorted[r]!)!;
      this.rank[i] = r;
      this.byRank[r] = i;
    }
    this.ranked = n;
  }
}

function sortedHas(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === x;
}

/** Edges grouped by `key` (their from or to node): start[i]..start[i+1] index `list`. */
function csr(key: Int32Array, nodes: number): Adjacency {
  const start = new Int32Array(nodes + 1);
  for (const k of key) start[k + 1] = start[k + 1]! + 1;
  for (let i = 0; i < nodes; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const fill = start.slice(0, nodes);
  const list = new Int32Array(key.length);
  key.forEach((k, e) => {
    list[fill[k]!] = e;
    fill[k] = fill[k]! + 1;
  });
  return { start, list, extra: new Map() };
}
