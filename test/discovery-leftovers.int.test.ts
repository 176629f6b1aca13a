// Two loose ends of discovery runs: a CI whose item the source sent but Ripple rejected is still reported by that
// source (so it does not go stale), and the per-source `seen_*` properties databases from before Sightings carry
// are removed by migration 013 instead of showing among a CI's attributes.
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../server/neo4j/migrate';
import { ciState, completeRun, deleteDiscoveryTagged, refs, send, startRun, type CiState } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((a) => ((app = a), (key = a.key)), deleteDiscoveryTagged);

const team = () => ({ name: `payments-${key}`, email: `payments-${key}@example.com` });

/** What a discovery source sees of a small estate: a service, a host, a database on it and one in the cloud. */
function estate(overrides: Record<string, Record<string, unknown>> = {}) {
  const owner = team().name;
  const item = (ref: string, className: string, name: string, attributes: Record<string, unknown>) => ({
    ref,
    className,
    name: `${key}-${name}`,
    owner,
    attributes: { ...attributes, ...overrides[ref] },
  });
  return {
    teams: [team()],
    items: [
      item('svc', 'Microservice', 'checkout', { servicePort: 8080 }),
      item('host', 'LinuxServer', 'db-host', { serialNumber: `${key}-SN-host` }),
      item('orders', 'Database', 'orders', { databaseName: `${key}-orders`, engine: 'postgresql' }),
      item('ledger', 'Database', 'ledger', { databaseName: `${key}-ledger`, endpoint: `ledger-${key}.example.com:5432`, engine: 'postgresql' }),
      item('cache', 'LinuxServer', 'cache-host', { serialNumber: `${key}-SN-cache` }),
    ],
    relationships: [
      { type: 'RUNS_ON', from: { ref: 'orders' }, to: { ref: 'host' } },
      { type: 'DEPENDS_ON', from: { ref: 'svc' }, to: { ref: 'orders' } },
      { type: 'DEPENDS_ON', from: { ref: 'svc' }, to: { ref: 'ledger' } },
    ],
  };
}

async function state(id: string): Promise<CiState> {
  const s = await ciState(app, id);
  expect(s, `CI ${id} should exist`).not.toBeNull();
  return s!;
}

describe('an item its source sent but Ripple rejected', () => {
  it('keeps its CI fresh when the run completes, with its stored values, while a CI the run did not report goes stale', async () => {
    const source = `k8s-${key}`;
    const first = await startRun(app, source);
    const ids = refs(await send(app, { source, runId: first.id, ...estate() }));
    await completeRun(app, first.id);

    // The second pass: the service, the scoped database and the cloud database each carry a value the class
    // model refuses; the cache host is not reported at all.
    const run = await startRun(app, source);
    const bad = { svc: { servicePort: 70000 }, orders: { engine: 'db2' }, ledger: { engine: 'db2' } };
    const second = estate(bad);
    const out = await send(app, { source, runId: run.id, ...second, items: second.items.filter((i) => i.ref !== 'cache') });
    const status = Object.fromEntries(out.items.map((i) => [i.ref, i.status]));
    expect(status).toEqual({ svc: 'REJECTED', host: 'UNCHANGED', orders: 'REJECTED', ledger: 'REJECTED' });
    const done = await completeRun(app, run.id);

    for (const ref of ['svc', 'orders', 'ledger', 'host']) expect((await state(ids[ref]!)).stale, `${ref} is still reported`).toBe(false);
    expect((await state(ids.cache!)).stale, 'the cache host was not reported').toBe(true);
    expect(done.markedStale).toBe(1);
    expect((await state(ids.svc!)).attributes.servicePort).toBe(8080);
  });
});

describe('migration 013', () => {
  it('removes the seen_* properties a database from before Sightings kept on CIs and relationships, and nothing else', async () => {
    const source = `backstage-${key}`;
    const ids = refs(await send(app, { source, ...estate() }));
    const legacy = `seen_${source.replace(/-/g, '_')}_0a1b2c3d`;
    await app.db.write(async (tx) => {
      await tx.run('MATCH (n:CI) WHERE n.id IN $ids SET n[$k] = datetime()', { ids: Object.values(ids), k: legacy });
      await tx.run('MATCH (:CI {id: $from})-[r:DEPENDS_ON]->(:CI {id: $to}) SET r[$k] = datetime()', { from: ids.svc, to: ids.orders, k: legacy });
    });
    expect(Object.keys((await state(ids.svc!)).attributes), 'the leftover reads as an attribute before the migration').toContain(legacy);

    const m013 = (await readMigrations()).find((m) => m.id.startsWith('013-'))!;
    const id = `${m013.id}-again-${key}`;
    try {
      expect((await migrate(app.db, [{ ...m013, id }])).applied).toEqual([id]);
    } finally {
      await app.db.write((tx) => tx.run('MATCH (m:RippleMigration {id: $id}) DELETE m', { id }));
    }

    for (const ref of ['svc', 'host', 'orders', 'ledger', 'cache']) expect(Object.keys((await state(ids[ref]!)).attributes), ref).not.toContain(legacy);
    expect((await state(ids.svc!)).attributes.servicePort).toBe(8080);
    const relKeys = await app.db.read(async (tx) => {
      const r = await tx.run('MATCH (:CI {id: $from})-[r:DEPENDS_ON]->(:CI {id: $to}) RETURN keys(r) AS k', { from: ids.svc, to: ids.orders });
      return r.records[0]!.get('k') as string[];
    });
    expect(relKeys).not.toContain(legacy);
    expect(relKeys).toContain('sources');
  });
});
