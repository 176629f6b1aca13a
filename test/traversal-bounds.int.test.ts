// Traversal bounds over HTTP: `paths` on graphs with cycles returns simple paths only (no CI twice, never through
// the target and back), and `dependencies` / `dependents` say when the depth limit cut CIs off and apply
// `limit` during the walk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let id: Record<string, string> = {};
const n = (s: string) => `${app.key}-${s}`;
const refOf = (ciId: string) => Object.entries(id).find(([, v]) => v === ciId)?.[0] ?? ciId;

interface Sub {
  truncated: boolean;
  cutByDepth: number;
  nodes: { distance: number; moreBeyondDepth: boolean; ci: { id: string } }[];
}
async function dependents(ref: string, args: string): Promise<Sub> {
  const r = await app.data<{ ci: { sub: Sub } }>(
    `query ($id: ID!) { ci(id: $id) { sub: dependents(${args}) { truncated cutByDepth nodes { distance moreBeyondDepth ci { id } } } } }`,
    { id: id[ref] },
  );
  return r.ci.sub;
}
async function paths(from: string, to: string, max: number): Promise<string[][]> {
  const r = await app.data<{ paths: { nodes: { id: string }[] }[] }>(
    `query ($a: ID!, $b: ID!) { paths(fromId: $a, toId: $b, max: ${max}) { nodes { id } } }`,
    { a: id[from], b: id[to] },
  );
  return r.paths.map((p) => p.nodes.map((x) => refOf(x.id)));
}

beforeAll(async () => {
  app = await startTestRipple();
  const ms = (ref: string) => ({ ref, className: 'Microservice', name: n(ref) });
  const dep = (from: string, to: string) => ({ type: 'DEPENDS_ON', from: { ref: from }, to: { ref: to } });
  const estate = await upsert(app, {
    source: n('mesh'),
    items: [
      // A social network's services, with the cycles real call graphs have.
      ...['compose', 'timeline', 'social', 'user', 'media'].map(ms),
      // A chain of dependents five deep, with a fan at depth 3.
      ...['base', 'c1', 'c2', 'c3', 'c4', 'c5', 'f1', 'f2', 'f3'].map(ms),
    ],
    relationships: [
      dep('compose', 'timeline'),
      dep('compose', 'media'),
      dep('timeline', 'social'),
      dep('media', 'social'),
      dep('timeline', 'media'),
      dep('media', 'timeline'),
      // Through the target and back: social and user need each other.
      dep('social', 'user'),
      dep('user', 'social'),
      dep('c1', 'base'),
      dep('c2', 'c1'),
      dep('c3', 'c2'),
      dep('c4', 'c3'),
      dep('c5', 'c4'),
      ...['f1', 'f2', 'f3'].map((f) => dep(f, 'c3')),
    ],
  });
  id = idsByRef(estate);
});

afterAll(async () => {
  if (!app) return;
  await deleteTagged(app);
  await app.close();
});

describe('paths on a graph with cycles', () => {
  it('returns only simple paths, shortest first, and no more than exist', async () => {
    const ps = await paths('compose', 'social', 10);
    for (const p of ps) expect(new Set(p).size, p.join(' -> ')).toBe(p.length);
    // With cycles timeline <-> media and social <-> user, a walk could also go compose timeline media timeline
    // social, or compose timeline social user social: ten were asked for, only these four are simple.
    expect(ps.map((p) => p.join(' ')).sort()).toEqual([
      'compose media social',
      'compose media timeline social',
      'compose timeline media social',
      'compose timeline social',
    ]);
    expect(ps.map((p) => p.length)).toEqual([3, 3, 4, 4]);
  });

  it('never passes through the target and back', async () => {
    const ps = await paths('compose', 'user', 10);
    expect(ps.length).toBeGreaterThan(0);
    for (const p of ps) {
      expect(new Set(p).size, p.join(' -> ')).toBe(p.length);
      expect(p.indexOf('user')).toBe(p.length - 1);
    }
  });
});

describe('dependents cut by depth', () => {
  it('says how many CIs the depth limit left out, and which CIs at the limit have more beyond', async () => {
    const s = await dependents('base', 'depth: 3');
    expect(s.nodes.map((x) => [refOf(x.ci.id), x.distance, x.moreBeyondDepth])).toEqual([
      ['c1', 1, false],
      ['c2', 2, false],
      ['c3', 3, true],
    ]);
    expect(s.cutByDepth).toBe(4); // c4, f1, f2, f3
    expect(s.truncated).toBe(false);
  });

  it('reports no cut when the depth reaches everything', async () => {
    const s = await dependents('base', 'depth: 10');
    expect(s.nodes).toHaveLength(8);
    expect(s.cutByDepth).toBe(0);
    expect(s.nodes.every((x) => !x.moreBeyondDepth)).toBe(true);
  });

  it('keeps the nearest CIs when the limit cuts first, and says truncated', async () => {
    const s = await dependents('base', 'depth: 10, limit: 4');
    expect(s.truncated).toBe(true);
    expect(s.nodes.map((x) => [refOf(x.ci.id), x.distance])).toEqual([
      ['c1', 1],
      ['c2', 2],
      ['c3', 3],
      [expect.stringMatching(/^(c4|f1|f2|f3)$/), 4],
    ]);
  });
});
