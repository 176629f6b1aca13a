// The estate audit trail over HTTP: a person's update with before/after and actor, found by each filter;
// unchanged re-sends record nothing; a discovery run's stale and absent marks, and their return, as entries
// with relationships named; newest first with a cursor; bad filters rejected naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeRun, deleteDiscoveryTagged, refs, send, startRun } from './helpers/discovery-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

interface Entry {
  id: string;
  at: string;
  actor: string;
  source: string;
  action: string;
  subject: { id: string; name: string; kind: string; className: string | null };
  changes: { field: string; before: unknown; after: unknown; relationship: { type: string; targetId: string; targetName: string | null } | null }[];
}
interface Page {
  entries: Entry[];
  nextCursor: string | null;
}
const ENTRY = 'id at actor source action subject { id name kind className } changes { field before after relationship { type targetId targetName } }';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;
const source = () => n('k8s');

async function trail(filter: Record<string, unknown>, first = 50, after?: string): Promise<Page> {
  return (
    await app.data<{ auditTrail: Page }>(`query ($f: AuditFilter, $first: Int, $after: String) { auditTrail(filter: $f, first: $first, after: $after) { entries { ${ENTRY} } nextCursor } }`, {
      f: filter,
      first,
      after,
    })
  ).auditTrail;
}

const items = () => [
  { ref: 'api', className: 'Microservice', name: n('orders-api'), criticality: 2, owner: n('orders-team') },
  { ref: 'db', className: 'Database', name: n('orders-db'), owner: n('dba-team'), attributes: { databaseName: 'orders', engine: 'postgresql' } },
  { ref: 'vm', className: 'VirtualMachine', name: n('orders-db-vm'), owner: n('dba-team'), attributes: { vmUuid: n('vm') } },
  { ref: 'cache', className: 'Microservice', name: n('pricing-api'), owner: n('orders-team') },
];
const rels = (withCache: boolean) => [
  { type: 'DEPENDS_ON', from: { ref: 'api' }, to: { ref: 'db' } },
  { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'vm' } },
  ...(withCache ? [{ type: 'DEPENDS_ON', from: { ref: 'api' }, to: { ref: 'cache' } }] : []),
];
const batch = (withCache: boolean, runId?: string) => ({
  source: source(),
  ...(runId ? { runId } : {}),
  teams: [{ name: n('orders-team') }, { name: n('dba-team') }],
  items: withCache ? items() : items().filter((i) => i.ref !== 'cache'),
  relationships: rels(withCache),
});

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const run = await startRun(app, source());
  id = refs(await send(app, batch(true, run.id)));
  await completeRun(app, run.id);
});

afterAll(async () => {
  if (!app) return;
  await deleteDiscoveryTagged(app);
  await app.close();
});

describe('a person updates a CI', () => {
  let before: string;
  let after: string;
  beforeAll(async () => {
    before = new Date().toISOString();
    const r = await app.gql<{ updateCi: { __typename: string } }>(
      'mutation ($i: UpdateCiInput!) { updateCi(input: $i) { __typename } }',
      { i: { id: id.api, criticality: 1, description: 'checkout path' } },
      await app.headersAs('alice'),
    );
    expect(r.data?.updateCi.__typename, JSON.stringify(r)).toBe('MutationUpdateCiSuccess');
    after = new Date(Date.now() + 1000).toISOString();
  });

  it('shows the update newest first with its actor and the before/after of each field', async () => {
    const e = (await trail({ ciId: id.api }, 1)).entries[0]!;
    expect(e).toMatchObject({ actor: 'alice', action: 'UPDATE', subject: { id: id.api, name: n('orders-api'), kind: 'CI', className: 'Microservice' } });
    expect(e.changes).toContainEqual({ field: 'criticality', before: 2, after: 1, relationship: null });
    expect(e.changes).toContainEqual({ field: 'description', before: null, after: 'checkout path', relationship: null });
  });

  it('is found by actor, class, time range and kind of change, and left out when a filter does not match', async () => {
    const found = async (f: Record<string, unknown>) => (await trail({ ciId: id.api, ...f })).entries.some((e) => e.actor === 'alice' && e.action === 'UPDATE');
    expect(await found({ actor: 'alice' })).toBe(true);
    expect(await found({ className: 'Application' })).toBe(true);
    expect(await found({ from: before, to: after })).toBe(true);
    expect(await found({ actions: ['UPDATE'] })).toBe(true);
    expect(await found({ actor: 'bob' })).toBe(false);
    expect(await found({ className: 'Database' })).toBe(false);
    expect(await found({ to: before })).toBe(false);
    expect(await found({ actions: ['RETIRE', 'RELATE'] })).toBe(false);
    // Without a CI filter, across the estate.
    const estate = await trail({ actor: 'alice', from: before, to: after });
    expect(estate.entries.map((e) => e.subject.id)).toContain(id.api);
    expect(estate.entries.every((e) => e.actor === 'alice')).toBe(true);
  });
});

