// Discovery ingestion over HTTP: runs that mark what a source stopped reporting as stale/absent (and only when
// completed), run errors, idempotent batches, source precedence, per-item rejection, duplicate conflicts and
// the CMDB health figures that lead back to the CIs behind them.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  abandonRun,
  abandonRunRaw,
  ciState,
  completeRun,
  completeRunRaw,
  deleteDiscoveryTagged,
  getRun,
  refs,
  send,
  sendRaw,
  startRun,
  startRunRaw,
  type CiState,
} from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((a) => ((app = a), (key = a.key)), deleteDiscoveryTagged);

const server = (ref: string, suffix: string, attributes: Record<string, unknown> = {}) => ({
  ref,
  className: 'LinuxServer',
  name: `${key}-${suffix}`,
  attributes: { serialNumber: `${key}-SN-${suffix}`, ...attributes },
});
const dependsOn = (from: Record<string, unknown>, to: Record<string, unknown>) => ({ type: 'DEPENDS_ON', from, to });

async function state(id: string): Promise<CiState> {
  const s = await ciState(app, id);
  expect(s, `CI ${id} should still exist`).not.toBeNull();
  return s!;
}

function rel(s: CiState, type: string, fromId: string, toId: string) {
  const found = s.relationships.filter((r) => r.type === type && r.from.id === fromId && r.to.id === toId);
  expect(found, `${type} ${fromId} -> ${toId}`).toHaveLength(1);
  return found[0]!;
}

async function staleNames(nameContains: string): Promise<string[]> {
  const r = await app.data<{ cis: { nodes: { name: string; stale: boolean }[] } }>(
    `query ($f: CiFilter) { cis(filter: $f, first: 100) { nodes { name stale } } }`,
    { f: { stale: true, nameContains } },
  );
  for (const n of r.cis.nodes) expect(n.stale).toBe(true);
  return r.cis.nodes.map((n) => n.name).sort();
}

