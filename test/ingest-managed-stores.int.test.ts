// Managed data stores as cloud discovery sees them: a cloud SQL database or a hosted Redis known only by its
// endpoint or its provider's resource id, with no host to be identified within; and the host-scoped rule, which
// still decides when a host is sent.
import { describe, expect, it } from 'vitest';
import type { CiOutcome, UpsertPayload } from './helpers/ci-fixtures';
import { ciState, deleteDiscoveryTagged, send } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((started) => {
  app = started;
  key = started.key;
}, deleteDiscoveryTagged);

const n = (s: string) => `${key}-${s}`;

function outcome(p: UpsertPayload, ref: string): CiOutcome {
  const o = p.items.find((i) => i.ref === ref);
  expect(o, ref).toBeDefined();
  return o!;
}

/** The managed estate an AWS script sends: an RDS database, an ElastiCache Redis and the service that uses them. */
function managedEstate(endpoint: string) {
  return {
    source: `aws-${key}`,
    items: [
      { ref: 'db', className: 'Database', name: n('orders-db'), environment: 'PRODUCTION', attributes: { engine: 'postgresql', databaseName: 'orders', endpoint } },
      { ref: 'cache', className: 'Cache', name: n('sessions'), attributes: { engine: 'redis', cloudResourceId: `arn:aws:elasticache:eu-west-1:1:cluster:${key}-sessions` } },
      { ref: 'svc', className: 'Microservice', name: n('orders-api'), attributes: { servicePort: 8080 } },
    ],
    relationships: [
      { from: { ref: 'svc' }, to: { ref: 'db' }, type: 'DEPENDS_ON' },
      { from: { ref: 'svc' }, to: { ref: 'cache' }, type: 'DEPENDS_ON' },
    ],
  };
}

describe('a managed database, cache or queue with no host', () => {
  it('is created once by its endpoint or resource id, and identified again when discovery sends it again', async () => {
    const endpoint = `${key}-orders.abc123.eu-west-1.rds.amazonaws.com:5432`;
    const first = await send(app, managedEstate(endpoint));
    expect(first.items.map((i) => [i.ref, i.status, i.errors])).toEqual([
      ['db', 'CREATED', []],
      ['cache', 'CREATED', []],
      ['svc', 'CREATED', []],
    ]);
    const again = await send(app, managedEstate(endpoint));
    for (const ref of ['db', 'cache', 'svc']) {
      expect(outcome(again, ref).status, ref).toBe('UNCHANGED');
      expect(outcome(again, ref).id, ref).toBe(outcome(first, ref).id);
    }
    expect(again.relationships.map((r) => r.status)).toEqual(['UNCHANGED', 'UNCHANGED']);

    // Another source spells the endpoint in capitals with the DNS root dot: still the same database.
    const other = await send(app, {
      source: `cmdb-${key}`,
      items: [{ ref: 'db', className: 'Database', name: n('orders-db'), attributes: { databaseName: 'orders', endpoint: `${endpoint.split(':')[0]!.toUpperCase()}.:5432`, version: '16.2' } }],
    });
    expect(outcome(other, 'db')).toMatchObject({ status: 'UPDATED', id: outcome(first, 'db').id, changedFields: ['version'] });
  });

  it('names a relationship end by its endpoint, so a service found elsewhere can depend on it', async () => {
    const endpoint = `${key}-ledger.internal:3306`;
    const db = await send(app, { source: `aws-${key}`, items: [{ ref: 'db', className: 'Database', name: n('ledger-db'), attributes: { databaseName: 'ledger', endpoint } }] });
    const k8s = await send(app, {
      source: `k8s-${key}`,
      items: [{ ref: 'svc', className: 'Microservice', name: n('ledger-api') }],
      relationships: [{ from: { ref: 'svc' }, to: { className: 'Database', attributes: { databaseName: 'ledger', endpoint } }, type: 'DEPENDS_ON' }],
    });
    expect(k8s.relationships.map((r) => [r.status, r.toId])).toEqual([['CREATED', outcome(db, 'db').id]]);
  });

  it('keeps two databases behind one endpoint apart by their names', async () => {
    const endpoint = `${key}-shared.internal:5432`;
    const p = await send(app, {
      source: `aws-${key}`,
      items: ['billing', 'invoices'].map((d) => ({ ref: d, className: 'Database', name: n(`${d}-db`), attributes: { databaseName: d, endpoint } })),
    });
    expect(p.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    expect(outcome(p, 'billing').id).not.toBe(outcome(p, 'invoices').id);
  });

  it('is refused, naming the parent and the identifications it could send, when it carries neither a host nor an endpoint', async () => {
    const p = await send(app, { source: `aws-${key}`, items: [{ ref: 'db', className: 'Database', name: n('lost-db'), attributes: { databaseName: 'lost' } }] });
    expect(outcome(p, 'db').status).toBe('REJECTED');
    expect(outcome(p, 'db').errors).toEqual([{ field: 'parent', reason: expect.stringMatching(/RUNS_ON relationship .* or identify it without one by endpoint \+ databaseName or cloudResourceId/) }]);
  });

  it('refuses an endpoint a client could not connect to, naming the attribute', async () => {
    const p = await send(app, { source: `aws-${key}`, items: [{ ref: 'q', className: 'MessageQueue', name: n('events'), attributes: { engine: 'kafka', endpoint: 'broker.internal' } }] });
    expect(outcome(p, 'q')).toMatchObject({ status: 'REJECTED', errors: [{ field: 'attributes.endpoint', reason: expect.stringMatching(/host:port/) }] });
  });
});

describe('a database sent with its host', () => {
  function onHost(host: string, extra: Record<string, unknown> = {}) {
    return {
      source: `agent-${key}`,
      items: [
        { ref: 'host', className: 'LinuxServer', name: n(host), attributes: { hostname: n(host), domain: 'db.example.com' } },
        { ref: 'db', className: 'Database', name: n(`orders-on-${host}`), attributes: { databaseName: 'orders', engine: 'postgresql', ...extra } },
      ],
      relationships: [{ from: { ref: 'db' }, to: { ref: 'host' }, type: 'RUNS_ON' }],
    };
  }

  it('is still identified within that host: one name on two hosts is two databases, each found again on re-send', async () => {
    const a = await send(app, onHost('pg-a'));
    const b = await send(app, onHost('pg-b'));
    expect([outcome(a, 'db').status, outcome(b, 'db').status]).toEqual(['CREATED', 'CREATED']);
    expect(outcome(a, 'db').id).not.toBe(outcome(b, 'db').id);
    const again = await send(app, onHost('pg-a'));
    expect(outcome(again, 'db')).toMatchObject({ status: 'UNCHANGED', id: outcome(a, 'db').id });
  });

  it('found first on its host with its endpoint, is the same CI when cloud discovery later knows only the endpoint', async () => {
    const endpoint = `${key}-pg-c.internal:5432`;
    const agent = await send(app, onHost('pg-c', { endpoint }));
    const cloud = await send(app, {
      source: `aws-${key}`,
      items: [{ ref: 'db', className: 'Database', name: n('orders-on-pg-c'), attributes: { databaseName: 'orders', endpoint, version: '15.4' } }],
    });
    expect(outcome(cloud, 'db')).toMatchObject({ status: 'UPDATED', id: outcome(agent, 'db').id });
    const state = await ciState(app, outcome(agent, 'db').id!);
    expect(state!.relationships.filter((r) => r.type === 'RUNS_ON').map((r) => r.to.id)).toEqual([outcome(agent, 'host').id]);
  });
});
