// Traversal over HTTP: what a CI needs (dependencies) and what needs it (dependents) across a small estate
// from a business service down to hardware, with depth, type and class restrictions, cycles, diamonds,
// shortest paths and the depth limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { shopEstate } from './helpers/estates';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
/** Ids by ref of the estate, the cycle and the diamond. */
let id: Record<string, string> = {};

interface Sub {
  root: { id: string };
  truncated: boolean;
  nodes: { distance: number; ci: { id: string; name: string; className: string } }[];
  edges: { type: string; fromId: string; toId: string }[];
}
const SUB = `root { id } truncated nodes { distance ci { id name className } } edges { type fromId toId }`;

async function deps(field: 'dependencies' | 'dependents', ciId: string, args = 'depth: 10'): Promise<Sub> {
  const r = await app.data<{ ci: Record<string, Sub> }>(`query ($id: ID!) { ci(id: $id) { sub: ${field}(${args}) { ${SUB} } } }`, { id: ciId });
  return r.ci.sub!;
}

/** Distance by ref, for the nodes of a subgraph. */
function distances(s: Sub): Record<string, number> {
  const refOf = new Map(Object.entries(id).map(([ref, i]) => [i, ref]));
  return Object.fromEntries(s.nodes.map((n) => [refOf.get(n.ci.id) ?? n.ci.id, n.distance]));
}

function edgeSet(s: { edges: { type: string; fromId: string; toId: string }[] }): string[] {
  const refOf = new Map(Object.entries(id).map(([ref, i]) => [i, ref]));
  return s.edges.map((e) => `${refOf.get(e.fromId) ?? e.fromId} ${e.type} ${refOf.get(e.toId) ?? e.toId}`).sort();
}

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const n = (s: string) => `${key}-${s}`;
  const estate = await upsert(app, {
    source: `${key}-estate`,
    teams: [{ name: n('team') }],
    ...shopEstate(n, 'shop', { bs: { owner: n('team') } }),
  });
  expect(estate.counts).toEqual({ created: 13, updated: 0, unchanged: 0, rejected: 0 });
  const shapes = await upsert(app, {
    source: `${key}-estate`,
    items: [
      { ref: 'front', className: 'Microservice', name: n('front') },
      { ref: 'cycA', className: 'Microservice', name: n('cycle-a') },
      { ref: 'cycB', className: 'Microservice', name: n('cycle-b') },
      ...['dA', 'dB', 'dC', 'dD'].map((r) => ({ ref: r, className: 'Application', name: n(`diamond-${r}`) })),
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'front' }, to: { ref: 'cycA' } },
      { type: 'DEPENDS_ON', from: { ref: 'cycA' }, to: { ref: 'cycB' } },
      { type: 'DEPENDS_ON', from: { ref: 'cycB' }, to: { ref: 'cycA' } },
      { type: 'DEPENDS_ON', from: { ref: 'dA' }, to: { ref: 'dB' } },
      { type: 'DEPENDS_ON', from: { ref: 'dA' }, to: { ref: 'dC' } },
      { type: 'DEPENDS_ON', from: { ref: 'dB' }, to: { ref: 'dD' } },
      { type: 'DEPENDS_ON', from: { ref: 'dC' }, to: { ref: 'dD' } },
    ],
  });
  id = { ...idsByRef(estate), ...idsByRef(shapes) };
});
afterAll(async () => {
  if (!app) return;
  await deleteTagged(app);
  await app.close();
});

