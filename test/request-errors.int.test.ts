// Errors that point at the mistake: what a caller sees when a request is malformed, too deep, of the wrong
// media type or not identifiable, asserted on the HTTP status and the message a person reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsert } from './helpers/ci-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

type Body = { errors?: { message: string; locations?: { line: number; column: number }[]; extensions?: Record<string, unknown> }[]; data?: unknown };

let prod: TestRipple;
let dev: TestRipple;
beforeAll(async () => {
  prod = await startTestRipple({ NODE_ENV: 'production', RIPPLE_MAX_QUERY_DEPTH: '4' });
  dev = await startTestRipple({ NODE_ENV: 'development' });
});
afterAll(async () => {
  await prod?.close();
  await dev?.close();
});

async function post(app: TestRipple, body: BodyInit, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; text: string }> {
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { accept: 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Body) : {}, text };
}

const json = { 'content-type': 'application/json' };

describe('a malformed query', () => {
  it('is answered with the line and column of the syntax error', async () => {
    const query = '{\n  system { rippleVersion }\n  cis(first: ) { totalCount }\n}';
    const r = await post(prod, JSON.stringify({ query }), json);
    expect(r.body.errors?.[0]?.message).toBe('Syntax Error: Unexpected ")".');
    expect(r.body.errors?.[0]?.locations).toEqual([{ line: 3, column: 14 }]);
  });

  it('nested too deep is refused at the first field past the limit, naming the limit, not as a syntax error', async () => {
    const query = '{\n  cis(first: 1) {\n    nodes {\n      owner {\n        owns { totalCount }\n      }\n    }\n  }\n}';
    const r = await post(prod, JSON.stringify({ query }), json);
    const e = r.body.errors?.[0];
    expect(e?.message).not.toMatch(/Syntax Error/);
    expect(e?.message).toMatch(/"totalCount" deeper than the limit of 4 levels \(RIPPLE_MAX_QUERY_DEPTH\)/);
    expect(e?.locations).toEqual([{ line: 5, column: 16 }]);
    expect(r.body.data).toBeUndefined();
  });
});

describe('a body Ripple cannot read', () => {
  it('without a content type gets 415 saying which content types are accepted', async () => {
    const r = await post(prod, new TextEncoder().encode(JSON.stringify({ query: '{ system { rippleVersion } }' })));
    expect(r.status).toBe(415);
    expect(r.body.errors?.[0]?.message).toMatch(/no content type.*send Content-Type: application\/json/);
  });

  it('sent as text/plain gets 415 naming what was sent and what to send', async () => {
    const r = await post(prod, JSON.stringify({ query: '{ system { rippleVersion } }' }), { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.body.errors?.[0]?.message).toMatch(/"text\/plain".*application\/json/);
    expect(r.body.errors?.[0]?.extensions?.accepted).toContain('application/json');
  });

  it('that is a JSON array is told to send one JSON object, not that batching was asked for', async () => {
    const r = await post(prod, JSON.stringify([{ query: '{ system { rippleVersion } }' }]), json);
    expect(r.status).toBe(400);
    const message = r.body.errors?.[0]?.message ?? '';
    expect(message).toMatch(/is a JSON array/);
    expect(message).toMatch(/\{"query": "\.\.\.", "variables": \{\.\.\.\}\}/);
  });

  it('that is not JSON names the line and column, once, without the parser internals in production', async () => {
    const body = '{"query": "{ system { rippleVersion } }",\n  "variables": {,}}';
    const r = await post(prod, body, json);
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors?.[0]?.message).toMatch(/^the request body is not valid JSON at line 2, column 17: send one operation as a JSON object/);
    expect(r.text).not.toMatch(/position|SyntaxError|originalError|parserMessage|rippleVersion/);
  });

  it('that is not JSON keeps the parser message beside the answer outside production', async () => {
    const r = await post(dev, '{"query": ', json);
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.message).toMatch(/^the request body is not valid JSON/);
    expect(r.body.errors?.[0]?.extensions?.parserMessage).toEqual(expect.any(String));
  });
});

describe('an item that cannot be identified', () => {
  it('a LinuxServer with a hostname but no domain is rejected naming attributes.domain, and nothing is written', async () => {
    const r = await upsert(dev, {
      source: dev.key,
      items: [{ className: 'LinuxServer', name: `${dev.key}-web-01`, attributes: { hostname: `${dev.key}-web-01` } }],
    });
    expect(r.counts.rejected).toBe(1);
    const [error] = r.items[0]!.errors;
    expect(error!.field).toBe('attributes.domain');
    expect(error!.reason).toMatch(/hostname identifies a LinuxServer only with domain/);
    const found = await dev.data<{ cis: { totalCount: number } }>(`{ cis(filter: { nameContains: "${dev.key}" }) { totalCount } }`);
    expect(found.cis.totalCount).toBe(0);
  });
});