describe('discovery', () => {
  it('records a created relationship by type and target name, under its source', async () => {
    const created = (await trail({ ciId: id.api, source: source(), actions: ['CREATE'] })).entries[0]!;
    const rel = created.changes.find((c) => c.relationship?.targetId === id.cache);
    expect(rel).toMatchObject({ before: null, after: 'related', relationship: { type: 'DEPENDS_ON', targetName: n('pricing-api') } });
  });

  it('records nothing for a re-send that changes nothing', async () => {
    const count = async () => (await trail({ source: source(), from: new Date(Date.now() - 3600_000).toISOString() }, 200)).entries.length;
    const before = await count();
    const again = await send(app, batch(true));
    expect(again.items.every((i) => i.status === 'UNCHANGED')).toBe(true);
    expect(await count()).toBe(before);
  });

  it("records a microservice going stale and the relationship to it going absent when a run stops reporting them, then their return", async () => {
    const run = await startRun(app, source());
    await send(app, batch(false, run.id));
    await completeRun(app, run.id);
    const stale = (await trail({ ciId: id.cache, actions: ['STALE'] })).entries[0]!;
    expect(stale).toMatchObject({ source: source(), changes: [{ field: 'stale', before: false, after: true }] });
    const absent = (await trail({ ciId: id.api, actions: ['ABSENT'] })).entries[0]!;
    expect(absent.changes).toEqual([{ field: `DEPENDS_ON->${id.cache}`, before: 'related', after: 'absent', relationship: { type: 'DEPENDS_ON', targetId: id.cache, targetName: n('pricing-api') } }]);

    const back = await startRun(app, source());
    await send(app, batch(true, back.id));
    await completeRun(app, back.id);
    expect((await trail({ ciId: id.cache, actions: ['FRESH'] })).entries).toHaveLength(1);
    expect((await trail({ ciId: id.api, actions: ['PRESENT'] })).entries[0]!.changes[0]).toMatchObject({ before: 'absent', after: 'related' });
  });
});

describe('paging', () => {
  it('walks the trail newest first, one entry a page, without repeats, to the end', async () => {
    const all = (await trail({ source: source() }, 200)).entries;
    expect(all.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await trail({ source: source() }, 1, cursor);
      seen.push(...page.entries.map((e) => e.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('rejects a forged cursor, an unknown class and an oversized page, naming the argument', async () => {
    const fieldOf = async (args: string) => (await app.gql(`{ auditTrail(${args}) { nextCursor } }`)).errors?.[0]?.extensions?.field;
    expect(await fieldOf('after: "bm90LWEtY3Vyc29y"')).toBe('after');
    expect(await fieldOf('filter: { className: "Spaceship" }')).toBe('className');
    expect(await fieldOf('first: 100000')).toBe('first');
  });
});
