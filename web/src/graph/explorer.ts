// The explorer's graph operations: open a CI with its neighbourhood, expand and collapse incrementally, expand
// sibling groups, draw dependency/dependent subgraphs and impact views layered by distance, and apply filters.
import type { Core, ElementDefinition, NodeSingular } from 'cytoscape';
import { api } from '../api/session';
import { DependenciesQuery, DependentsQuery, NeighbourhoodQuery } from '../api/queries';
import { aggregateSiblings, GROUP_THRESHOLD, type Neighbour, type SiblingGroup } from './aggregate';
import { tuneForSize } from './cy';
import { signedRanks } from './layered';
import { runLayout, type LayoutRun } from './layout';
import { edgeId, nodeData, nodeLabel, REL_TYPES, type CiSummary, type RelType } from './model';

export interface Filters { hiddenFamilies: string[]; hiddenEnvs: string[]; hiddenRels: string[] }

/** `count`: a group the server already made (ci.id its key), drawn as a group node that expands through `expandRemote`. */
export interface SubgraphNodeIn { ci: CiSummary; rank: number; state?: string; count?: number; moreBeyondDepth?: boolean }
/** `count`: how many relationships one drawn edge between groups stands for. */
export interface SubgraphEdgeIn { type: string; fromId: string; toId: string; absent?: boolean; count?: number }

const asRel = (t: string): RelType => ((REL_TYPES as readonly string[]).includes(t) ? (t as RelType) : 'DEPENDS_ON');

async function must<T>(p: Promise<{ data?: T; errors?: { message: string }[] }>): Promise<T> {
  const r = await p;
  if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
  if (!r.data) throw new Error('no data');
  return r.data;
}

const MORE_BEYOND = '+ more beyond depth';

/** A group node: `count` CIs of one class in one rank; `remote` when the server made it (an impact drawing). */
function groupNode(gid: string, first: SubgraphNodeIn, count: number, state: string | undefined, remote: boolean, more = false): ElementDefinition {
  const name = `${count} × ${first.ci.className}`;
  const label = [name, state, more ? MORE_BEYOND : undefined, '(click to expand)'].filter(Boolean).join('\n');
  return {
    group: 'nodes',
    data: { ...nodeData(first.ci), id: gid, isGroup: true, remote, count, name, label, rank: first.rank },
    classes: state ? `state-${state}` : '',
  };
}

/** Edges onto what is drawn (a member's edge onto its group), once each; one standing for several says how many. */
function edgeElements(edges: SubgraphEdgeIn[], alias: Map<string, string>, ranks: Map<string, number>): ElementDefinition[] {
  const byId = new Map<string, ElementDefinition>();
  for (const e of edges) {
    const s = alias.get(e.fromId) ?? e.fromId;
    const t = alias.get(e.toId) ?? e.toId;
    const eid = edgeId(s, e.type, t);
    if (s === t || !ranks.has(s) || !ranks.has(t)) continue;
    const seen = byId.get(eid);
    const count = (seen ? (seen.data.count as number) : 0) + (e.count ?? 1);
    byId.set(eid, { group: 'edges', data: { id: eid, source: s, target: t, type: asRel(e.type), absent: (seen ? !!seen.data.absent : true) && !!e.absent, count, ...(count > 1 ? { countLabel: `×${count}` } : {}) } });
  }
  return [...byId.values()];
}

export class Explorer {
  rootId: string | null = null;
  /** Nodes each expansion added, so Collapse removes exactly those. */
  readonly addedBy = new Map<string, Set<string>>();
  readonly groups = new Map<string, SiblingGroup>();
  readonly expandedGroups = new Set<string>();
  /** The last subgraph drawn in a layered mode, re-drawn when one of its groups expands. */
  private layered: { nodes: SubgraphNodeIn[]; edges: SubgraphEdgeIn[] } | null = null;
  lastLayout: LayoutRun | null = null;
  private rings = false;
  /** Opens a group the server made (an impact drawing): the view asks the server again with the group open. */
  private expandRemote: ((gid: string) => Promise<void>) | null = null;
  /** What the drawing leaves out, for the status line (a traversal cut by its limit or depth). */
  note: string | null = null;
  filters: Filters = { hiddenFamilies: [], hiddenEnvs: [], hiddenRels: [] };

