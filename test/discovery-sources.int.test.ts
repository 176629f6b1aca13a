// Discovery runs with several sources and several writers: a batch racing its run's completion, a CI another
// source still reports, and health figures credited to the run that flagged a CI, not to every source it had.
import { describe, expect, it } from 'vitest';
import { ciState, completeRun, deleteDiscoveryTagged, refs, send, sendRaw, startRun, type CiState } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((a) => ((app = a), (key = a.key)), deleteDiscoveryTagged);

const server = (ref: string, suffix: string) => ({
  ref,
  className: 'LinuxServer',
  name: `${key}-${suffix}`,
  attributes: { serialNumber: `${key}-SN-${suffix}` },
});

async function state(id: string): Promise<CiState> {
  const s = await ciState(app, id);
  expect(s, `CI ${id} should still exist`).not.toBeNull();
  return s!;
}

interface Figure {
  key: string;
  count: number;
  ciIds: string[];
}
async function health(): Promise<{ staleBySource: Figure[]; absentRelationshipsBySource: Figure[] }> {
  const FIG = 'key count ciIds';
  const r = await app.data<{ cmdbHealth: { staleBySource: Figure[]; absentRelationshipsBySource: Figure[] } }>(
    `{ cmdbHealth { staleBySource { ${FIG} } absentRelationshipsBySource { ${FIG} } } }`,
  );
  return r.cmdbHealth;
}
const figureOf = (figs: Figure[], source: string) => figs.find((f) => f.key === source)?.ciIds ?? [];

describe('a batch committing while its run completes', () => {
  // Each round: three batches of the run and its completion are sent at once. Whatever order Neo4j gives them,
  // a batch is either accepted (then nothing it reported is stale, and the run counted only what it did not see)
  // or refused naming runId (then the run did not see its CI), never half of each.
  it('leaves nothing an accepted batch reported stale, and counts markedStale from exactly what the run missed, 4 rounds of 4', async () => {
    for (let round = 0; round < 4; round++) {
      const source = `race-${key}-${round}`;
      const names = ['a', 'b', 'c', 'gone'].map((n) => `race${round}-${n}`);
      const first = await startRun(app, source);
      const ids = refs(await send(app, { source, runId: first.id, items: names.map((n) => server(n, n)) }));
      await completeRun(app, first.id);

      const run = await startRun(app, source);
      const reported = names.slice(0, 3);
      const [done, ...batches] = await Promise.all([
        completeRun(app, run.id),
        ...reported.map((n) => sendRaw(app, { source, runId: run.id, items: [server(n, n)] })),
      ]);
      let missed = 1;
      for (const [i, b] of batches.entries()) {
        const ci = await state(ids[reported[i]!]!);
        if (b.__typename === 'MutationUpsertCisSuccess') {
          expect(ci.stale, `round ${round}: ${ci.name} was reported by an accepted batch`).toBe(false);
        } else {
          expect(b, `round ${round}`).toMatchObject({ __typename: 'ValidationError', field: 'runId' });
          expect(ci.stale, `round ${round}: ${ci.name}'s batch was refused, so the run never saw it`).toBe(true);
          missed += 1;
        }
      }
      expect((await state(ids[names[3]!]!)).stale).toBe(true);
      expect(done.markedStale, `round ${round}`).toBe(missed);
    }
  });
});