describe('a discovery run marks what its source stopped reporting', () => {
  const source = () => `k8s-${key}`;
  const ids: Record<string, string> = {};
  let secondRunId = '';

  it('starts RUNNING and, on the first pass, completes with nothing marked stale', async () => {
    const run = await startRun(app, source());
    expect(run).toMatchObject({ source: source(), status: 'RUNNING', markedStale: 0, markedAbsent: 0, completedAt: null });
    const p = await send(app, {
      source: source(),
      runId: run.id,
      items: [server('A', 'run-a'), server('B', 'run-b'), server('C', 'run-c')],
      relationships: [dependsOn({ ref: 'A' }, { ref: 'B' }), dependsOn({ ref: 'B' }, { ref: 'C' })],
    });
    expect(p.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    Object.assign(ids, refs(p));
    const done = await completeRun(app, run.id);
    expect(done).toMatchObject({ id: run.id, status: 'COMPLETED', markedStale: 0, markedAbsent: 0 });
    expect(done.completedAt).not.toBeNull();
    expect(await getRun(app, run.id)).toMatchObject({ status: 'COMPLETED' });
    expect(await staleNames(`${key}-run-`)).toEqual([]);
  });

  it('marks nothing while the second run, which no longer reports C, is still running', async () => {
    const run = await startRun(app, source());
    secondRunId = run.id;
    const p = await send(app, {
      source: source(),
      runId: run.id,
      items: [server('A', 'run-a'), server('B', 'run-b')],
      relationships: [dependsOn({ ref: 'A' }, { ref: 'B' })],
    });
    expect(p.items.map((i) => i.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(p.relationships.map((r) => r.status)).toEqual(['UNCHANGED']);
    const c = await state(ids.C!);
    expect(c.stale).toBe(false);
    expect(rel(c, 'DEPENDS_ON', ids.B!, ids.C!).absent).toBe(false);
    expect(await staleNames(`${key}-run-`)).toEqual([]);
  });

  it('on completing the second run, shows C as stale and B->C as absent, deleting nothing', async () => {
    const done = await completeRun(app, secondRunId);
    expect(done).toMatchObject({ status: 'COMPLETED', markedStale: 1, markedAbsent: 1 });

    const c = await state(ids.C!);
    expect(c.stale).toBe(true);
    expect(c.name).toBe(`${key}-run-c`);
    expect(rel(c, 'DEPENDS_ON', ids.B!, ids.C!).absent).toBe(true);
    const b = await state(ids.B!);
    expect(b.stale).toBe(false);
    expect(rel(b, 'DEPENDS_ON', ids.A!, ids.B!).absent).toBe(false);
    expect(rel(b, 'DEPENDS_ON', ids.B!, ids.C!).absent).toBe(true);
    expect((await state(ids.A!)).stale).toBe(false);
    expect(await staleNames(`${key}-run-`)).toEqual([`${key}-run-c`]);
  });

  it('clears C\'s stale flag as soon as a batch of the next run reports it again, before that run completes', async () => {
    const run = await startRun(app, source());
    const first = await send(app, { source: source(), runId: run.id, items: [server('C', 'run-c')] });
    expect(first.items[0]).toMatchObject({ id: ids.C, status: 'UNCHANGED' });
    expect((await state(ids.C!)).stale).toBe(false);
    expect(await staleNames(`${key}-run-`)).toEqual([]);

    // A second batch of the same run reports A and B, and B->C again (C named by id).
    const second = await send(app, {
      source: source(),
      runId: run.id,
      items: [server('A', 'run-a'), server('B', 'run-b')],
      relationships: [dependsOn({ ref: 'A' }, { ref: 'B' }), dependsOn({ ref: 'B' }, { id: ids.C! })],
    });
    refs(second);
    expect(rel(await state(ids.C!), 'DEPENDS_ON', ids.B!, ids.C!).absent).toBe(false);

    // What either batch reported counts as seen by the run.
    const done = await completeRun(app, run.id);
    expect(done).toMatchObject({ status: 'COMPLETED', markedStale: 0, markedAbsent: 0 });
    expect(await staleNames(`${key}-run-`)).toEqual([]);
  });
});

describe('discovery run errors', () => {
  const source = () => `ab-${key}`;
  const ids: Record<string, string> = {};
  let completedRunId = '';
  let abandonedRunId = '';

  beforeAll(async () => {
    const run = await startRun(app, source());
    Object.assign(ids, refs(await send(app, { source: source(), runId: run.id, items: [server('A', 'ab-a'), server('B', 'ab-b')] })));
    completedRunId = (await completeRun(app, run.id)).id;
  });

  it('abandoning a run that no longer reports B marks nothing', async () => {
    const run = await startRun(app, source());
    await send(app, { source: source(), runId: run.id, items: [server('A', 'ab-a')] });
    const abandoned = await abandonRun(app, run.id);
    abandonedRunId = abandoned.id;
    expect(abandoned).toMatchObject({ status: 'ABANDONED', markedStale: 0, markedAbsent: 0 });
    expect(await getRun(app, run.id)).toMatchObject({ status: 'ABANDONED' });
    expect((await state(ids.B!)).stale).toBe(false);
    expect(await staleNames(`${key}-ab-`)).toEqual([]);
  });

  it('refuses to complete an abandoned or an already completed run, naming `id`', async () => {
    for (const id of [abandonedRunId, completedRunId]) {
      const r = await completeRunRaw(app, id);
      expect(r, id).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    }
    expect(await abandonRunRaw(app, completedRunId)).toMatchObject({ __typename: 'ValidationError', field: 'id' });
    expect(await getRun(app, abandonedRunId)).toMatchObject({ status: 'ABANDONED', markedStale: 0 });
    expect(await completeRunRaw(app, `run_${key}_missing`)).toMatchObject({ __typename: 'NotFoundError' });
    expect(await getRun(app, `run_${key}_missing`)).toBeNull();
  });

  it('refuses to start a run for a source name with spaces, naming `source`', async () => {
    expect(await startRunRaw(app, `bad source ${key}`)).toMatchObject({ __typename: 'ValidationError', field: 'source' });
  });

  it('rejects a batch naming a completed run, a run of another source or an unknown run, naming `runId`, and writes nothing', async () => {
    const other = await startRun(app, `other-${key}`);
    const cases = [completedRunId, abandonedRunId, other.id, `run_${key}_missing`];
    for (const [i, runId] of cases.entries()) {
      const r = await sendRaw(app, { source: source(), runId, items: [server('X', `ab-refused-${i}`)] });
      expect(r, runId).toMatchObject({ __typename: 'ValidationError', field: 'runId' });
    }
    const listed = await app.data<{ cis: { totalCount: number } }>(`query ($f: CiFilter) { cis(filter: $f) { totalCount } }`, {
      f: { nameContains: `${key}-ab-refused-` },
    });
    expect(listed.cis.totalCount).toBe(0);
    await abandonRun(app, other.id);
  });

  it('lets only one of two simultaneous completions of the same run succeed', async () => {
    const run = await startRun(app, source());
    await send(app, { source: source(), runId: run.id, items: [server('A', 'ab-a'), server('B', 'ab-b')] });
    const results = await Promise.all([completeRunRaw(app, run.id), completeRunRaw(app, run.id)]);
    const names = results.map((r) => r.__typename).sort();
    expect(names, JSON.stringify(results)).toEqual(['MutationCompleteDiscoveryRunSuccess', 'ValidationError']);
  });
});

describe('sending the same batch twice', () => {
  it('reports everything UNCHANGED the second time, adding no history and keeping updatedAt', async () => {
    const source = `idem-${key}`;
    const batch = (runId: string) => ({
      source,
      runId,
      teams: [{ name: `${key}-idem-team`, slackChannel: '#idem' }],
      items: [
        server('host', 'idem-host', { cpuCount: 4, hostname: `${key}-idem`, domain: 'example.com', ipAddress: '10.0.0.4' }),
        { ref: 'app', className: 'Application', name: `${key}-idem-app`, owner: `${key}-idem-team`, environment: 'PRODUCTION', criticality: 2 },
      ],
      relationships: [{ type: 'RUNS_ON', from: { ref: 'app' }, to: { ref: 'host' } }],
    });
    const run = await startRun(app, source);
    const first = await send(app, batch(run.id));
    expect(first.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    const ids = refs(first);
    const before = await Promise.all([state(ids.host!), state(ids.app!)]);

    const second = await send(app, batch(run.id));
    expect(second.items.map((i) => i.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(second.items.map((i) => i.changedFields)).toEqual([[], []]);
    expect(second.relationships.map((r) => r.status)).toEqual(['UNCHANGED']);
    expect(second.counts).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 0 });

    const after = await Promise.all([state(ids.host!), state(ids.app!)]);
    for (const [i, b] of before.entries()) {
      expect(after[i]!.history, b.name).toEqual(b.history);
      expect(after[i]!.updatedAt, b.name).toBe(b.updatedAt);
      expect(after[i]!.attributes, b.name).toEqual(b.attributes);
    }
    expect((await completeRun(app, run.id)).markedStale).toBe(0);
  });

  it('creates a relationship a batch names twice between two new CIs once, and reports the repeat UNCHANGED', async () => {
    const r = await send(app, {
      source: `twice-${key}`,
      items: [server('tA', 'twice-a'), server('tB', 'twice-b')],
      relationships: [dependsOn({ ref: 'tA' }, { ref: 'tB' }), dependsOn({ ref: 'tA' }, { ref: 'tB' })],
    });
    expect(r.relationships.map((x) => x.status)).toEqual(['CREATED', 'UNCHANGED']);
    const ids = refs(r);
    rel(await state(ids.tA!), 'DEPENDS_ON', ids.tA!, ids.tB!);
  });

  it('records all a batch did to a CI as one history entry: its fields, its owner and its relationships', async () => {
    const source = `one-entry-${key}`;
    const team = `${key}-one-entry-team`;
    const first = await send(app, {
      source,
      teams: [{ name: team }],
      items: [{ ...server('db', 'one-entry-db'), owner: team }, { ...server('web', 'one-entry-web'), owner: team }],
      relationships: [dependsOn({ ref: 'web' }, { ref: 'db' })],
    });
    expect(first.items.map((i) => [i.status, i.changedFields.includes('owner')])).toEqual([['CREATED', true], ['CREATED', true]]);
    const ids = refs(first);
    type Entry = { action: string; source: string; changes: { field: string; before: unknown; after: unknown }[] };
    const historyOf = async (id: string) =>
      (await app.data<{ ci: { history: Entry[] } }>(`query ($id: ID!) { ci(id: $id) { history { action source changes { field before after } } } }`, { id })).ci.history;
    const web = await historyOf(ids.web!);
    expect(web).toHaveLength(1);
    expect(web[0]).toMatchObject({ action: 'create', source });
    expect(web[0]!.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', before: null, after: `${key}-one-entry-web` },
        { field: 'owner', before: null, after: team },
        { field: `DEPENDS_ON->${ids.db}`, before: null, after: 'related' },
      ]),
    );
    const owner = await app.data<{ ci: { owner: { name: string } | null } }>(`query ($id: ID!) { ci(id: $id) { owner { name } } }`, { id: ids.web! });
    expect(owner.ci.owner?.name).toBe(team);

    // A later batch that only relates the existing db to a new CI adds one 'relate' entry to the db.
    const later = await send(app, {
      source,
      items: [{ ...server('db', 'one-entry-db') }, server('disk', 'one-entry-disk')],
      relationships: [dependsOn({ ref: 'db' }, { ref: 'disk' })],
    });
    expect(later.items.map((i) => i.status)).toEqual(['UNCHANGED', 'CREATED']);
    const db = await historyOf(ids.db!);
    expect(db.map((h) => h.action)).toEqual(['relate', 'create']);
    expect(db[0]!.changes).toEqual([{ field: `DEPENDS_ON->${refs(later).disk}`, before: null, after: 'related' }]);
  });
});

describe('re-sending an item after something else changed its CI', () => {
  // A re-sent identical item is answered from what the source last sent (a stamp on the CI); these are the
  // changes that must make Ripple look at the CI again.
  it('assigns an owner whose team appeared since, keeps a manual edit, and restores the owner a person replaced', async () => {
    const source = `resend-${key}`;
    const team = `${key}-resend-team`;
    const other = `${key}-resend-other`;
    const batch = (withTeams: boolean) => ({
      source,
      ...(withTeams ? { teams: [{ name: team }, { name: other }] } : {}),
      items: [{ ...server('h', 'resend', { cpuCount: 4 }), owner: team }],
    });
    const ownerOf = async (id: string) =>
      (await app.data<{ ci: { owner: { name: string } | null } }>(`query ($id: ID!) { ci(id: $id) { owner { name } } }`, { id })).ci.owner?.name ?? null;

    const first = await send(app, batch(false));
    expect(first.items[0]).toMatchObject({ status: 'CREATED', errors: [] });
    // The team does not exist yet: the CI is created without an owner, and the item says why, every time.
    expect(first.items[0]!.warnings).toEqual([{ field: 'owner', reason: expect.stringContaining(`no team is named "${team}"`) }]);
    const id = first.items[0]!.id!;
    expect(await ownerOf(id)).toBeNull();
    expect((await send(app, batch(false))).items[0]).toMatchObject({ id, status: 'UNCHANGED', warnings: [{ field: 'owner' }] });

    const dryTeam = await send(app, { ...batch(true), dryRun: true });
    expect(dryTeam.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['owner'], warnings: [] });
    expect(await ownerOf(id)).toBeNull();
    const withTeam = await send(app, batch(true));
    expect(withTeam.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['owner'], warnings: [] });
    expect(await ownerOf(id)).toBe(team);
    expect((await state(id)).history[0]).toMatchObject({ action: 'setOwner', source });
    expect((await send(app, batch(false))).items[0]).toMatchObject({ id, status: 'UNCHANGED', keptFields: [], changedFields: [] });

    // A person edits cpuCount: manual outranks discovery, so the re-sent value is kept out and said so.
    const upd = await app.data<{ updateCi: { __typename: string } }>(
      `mutation ($i: UpdateCiInput!) { updateCi(input: $i) { __typename } }`,
      { i: { id, attributes: { cpuCount: 16 } } },
    );
    expect(upd.updateCi.__typename).toBe('MutationUpdateCiSuccess');
    const afterEdit = await send(app, batch(false));
    expect(afterEdit.items[0]).toMatchObject({ id, status: 'UNCHANGED', keptFields: ['cpuCount'] });
    expect((await state(id)).attributes.cpuCount).toBe(16);
    expect((await send(app, batch(false))).items[0]).toMatchObject({ id, status: 'UNCHANGED', keptFields: ['cpuCount'] });

    // A person gives the CI to another team; the source still reports its owner, and the next batch says so.
    const teams = await app.data<{ teams: { id: string; name: string }[] }>(`{ teams { id name } }`);
    const otherId = teams.teams.find((t) => t.name === other)!.id;
    await app.data(`mutation ($c: ID!, $t: ID) { setOwner(ciId: $c, teamId: $t) { __typename } }`, { c: id, t: otherId });
    expect(await ownerOf(id)).toBe(other);
    expect((await send(app, batch(false))).items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['owner'] });
    expect(await ownerOf(id)).toBe(team);

    // A changed value from the source itself is an update again.
    const changed = await send(app, { source, items: [{ ...server('h', 'resend', { cpuCount: 4, osVersion: '6.6' }), owner: team }] });
    expect(changed.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['osVersion'] });
  });
});