  constructor(readonly cy: Core) {}

  get expanded(): string[] {
    return [...this.addedBy.keys()].filter((id) => id !== this.rootId);
  }

  clear(): void {
    this.cy.elements().remove();
    this.addedBy.clear();
    this.groups.clear();
    this.expandedGroups.clear();
    this.layered = null;
    this.rings = false;
    this.rootId = null;
    this.expandRemote = null;
    this.note = null;
  }

  private async neighbours(id: string): Promise<{ ci: CiSummary; list: Neighbour[] } | null> {
    const data = await must(api(NeighbourhoodQuery, { id }));
    const ci = data.ci;
    if (!ci) return null;
    const list: Neighbour[] = [];
    for (const r of ci.relationships) {
      if (r.from.id === id && r.to.id !== id) list.push({ ci: r.to, type: asRel(r.type), direction: 'OUT', absent: r.absent });
      else if (r.to.id === id && r.from.id !== id) list.push({ ci: r.from, type: asRel(r.type), direction: 'IN', absent: r.absent });
    }
    return { ci, list };
  }

  /** Opens a CI: it and its first-level neighbourhood (relationships in both directions). */
  async open(id: string): Promise<boolean> {
    this.clear();
    const n = await this.neighbours(id);
    if (!n) return false;
    this.rootId = id;
    this.cy.add({ group: 'nodes', data: nodeData(n.ci), classes: 'root' });
    this.addNeighbours(id, n.list);
    await this.relayout(false);
    this.cy.getElementById(id).select();
    return true;
  }

  /** Adds a node's neighbours that are not drawn yet; returns how many nodes were added. */
  async expand(id: string): Promise<number> {
    if (id.startsWith('group:')) return this.expandGroup(id);
    const n = await this.neighbours(id);
    if (!n) return 0;
    const added = this.addNeighbours(id, n.list);
    await this.relayout(true);
    return added;
  }

  /** Removes the nodes an expansion added (not the root, nor nodes expanded themselves). */
  async collapse(id: string): Promise<number> {
    const added = this.addedBy.get(id);
    if (!added || id === this.rootId) return 0;
    this.addedBy.delete(id);
    let removed = 0;
    this.cy.batch(() => {
      for (const a of added) {
        if (a === this.rootId || this.addedBy.has(a)) continue;
        const stillOwned = [...this.addedBy.values()].some((s) => s.has(a));
        if (stillOwned) continue;
        const el = this.cy.getElementById(a);
        if (el.nonempty()) {
          el.remove();
          removed++;
        }
        this.groups.delete(a);
      }
    });
    await this.relayout(true);
    return removed;
  }

  private addNeighbours(anchorId: string, list: Neighbour[]): number {
    const cy = this.cy;
    const fresh = list.filter((n) => cy.getElementById(n.ci.id).empty());
    const { singles, groups } = aggregateSiblings(anchorId, fresh);
    const anchor = cy.getElementById(anchorId);
    const at = anchor.nonempty() ? anchor.position() : { x: 0, y: 0 };
    const els: ElementDefinition[] = [];
    const owned = this.addedBy.get(anchorId) ?? new Set<string>();
    const seen = new Set<string>();
    for (const n of singles) {
      if (seen.has(n.ci.id)) continue;
      seen.add(n.ci.id);
      owned.add(n.ci.id);
      els.push({ group: 'nodes', data: nodeData(n.ci), position: { x: at.x, y: at.y + (n.direction === 'OUT' ? 80 : -80) } });
    }
    for (const n of list) {
      const [s, t] = n.direction === 'OUT' ? [anchorId, n.ci.id] : [n.ci.id, anchorId];
      const eid = edgeId(s, n.type, t);
      if (groups.some((g) => g.members.includes(n)) || cy.getElementById(eid).nonempty() || els.some((e) => e.data.id === eid)) continue;
      els.push({ group: 'edges', data: { id: eid, source: s, target: t, type: n.type, absent: !!n.absent } });
    }
    for (const g of groups) {
      this.groups.set(g.id, g);
      owned.add(g.id);
      const first = g.members[0]!.ci;
      els.push({
        group: 'nodes',
        data: { ...nodeData(first), id: g.id, isGroup: true, count: g.members.length, name: `${g.members.length} × ${g.className}`, label: `${g.members.length} × ${g.className}\n(click to expand)` },
        position: { x: at.x, y: at.y + (g.direction === 'OUT' ? 80 : -80) },
      });
      const [s, t] = g.direction === 'OUT' ? [anchorId, g.id] : [g.id, anchorId];
      els.push({ group: 'edges', data: { id: edgeId(s, g.type, t), source: s, target: t, type: g.type } });
    }
    this.addedBy.set(anchorId, owned);
    cy.batch(() => cy.add(els));
    this.applyFilters();
    return singles.length + groups.length;
  }