describe('what a business service needs', () => {
  it('reaches the hypervisor through services, Kubernetes, the database cluster and VMs, with fewest-hop distances', async () => {
    const s = await deps('dependencies', id.bs!);
    expect(s.root.id).toBe(id.bs);
    expect(s.truncated).toBe(false);
    expect(distances(s)).toEqual({
      as: 1,
      ms: 2,
      wl: 3,
      cl: 3,
      kc: 4,
      db1: 4,
      db2: 4,
      db3: 4,
      vm1: 5,
      vm2: 5,
      vm3: 5,
      hv: 6,
    });
    expect(s.nodes.map((n) => n.distance)).toEqual([...s.nodes.map((n) => n.distance)].sort((a, b) => a - b));
    expect(s.nodes.find((n) => n.ci.id === id.hv)!.ci.className).toBe('Hypervisor');
  });

  it('returns every edge among the returned CIs, and only those', async () => {
    const s = await deps('dependencies', id.bs!);
    expect(edgeSet(s)).toEqual(
      [
        'bs DEPENDS_ON as',
        'as DEPENDS_ON ms',
        'ms RUNS_ON wl',
        'wl RUNS_ON kc',
        'ms DEPENDS_ON cl',
        ...[1, 2, 3].flatMap((i) => [`cl HAS_MEMBER db${i}`, `db${i} RUNS_ON vm${i}`, `vm${i} HOSTED_ON hv`]),
      ].sort(),
    );
  });

  it('stops at direct neighbours with depth 1', async () => {
    expect(distances(await deps('dependencies', id.bs!, 'depth: 1'))).toEqual({ as: 1 });
    const ms = await deps('dependencies', id.ms!, 'depth: 1');
    expect(distances(ms)).toEqual({ wl: 1, cl: 1 });
    expect(edgeSet(ms)).toEqual(['ms DEPENDS_ON cl', 'ms RUNS_ON wl']);
  });

  it('follows only RUNS_ON when asked', async () => {
    const s = await deps('dependencies', id.ms!, 'depth: 10, types: [RUNS_ON]');
    expect(distances(s)).toEqual({ wl: 1, kc: 2 });
    expect(edgeSet(s)).toEqual(['ms RUNS_ON wl', 'wl RUNS_ON kc']);
    const db = await deps('dependencies', id.db1!, 'depth: 10, types: [RUNS_ON]');
    expect(distances(db)).toEqual({ vm1: 1 });
  });

  it('returns only hardware when filtered by the Hardware class, with its real distance', async () => {
    const s = await deps('dependencies', id.bs!, 'depth: 10, classes: ["Hardware"]');
    expect(distances(s)).toEqual({ hv: 6 });
    expect(s.nodes[0]!.ci.className).toBe('Hypervisor');
    expect(s.edges).toEqual([]);
    const virt = await deps('dependencies', id.bs!, 'depth: 10, classes: ["Virtual", "Hypervisor"]');
    expect(distances(virt)).toEqual({ vm1: 5, vm2: 5, vm3: 5, hv: 6 });
    expect(edgeSet(virt)).toEqual(['vm1 HOSTED_ON hv', 'vm2 HOSTED_ON hv', 'vm3 HOSTED_ON hv']);
  });

  it('marks the subgraph truncated when more CIs are reachable than the limit', async () => {
    const s = await deps('dependencies', id.bs!, 'depth: 10, limit: 3');
    expect(s.truncated).toBe(true);
    expect(distances(s)).toEqual({ as: 1, ms: 2, ...(s.nodes[2]!.ci.id === id.wl ? { wl: 3 } : { cl: 3 }) });
  });
});

describe('what a database failure can reach', () => {
  it('reaches the business service from one database, through the cluster', async () => {
    const s = await deps('dependents', id.db2!);
    expect(distances(s)).toEqual({ cl: 1, ms: 2, as: 3, bs: 4 });
    expect(edgeSet(s)).toEqual(['as DEPENDS_ON ms', 'bs DEPENDS_ON as', 'cl HAS_MEMBER db2', 'ms DEPENDS_ON cl']);
  });

  it('reaches every VM, database and service from the hypervisor, but not the Kubernetes side', async () => {
    const s = await deps('dependents', id.hv!);
    expect(distances(s)).toEqual({ vm1: 1, vm2: 1, vm3: 1, db1: 2, db2: 2, db3: 2, cl: 3, ms: 4, as: 5, bs: 6 });
  });

  it('respects depth on dependents too', async () => {
    expect(distances(await deps('dependents', id.hv!, 'depth: 2'))).toEqual({ vm1: 1, vm2: 1, vm3: 1, db1: 2, db2: 2, db3: 2 });
  });
});