describe('source precedence', () => {
  it('lets manual overwrite a k8s hostname, and keeps it when k8s reports its old value again', async () => {
    const item = (hostname: string, extra: Record<string, unknown> = {}) => ({
      items: [{ className: 'LinuxServer', name: `${key}-prec-host`, attributes: { serialNumber: `${key}-SN-prec`, hostname, ...extra } }],
    });
    const x = `${key}-x`;
    const y = `${key}-y`;
    const created = await send(app, { source: 'k8s', ...item(x) });
    expect(created.items[0]).toMatchObject({ status: 'CREATED', keptFields: [] });
    const id = created.items[0]!.id!;

    const manual = await send(app, { source: 'manual', ...item(y) });
    expect(manual.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['hostname'], keptFields: [] });
    expect((await state(id)).attributes.hostname).toBe(y);

    const again = await send(app, { source: 'k8s', ...item(x) });
    expect(again.items[0]).toMatchObject({ id, status: 'UNCHANGED', changedFields: [], keptFields: ['hostname'] });
    // k8s still sets what manual does not hold.
    const more = await send(app, { source: 'k8s', ...item(x, { osVersion: '6.1' }) });
    expect(more.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['osVersion'], keptFields: ['hostname'] });

    const s = await state(id);
    expect(s.attributes.hostname).toBe(y);
    expect(s.attributes.osVersion).toBe('6.1');
    expect(s.provenance.find((p) => p.field === 'hostname')?.source).toBe('manual');
    expect(s.provenance.find((p) => p.field === 'osVersion')?.source).toBe('k8s');
    expect(s.sources.sort()).toEqual(['k8s', 'manual']);
  });
});