describe('a CI that several sources report', () => {
  const a = () => `srca-${key}`;
  const b = () => `srcb-${key}`;
  const ids: Record<string, string> = {};

  it('is not stale after a run of one source misses it while another source reported it during that run', async () => {
    const run1 = await startRun(app, a());
    Object.assign(
      ids,
      refs(
        await send(app, {
          source: a(),
          runId: run1.id,
          items: [server('x', 'multi-x'), server('y', 'multi-y')],
          relationships: [{ type: 'DEPENDS_ON', from: { ref: 'x' }, to: { ref: 'y' } }],
        }),
      ),
    );
    await completeRun(app, run1.id);

    const run2 = await startRun(app, a());
    await send(app, { source: a(), runId: run2.id, items: [server('y', 'multi-y')] });
    // During a's run, source b (with no run of its own) reports x and x -> y.
    const byB = await send(app, {
      source: b(),
      items: [server('x', 'multi-x'), server('y', 'multi-y')],
      relationships: [{ type: 'DEPENDS_ON', from: { ref: 'x' }, to: { ref: 'y' } }],
    });
    expect(byB.items.map((i) => i.id)).toEqual([ids.x, ids.y]);
    const done = await completeRun(app, run2.id);
    expect(done).toMatchObject({ markedStale: 0, markedAbsent: 0 });

    const x = await state(ids.x!);
    expect(x.stale).toBe(false);
    expect(x.relationships.find((r) => r.type === 'DEPENDS_ON' && r.to.id === ids.y)?.absent).toBe(false);
    expect(figureOf((await health()).staleBySource, a())).not.toContain(ids.x);
  });

  it('goes stale when the last source reporting it stops, credited in health to that source alone', async () => {
    const run = await startRun(app, b());
    await send(app, { source: b(), runId: run.id, items: [server('y', 'multi-y')] });
    expect(await completeRun(app, run.id)).toMatchObject({ markedStale: 1, markedAbsent: 1 });

    const x = await state(ids.x!);
    expect(x.stale).toBe(true);
    expect(x.relationships.find((r) => r.type === 'DEPENDS_ON' && r.to.id === ids.y)?.absent).toBe(true);
    expect(x.history[0]).toMatchObject({ action: 'stale', source: b() });
    // Who flagged it is bookkeeping, not one of the server's attributes.
    expect(x.attributes).toEqual({ serialNumber: `${key}-SN-multi-x` });
    const h = await health();
    expect(figureOf(h.staleBySource, b())).toContain(ids.x);
    expect(figureOf(h.staleBySource, a())).not.toContain(ids.x);
    expect(figureOf(h.absentRelationshipsBySource, b())).toContain(ids.x);
    expect(figureOf(h.absentRelationshipsBySource, a())).not.toContain(ids.x);
  });

  it('is fresh again, with a history entry naming the source, as soon as any source reports it, even outside a run', async () => {
    const again = await send(app, {
      source: a(),
      items: [server('x', 'multi-x'), server('y', 'multi-y')],
      relationships: [{ type: 'DEPENDS_ON', from: { ref: 'x' }, to: { ref: 'y' } }],
    });
    expect(again.items.map((i) => i.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    const x = await state(ids.x!);
    expect(x.stale).toBe(false);
    expect(x.relationships.find((r) => r.type === 'DEPENDS_ON' && r.to.id === ids.y)?.absent).toBe(false);
    // One entry for all the batch did to x: it is fresh again and so is its relationship to y.
    expect(x.history[0]).toMatchObject({ action: 'fresh', source: a() });
    expect(x.history[1]).toMatchObject({ action: 'stale', source: b() });
    expect(figureOf((await health()).staleBySource, b())).not.toContain(ids.x);
  });

  it('writes no history when a source re-sends what it already reported and nothing was stale', async () => {
    const before = (await state(ids.x!)).history.length;
    await send(app, { source: a(), items: [server('x', 'multi-x')] });
    expect((await state(ids.x!)).history).toHaveLength(before);
  });
});

describe('runs scoped to part of a source', () => {
  it('marks only what runs of the same scope reported: another cluster of the same source keeps its CIs', async () => {
    const source = `scoped-${key}`;
    const start = (scope: string) =>
      app.data<{ startDiscoveryRun: { data: { id: string; scope: string } } }>(
        `mutation ($s: String!, $c: String) { startDiscoveryRun(source: $s, scope: $c) { ... on MutationStartDiscoveryRunSuccess { data { id scope } } } }`,
        { s: source, c: scope },
      );
    const east = (await start('cluster:east')).startDiscoveryRun.data;
    expect(east.scope).toBe('cluster:east');
    const eastIds = refs(await send(app, { source, runId: east.id, items: [server('e', 'scoped-east')] }));
    await completeRun(app, east.id);
    const west = (await start('cluster:west')).startDiscoveryRun.data;
    await send(app, { source, runId: west.id, items: [server('w', 'scoped-west')] });
    expect(await completeRun(app, west.id)).toMatchObject({ markedStale: 0 });
    expect((await state(eastIds.e!)).stale).toBe(false);

    const bad = await app.data<{ startDiscoveryRun: { __typename: string; field?: string } }>(
      `mutation ($s: String!) { startDiscoveryRun(source: $s, scope: "has spaces") { __typename ... on ValidationError { field } } }`,
      { s: source },
    );
    expect(bad.startDiscoveryRun).toEqual({ __typename: 'ValidationError', field: 'scope' });
  });
});

describe('provenance stored before it was grouped by source and instant', () => {
  it('still shows who set each field, and is stored grouped after the next write, each (source, instant) once', async () => {
    const source = `prov-${key}`;
    const created = await send(app, { source, items: [server('p', 'prov')] });
    const id = created.items[0]!.id!;
    // As a Ripple from before grouping stored it: one object per field.
    const old = '2026-01-01T00:00:00.000Z';
    const oldForm = JSON.stringify({ name: { source, at: old }, serialNumber: { source, at: old }, lifecycle: { source, at: old } });
    await app.db.write((tx) => tx.run('MATCH (n:CI {id: $id}) SET n.provenance = $p', { id, p: oldForm }));
    const provenance = async () =>
      (await app.data<{ ci: { provenance: { field: string; source: string; at: string }[] } }>(`query ($id: ID!) { ci(id: $id) { provenance { field source at } } }`, { id })).ci
        .provenance;
    expect((await provenance()).find((p) => p.field === 'serialNumber')).toMatchObject({ source, at: old });

    const updated = await send(app, { source, items: [{ ...server('p', 'prov'), attributes: { serialNumber: `${key}-SN-prov`, osVersion: '6.6' } }] });
    expect(updated.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['osVersion'] });
    const after = await provenance();
    expect(after.find((p) => p.field === 'serialNumber')).toMatchObject({ source, at: old });
    const os = after.find((p) => p.field === 'osVersion');
    expect(os?.source).toBe(source);
    expect(os?.at).not.toBe(old);

    const stored = await app.db.read(async (tx) => (await tx.run('MATCH (n:CI {id: $id}) RETURN n.provenance AS p', { id })).records[0]!.get('p') as string);
    const groups = JSON.parse(stored) as [string, string, string[]][];
    expect(Array.isArray(groups)).toBe(true);
    expect(groups.find((g) => g[1] === old)?.[2]).toEqual(expect.arrayContaining(['lifecycle', 'name', 'serialNumber']));
    expect(stored.split(old)).toHaveLength(2);
  });
});
