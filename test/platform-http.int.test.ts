// The HTTP surface on one port: GraphQL with GraphiQL, health endpoints, and the limits that keep it serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
beforeAll(async () => {
  app = await startTestRipple({ RIPPLE_MAX_BODY_BYTES: '64k', RIPPLE_MAX_QUERY_DEPTH: '6' });
});
afterAll(async () => {
  await app.close();
});

describe('HTTP surface', () => {
  it('answers GraphQL with the Neo4j it talks to', async () => {
    const r = await app.gql<{ system: { neo4jEdition: string } }>('{ system { neo4jEdition rippleVersion } }');
    expect(r.data?.system.neo4jEdition).toBe('community');
  });

  it('offers GraphiQL to a browser at /graphql', async () => {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('GraphiQL');
  });

  it('reports liveness and readiness including Neo4j', async () => {
    expect(await (await fetch(`${app.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${app.url}/readyz`)).json()).toEqual({ status: 'ready', neo4j: 'ok' });
  });

  it('refuses an oversized body with 413 and a reason, and keeps serving', async () => {
    const res = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ system { neo4jEdition } }', variables: { pad: 'x'.repeat(70_000) } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0]!.message).toMatch(/RIPPLE_MAX_BODY_BYTES/);
    const again = await app.gql('{ system { neo4jEdition } }');
    expect(again.errors).toBeUndefined();
  });

  it('rejects a query nested deeper than the limit, naming the limit', async () => {
    const deep = '{ cis(first: 1) { nodes { relationships { from { relationships { from { relationships { from { name } } } } } } } } }';
    const r = await app.gql(deep);
    expect(r.errors?.[0]?.message).toMatch(/depth/i);
    expect(r.data).toBeUndefined();
  });

  it('names the field when a query asks for one that does not exist', async () => {
    const r = await app.gql('{ system { nope } }');
    expect(r.errors?.[0]?.message).toMatch(/Cannot query field "nope" on type "SystemInfo"/);
  });
});