  /** Replaces a sibling group by its members, one node each. */
  async expandGroup(gid: string): Promise<number> {
    if (this.expandRemote && this.cy.getElementById(gid).data('remote')) {
      this.expandedGroups.add(gid);
      await this.expandRemote(gid);
      return 1;
    }
    if (this.layered) {
      this.expandedGroups.add(gid);
      await this.drawLayered(this.layered.nodes, this.layered.edges, this.rings);
      return 1;
    }
    const g = this.groups.get(gid);
    if (!g) return 0;
    this.expandedGroups.add(gid);
    this.groups.delete(gid);
    this.cy.getElementById(gid).remove();
    this.addedBy.get(g.anchorId)?.delete(gid);
    // Members come back without aggregation: the user asked for them.
    const cy = this.cy;
    const owned = this.addedBy.get(g.anchorId) ?? new Set<string>();
    const els: ElementDefinition[] = [];
    for (const m of g.members) {
      if (cy.getElementById(m.ci.id).empty()) {
        owned.add(m.ci.id);
        els.push({ group: 'nodes', data: nodeData(m.ci) });
      }
      const [s, t] = m.direction === 'OUT' ? [g.anchorId, m.ci.id] : [m.ci.id, g.anchorId];
      const eid = edgeId(s, m.type, t);
      if (cy.getElementById(eid).empty()) els.push({ group: 'edges', data: { id: eid, source: s, target: t, type: m.type } });
    }
    this.addedBy.set(g.anchorId, owned);
    cy.batch(() => cy.add(els));
    this.applyFilters();
    await this.relayout(true);
    return g.members.length;
  }

  /** Explorer layout: layered by signed distance from the open CI (dependents above, dependencies below). */
  async relayout(animate: boolean): Promise<void> {
    const cy = this.cy;
    tuneForSize(cy);
    const ids = cy.nodes().map((n) => n.id());
    const edges = cy.edges().map((e) => ({ source: e.source().id(), target: e.target().id() }));
    const ranks = signedRanks(ids, edges, this.rootId ? [this.rootId] : ids.slice(0, 1));
    cy.nodes().forEach((n) => {
      n.data('rank', ranks.get(n.id()));
    });
    this.lastLayout = await runLayout(cy, { kind: 'layered', ranks, animate });
  }

  /** What the selected CI needs (or what needs it), to a depth, drawn layered by distance. */
  async loadSubgraph(kind: 'dependencies' | 'dependents', id: string, depth: number): Promise<{ nodes: number; truncated: boolean; cutByDepth: number }> {
    const vars = { id, depth, limit: 2000 };
    const data = kind === 'dependencies' ? await must(api(DependenciesQuery, vars)) : await must(api(DependentsQuery, vars));
    const sub = data.ci?.sub;
    if (!sub) return { nodes: 0, truncated: false, cutByDepth: 0 };
    const sign = kind === 'dependencies' ? 1 : -1;
    this.clear();
    this.rootId = id;
    await this.drawLayered(
      // The subgraph lists what the root reaches, not the root itself: it is drawn at rank 0.
      [{ ci: sub.root, rank: 0 }, ...sub.nodes.filter((n) => n.ci.id !== sub.root.id).map((n) => ({ ci: n.ci, rank: sign * n.distance, moreBeyondDepth: n.moreBeyondDepth }))],
      sub.edges.map((e) => ({ type: e.type, fromId: e.fromId, toId: e.toId, absent: e.absent })),
    );
    const left = [
      sub.truncated ? `the first ${vars.limit} CIs found are drawn, more are within depth ${depth}` : '',
      sub.cutByDepth ? `${sub.cutByDepth} more beyond depth ${depth}` : '',
    ];
    this.note = left.filter(Boolean).join('; ') || null;
    return { nodes: sub.nodes.length, truncated: sub.truncated, cutByDepth: sub.cutByDepth };
  }