describe('relationship ends named by identification', () => {
  it('relates to a CI created earlier in the same batch when the end names it by its serial number', async () => {
    const source = `ident-${key}`;
    const p = await send(app, {
      source,
      items: [server('app', 'ident-a'), server('db', 'ident-b')],
      relationships: [dependsOn({ ref: 'app' }, { className: 'LinuxServer', attributes: { serialNumber: `${key}-SN-ident-b` } })],
    });
    expect(p.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    expect(p.relationships[0], JSON.stringify(p.relationships[0])).toMatchObject({ status: 'CREATED', errors: [] });
    const ids = refs(p);
    rel(await state(ids.app!), 'DEPENDS_ON', ids.app!, ids.db!);
  });

  it('relates to a CI that already exists when the end names it by its serial number', async () => {
    const source = `ident-${key}`;
    const p = await send(app, {
      source,
      items: [server('c', 'ident-c')],
      relationships: [dependsOn({ ref: 'c' }, { className: 'LinuxServer', attributes: { serialNumber: `${key}-SN-ident-b` } })],
    });
    expect(p.relationships[0], JSON.stringify(p.relationships[0])).toMatchObject({ status: 'CREATED', errors: [] });
  });
});

describe('a rejected item', () => {
  it('is reported with its index, field and reason while the rest of the batch is committed', async () => {
    const source = `rej-${key}`;
    const run = await startRun(app, source);
    const p = await send(app, {
      source,
      runId: run.id,
      items: [server('ok1', 'rej-ok-1'), server('bad', 'rej-bad', { cpuCount: 0 }), server('ok2', 'rej-ok-2', { ipAddress: '10.1.2.3' })],
      relationships: [dependsOn({ ref: 'ok1' }, { ref: 'ok2' }), dependsOn({ ref: 'ok1' }, { ref: 'bad' })],
    });
    expect(p.items.map((i) => i.status)).toEqual(['CREATED', 'REJECTED', 'CREATED']);
    expect(p.items[1]).toMatchObject({ index: 1, ref: 'bad', id: null });
    expect(p.items[1]!.errors).toEqual([{ field: 'attributes.cpuCount', reason: expect.any(String) }]);
    expect(p.items[1]!.errors[0]!.reason.length).toBeGreaterThan(0);
    expect(p.relationships.map((r) => r.status)).toEqual(['CREATED', 'REJECTED']);
    expect(p.relationships[1]!.errors).toEqual([{ field: 'to', reason: expect.stringContaining('bad') }]);
    expect(p.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 1 });

    const listed = await app.data<{ cis: { nodes: { name: string }[] } }>(`query ($f: CiFilter) { cis(filter: $f) { nodes { name } } }`, {
      f: { nameContains: `${key}-rej-` },
    });
    expect(listed.cis.nodes.map((n) => n.name).sort()).toEqual([`${key}-rej-ok-1`, `${key}-rej-ok-2`]);
    expect((await completeRun(app, run.id)).markedStale).toBe(0);
  });
});