describe('awkward shapes', () => {
  it('terminates on a dependency cycle and lists each CI of it once', async () => {
    const s = await deps('dependencies', id.front!);
    expect(distances(s)).toEqual({ cycA: 1, cycB: 2 });
    expect(edgeSet(s)).toEqual(['cycA DEPENDS_ON cycB', 'cycB DEPENDS_ON cycA', 'front DEPENDS_ON cycA']);
    const up = await deps('dependents', id.cycB!);
    const ids = up.nodes.map((n) => n.ci.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(distances(up)).toMatchObject({ cycA: 1, front: 2 });
  });

  it('does not list the root among its own dependencies when a cycle leads back to it', async () => {
    const s = await deps('dependencies', id.cycA!);
    expect(distances(s)).toEqual({ cycB: 1 });
    expect(edgeSet(s)).toEqual(['cycA DEPENDS_ON cycB', 'cycB DEPENDS_ON cycA']);
  });

  it('lists the bottom of a diamond once, at distance 2', async () => {
    const s = await deps('dependencies', id.dA!);
    expect(s.nodes.filter((n) => n.ci.id === id.dD)).toHaveLength(1);
    expect(distances(s)).toEqual({ dB: 1, dC: 1, dD: 2 });
    expect(edgeSet(s)).toEqual(['dA DEPENDS_ON dB', 'dA DEPENDS_ON dC', 'dB DEPENDS_ON dD', 'dC DEPENDS_ON dD']);
  });
});

describe('paths and limits', () => {
  interface Path {
    length: number;
    nodes: { id: string }[];
    edges: { type: string; fromId: string; toId: string }[];
  }
  const paths = async (fromId: string, toId: string, extra = '') =>
    (
      await app.data<{ paths: Path[] }>(
        `query ($from: ID!, $to: ID!) { paths(fromId: $from, toId: $to${extra}) { length nodes { id } edges { type fromId toId } } }`,
        { from: fromId, to: toId },
      )
    ).paths;
  const refs = (p: Path) => {
    const refOf = new Map(Object.entries(id).map(([ref, i]) => [i, ref]));
    return p.nodes.map((n) => refOf.get(n.id) ?? n.id);
  };
  const chained = (p: Path) => {
    expect(p.edges).toHaveLength(p.length);
    expect(p.nodes).toHaveLength(p.length + 1);
    p.edges.forEach((e, i) => {
      expect(e.fromId).toBe(p.nodes[i]!.id);
      expect(e.toId).toBe(p.nodes[i + 1]!.id);
    });
  };

  it('gives both shortest paths across a diamond, in order, with their edges', async () => {
    const ps = await paths(id.dA!, id.dD!);
    expect(ps).toHaveLength(2);
    ps.forEach(chained);
    expect(ps.map(refs).sort()).toEqual([
      ['dA', 'dB', 'dD'],
      ['dA', 'dC', 'dD'],
    ]);
    expect(ps.every((p) => p.edges.every((e) => e.type === 'DEPENDS_ON'))).toBe(true);
  });

  it('gives the shortest paths from the business service down to the hypervisor, one per database', async () => {
    const ps = await paths(id.bs!, id.hv!);
    expect(ps).toHaveLength(3);
    ps.forEach(chained);
    expect(ps.map((p) => p.length)).toEqual([6, 6, 6]);
    expect(ps.map(refs).sort()).toEqual(
      [1, 2, 3].map((i) => ['bs', 'as', 'ms', 'cl', `db${i}`, `vm${i}`, 'hv']),
    );
    expect(ps[0]!.edges.map((e) => e.type)).toEqual(['DEPENDS_ON', 'DEPENDS_ON', 'DEPENDS_ON', 'HAS_MEMBER', 'RUNS_ON', 'HOSTED_ON']);
  });

  it('finds the same path whichever CI is named first', async () => {
    const ps = await paths(id.kc!, id.bs!);
    expect(ps.map(refs)).toEqual([['bs', 'as', 'ms', 'wl', 'kc']]);
    chained(ps[0]!);
  });

  it('returns no path between CIs that are not connected, and only paths of the asked types', async () => {
    expect(await paths(id.dA!, id.bs!)).toEqual([]);
    expect(await paths(id.bs!, id.hv!, ', types: [DEPENDS_ON, RUNS_ON]')).toEqual([]);
    const one = await paths(id.bs!, id.hv!, ', max: 1');
    expect(one).toHaveLength(1);
  });

  it('names depth when it is beyond the limit or below 1, and names the missing CI of a path', async () => {
    for (const depth of [99, 0]) {
      const r = await app.gql(`query ($id: ID!) { ci(id: $id) { dependencies(depth: ${depth}) { root { id } } } }`, { id: id.bs });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'depth' });
      expect(r.errors?.[0]?.message).toMatch(/depth/);
    }
    const dep = await app.gql(`query ($id: ID!) { ci(id: $id) { dependents(depth: 11) { root { id } } } }`, { id: id.bs });
    expect(dep.errors?.[0]?.extensions).toMatchObject({ field: 'depth' });
    const missing = await app.gql(`query ($a: ID!) { paths(fromId: $a, toId: "ci_${key}_missing") { length } }`, { a: id.bs });
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'toId' });
  });
});