  /**
   * Draws a whole subgraph layered by rank; more than GROUP_THRESHOLD CIs of one class in one rank become a
   * group node (edges rerouted to it) until expanded.
   */
  async drawLayered(nodes: SubgraphNodeIn[], edges: SubgraphEdgeIn[], rings = this.rings, expandRemote: ((gid: string) => Promise<void>) | null = null): Promise<void> {
    const cy = this.cy;
    const keepRoot = this.rootId;
    const expanded = new Set(this.expandedGroups);
    this.clear();
    this.rootId = keepRoot;
    for (const g of expanded) this.expandedGroups.add(g);
    this.layered = { nodes, edges };
    this.rings = rings;
    this.expandRemote = expandRemote;
    const bucket = new Map<string, SubgraphNodeIn[]>();
    const ranks = new Map<string, number>();
    const els: ElementDefinition[] = [];
    for (const n of nodes) {
      if (n.count !== undefined) {
        els.push(groupNode(n.ci.id, n, n.count, n.state, true));
        ranks.set(n.ci.id, n.rank);
        continue;
      }
      const k = `group:rank${n.rank}:${n.ci.className}`;
      (bucket.get(k) ?? bucket.set(k, []).get(k)!).push(n);
    }
    const alias = new Map<string, string>();
    for (const [gid, list] of bucket) {
      // A picture the server grouped (it can be asked again) is drawn as it came: what it drew one by one stays so.
      const grouped = !expandRemote && list.length > GROUP_THRESHOLD && !this.expandedGroups.has(gid) && !list.some((n) => n.ci.id === keepRoot);
      if (grouped) {
        const worst = list.find((n) => n.state === 'DOWN')?.state ?? list.find((n) => n.state)?.state;
        els.push(groupNode(gid, list[0]!, list.length, worst, false, list.some((n) => n.moreBeyondDepth)));
        ranks.set(gid, list[0]!.rank);
        for (const n of list) alias.set(n.ci.id, gid);
      } else {
        for (const n of list) {
          const label = n.moreBeyondDepth ? { label: `${nodeLabel(n.ci.name, n.ci.className, n.state)}\n${MORE_BEYOND}` } : {};
          els.push({ group: 'nodes', data: nodeData(n.ci, { rank: n.rank, ...(n.state ? { state: n.state } : {}), ...label }), classes: `${n.ci.id === keepRoot ? 'root ' : ''}${n.state ? `state-${n.state}` : ''}` });
          ranks.set(n.ci.id, n.rank);
        }
      }
    }
    els.push(...edgeElements(edges, alias, ranks));
    cy.batch(() => cy.add(els));
    this.applyFilters();
    tuneForSize(cy);
    this.lastLayout = await runLayout(cy, { kind: 'layered', ranks, animate: false, rings });
    if (keepRoot) cy.getElementById(keepRoot).select();
  }

  /** Marks nodes with an impact state: a class for the border style and a text badge in the label. */
  setStates(states: Map<string, string>): void {
    this.cy.batch(() => {
      this.cy.nodes().forEach((n: NodeSingular) => {
        if (n.data('isGroup')) return;
        const st = states.get(n.id());
        n.removeClass('state-DOWN state-DEGRADED state-FAILED');
        if (st) n.addClass(`state-${st}`);
        n.data('state', st);
        n.data('label', nodeLabel(n.data('name') as string, n.data('className') as string, st));
      });
    });
  }

  applyFilters(f: Filters = this.filters): void {
    this.filters = f;
    const fam = new Set(f.hiddenFamilies);
    const env = new Set(f.hiddenEnvs);
    const rel = new Set(f.hiddenRels);
    this.cy.batch(() => {
      this.cy.nodes().forEach((n) => {
        const hide = n.id() !== this.rootId && (fam.has(n.data('family') as string) || env.has(n.data('environment') as string));
        if (hide) n.addClass('filtered');
        else n.removeClass('filtered');
      });
      this.cy.edges().forEach((e) => {
        if (rel.has(e.data('type') as string)) e.addClass('filtered');
        else e.removeClass('filtered');
      });
    });
  }
}