describe('a duplicate conflict', () => {
  it('rejects an item matching two CIs by different rules, names both, merges nothing and lists the conflict in cmdbHealth', async () => {
    const source = `dup-${key}`;
    const serial = `${key}-SN-dup`;
    const hostname = `${key}-duphost`;
    const domain = `${key}.example.com`;
    const made = await send(app, {
      source,
      items: [
        { ref: 'bySerial', className: 'LinuxServer', name: `${key}-dup-by-serial`, attributes: { serialNumber: serial } },
        { ref: 'byHost', className: 'LinuxServer', name: `${key}-dup-by-host`, attributes: { hostname, domain } },
      ],
    });
    expect(made.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    const ids = refs(made);

    // The item matches A by serial number and B by hostname + domain: two existing CIs, so never merged.
    const p = await send(app, {
      source,
      items: [
        { className: 'LinuxServer', name: `${key}-dup-both`, attributes: { serialNumber: serial, hostname, domain, cpuCount: 8 } },
        server('other', 'dup-unrelated'),
      ],
    });
    expect(p.items.map((i) => i.status), JSON.stringify({ items: p.items, ids })).toEqual(['REJECTED', 'CREATED']);
    const err = p.items[0]!.errors;
    expect(err).toHaveLength(1);
    expect(err[0]!.field).toMatch(/^attributes\.(serialNumber|hostname|domain)$/);
    expect(err[0]!.reason).toMatch(/duplicate/i);
    expect(err[0]!.reason).toContain(ids.bySerial);
    expect(err[0]!.reason).toContain(ids.byHost);

    const [a, b] = await Promise.all([state(ids.bySerial!), state(ids.byHost!)]);
    expect(a.attributes).toEqual({ serialNumber: serial });
    expect(b.attributes).toEqual({ hostname, domain });
    const merged = await app.data<{ cis: { totalCount: number } }>(`query ($f: CiFilter) { cis(filter: $f) { totalCount } }`, {
      f: { nameContains: `${key}-dup-both` },
    });
    expect(merged.cis.totalCount).toBe(0);

    const h = await app.data<{ cmdbHealth: { duplicateConflicts: { source: string; ciIds: string[]; key: string; cis: { id: string }[] }[] } }>(
      `{ cmdbHealth { duplicateConflicts { key source ciIds cis { id } } } }`,
    );
    const mine = h.cmdbHealth.duplicateConflicts.filter((d) => d.source === source);
    expect(mine).toHaveLength(1);
    expect([...mine[0]!.ciIds].sort()).toEqual([ids.bySerial!, ids.byHost!].sort());
    expect(mine[0]!.cis.map((c) => c.id).sort()).toEqual([ids.bySerial!, ids.byHost!].sort());
  });
});

describe('CMDB health', () => {
  interface Figure {
    key: string;
    count: number;
    ciIds: string[];
  }
  interface Health {
    staleBySource: Figure[];
    absentRelationshipsBySource: Figure[];
    orphans: Figure;
    unownedServices: Figure;
    totalCis: number;
  }
  const FIG = 'key count ciIds';
  const health = async () =>
    (
      await app.data<{ cmdbHealth: Health }>(
        `{ cmdbHealth { totalCis staleBySource { ${FIG} } absentRelationshipsBySource { ${FIG} } orphans { ${FIG} } unownedServices { ${FIG} } } }`,
      )
    ).cmdbHealth;

  it('counts the CIs a completed run found missing under their source, with their ids', async () => {
    const source = `health-${key}`;
    const run1 = await startRun(app, source);
    const ids = refs(
      await send(app, {
        source,
        runId: run1.id,
        items: [server('X', 'health-x'), server('Y', 'health-y'), server('Z', 'health-z'), server('W', 'health-w')],
        relationships: [dependsOn({ ref: 'X' }, { ref: 'Y' }), dependsOn({ ref: 'X' }, { ref: 'W' })],
      }),
    );
    await completeRun(app, run1.id);
    expect((await health()).staleBySource.find((f) => f.key === source)).toBeUndefined();

    const run2 = await startRun(app, source);
    await send(app, { source, runId: run2.id, items: [server('X', 'health-x'), server('W', 'health-w')], relationships: [dependsOn({ ref: 'X' }, { ref: 'W' })] });
    expect(await completeRun(app, run2.id)).toMatchObject({ markedStale: 2, markedAbsent: 1 });

    const h = await health();
    const stale = h.staleBySource.find((f) => f.key === source);
    expect(stale).toBeDefined();
    expect(stale!.count).toBe(2);
    expect([...stale!.ciIds].sort()).toEqual([ids.Y!, ids.Z!].sort());
    const absent = h.absentRelationshipsBySource.find((f) => f.key === source);
    expect(absent).toBeDefined();
    expect(absent!.count).toBe(1);
    expect(absent!.ciIds).toEqual([ids.X!]);

    // Z has no relationship at all: an orphan (checked in the sample when the sample holds every orphan).
    expect(h.orphans.count).toBeGreaterThanOrEqual(1);
    expect(h.orphans.ciIds).not.toContain(ids.X);
    expect(h.orphans.ciIds).not.toContain(ids.W);
    if (h.orphans.count <= 50) expect(h.orphans.ciIds).toContain(ids.Z);
  });

  it('lists a service without an owner among unowned services, and not one with an owner', async () => {
    const source = `svc-${key}`;
    const p = await send(app, {
      source,
      teams: [{ name: `${key}-svc-team` }],
      items: [
        { ref: 'unowned', className: 'BusinessService', name: `${key}-svc-unowned` },
        { ref: 'owned', className: 'BusinessService', name: `${key}-svc-owned`, owner: `${key}-svc-team` },
      ],
    });
    const ids = refs(p);
    const h = await health();
    expect(h.unownedServices.count).toBeGreaterThanOrEqual(1);
    expect(h.unownedServices.ciIds).not.toContain(ids.owned);
    if (h.unownedServices.count <= 50) expect(h.unownedServices.ciIds).toContain(ids.unowned);
  });
});
