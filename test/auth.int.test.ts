// Identity and roles over HTTP, with authentication on: API tokens (created, listed, revoked and expired through
// the API), OIDC bearer JWTs from a test issuer whose JWKS this file serves (keys made with jose), the role matrix
// with FORBIDDEN naming the missing role, discovery tokens bound to their sources, separation of duties on change
// approval whatever the caller sends, CORS, security headers, introspection and /metrics, and the refusal to
// serve other machines without authentication.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRipple } from '../server/app';
import { loadConfig } from '../server/config/config';
import { ROLES, type Role } from '../server/domain/auth/roles';
import { createLogger } from '../server/log';
import { deleteTagged, idsByRef } from './helpers/ci-fixtures';
import { deleteItsmTagged, windows } from './helpers/impact-fixtures';
import { startTestRipple, type GqlResult, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let issuer: Server;
let issuerUrl: string;
let signingKey: CryptoKey;
let otherKey: CryptoKey;
const AUDIENCE = 'ripple-api';
const n = (s: string) => `${app.key}-${s}`;

async function startIssuer(): Promise<void> {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  issuer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: issuerUrl, jwks_uri: `${issuerUrl}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => issuer.listen(0, '127.0.0.1', resolve));
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
}

function jwt(claims: Record<string, unknown>, opts: { audience?: string; key?: CryptoKey; expiresIn?: string | number } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(issuerUrl)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(opts.key ?? signingKey);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const codes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code);

beforeAll(async () => {
  await startIssuer();
  app = await startTestRipple({
    RIPPLE_AUTH: 'on',
    RIPPLE_OIDC_ISSUER: issuerUrl,
    RIPPLE_OIDC_AUDIENCE: AUDIENCE,
    RIPPLE_OIDC_ROLES_CLAIM: 'groups',
    RIPPLE_OIDC_ROLE_MAP: 'ripple-ops=incident-responder,ripple-cab=change-manager+viewer',
    RIPPLE_OIDC_SUBJECT_CLAIM: 'preferred_username',
    RIPPLE_CORS_ORIGINS: 'https://cmdb.example.com',
  });
});

afterAll(async () => {
  if (app) {
    await deleteItsmTagged(app);
    await deleteTagged(app);
    await app.db.write((tx) => tx.run('MATCH (t:ApiToken) WHERE t.name STARTS WITH $key DETACH DELETE t', { key: app.key }));
    await app.close();
  }
  await new Promise((resolve) => issuer?.close(resolve));
});

describe('the role matrix', () => {
  // One operation per duty; each is harmless when allowed (a dry run, an unknown id, an invalid class).
  const OPS: { name: string; allowed: Role[]; query: () => string }[] = [
    { name: 'read CIs', allowed: [...ROLES], query: () => '{ cis(first: 1) { nodes { id } } }' },
    { name: 'what-if', allowed: ['incident-responder', 'change-manager'], query: () => '{ whatIf(ciIds: []) { impacted { id } } }' },
    { name: 'edit a CI', allowed: ['editor'], query: () => 'mutation { createCi(input: { className: "NoSuchClass", name: "x" }) { __typename } }' },
    { name: 'upsert a batch', allowed: ['discovery'], query: () => `mutation { upsertCis(input: { source: "${n('src')}", dryRun: true, items: [] }) { __typename } }` },
    { name: 'handle an incident', allowed: ['incident-responder'], query: () => 'mutation { resolveIncident(id: "inc_none") { __typename } }' },
    { name: 'request a change', allowed: ['editor', 'change-manager'], query: () => 'mutation { submitChange(id: "chg_none") { __typename } }' },
    { name: 'approve a change', allowed: ['change-manager'], query: () => 'mutation { approveChange(id: "chg_none") { __typename } }' },
    { name: 'schedule a change', allowed: ['change-manager'], query: () => 'mutation { scheduleChange(id: "chg_none") { __typename } }' },
    { name: 'list API tokens', allowed: ['admin'], query: () => '{ apiTokens { id } }' },
    { name: 'create a team', allowed: ['admin'], query: () => 'mutation { createTeam(name: "") { __typename } }' },
  ];

  for (const role of ROLES) {
    it(`lets ${role} do its duties and refuses the rest with FORBIDDEN naming the role`, async () => {
      const headers = await app.headersAs(`${role}-only`, [role], [n('src')]);
      for (const op of OPS) {
        const r = await app.gql(op.query(), {}, headers);
        if (op.allowed.includes(role)) {
          // Past the role check the resolver may still refuse the (deliberately empty) input, never the caller.
          expect(codes(r), `${role} ${op.name}`).not.toContain('FORBIDDEN');
          expect(codes(r), `${role} ${op.name}`).not.toContain('UNAUTHENTICATED');
        } else {
          expect(codes(r), `${role} ${op.name}`).toEqual(['FORBIDDEN']);
          expect(r.errors![0]!.message).toContain(`needs role ${op.allowed.join(' or ')}`);
          expect(r.errors![0]!.extensions?.missingRoles).toEqual(op.allowed);
        }
      }
    });
  }

  it('refuses every field to a request without credentials (UNAUTHENTICATED, HTTP 401) except me', async () => {
    const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ cis(first: 1) { nodes { id } } }' }) });
    const body = (await res.json()) as GqlResult;
    expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect((await app.gql<{ me: null }>('{ me { subject } }')).data).toEqual({ me: null });
  });
});

describe('API tokens', () => {
  it('shows a token once, lists it without its text, and stops it on the next request after revocation', async () => {
    const admin = await app.headersAs('tok-admin', ['admin']);
    const created = await app.gql<{ createApiToken: { data: { token: string; apiToken: { id: string; subject: string; roles: string[] } } } }>(
      `mutation ($i: CreateApiTokenInput!) { createApiToken(input: $i) { ... on MutationCreateApiTokenSuccess { data { token apiToken { id subject roles } } } } }`,
      { i: { name: n('reader'), roles: ['VIEWER'], expiresInDays: 30 } },
      admin,
    );
    const { token, apiToken } = created.data!.createApiToken.data;
    expect(apiToken).toMatchObject({ subject: n('reader'), roles: ['VIEWER'] });
    expect((await app.gql<{ me: { subject: string } }>('{ me { subject } }', {}, bearer(token))).data!.me.subject).toBe(n('reader'));

    const listed = await app.gql<{ apiTokens: Record<string, unknown>[] }>('{ apiTokens { id name lastUsedAt revokedAt } }', {}, admin);
    const mine = listed.data!.apiTokens.find((t) => t.id === apiToken.id)!;
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(token);
    const stored = await app.db.read((tx) => tx.run('MATCH (t:ApiToken {id: $id}) RETURN properties(t) AS p', { id: apiToken.id }));
    expect(JSON.stringify(stored.records[0]!.get('p'))).not.toContain(token.slice('rpl_'.length + 17));

    await app.gql(`mutation { revokeApiToken(id: "${apiToken.id}") { __typename } }`, {}, admin);
    const after = await app.gql('{ me { subject } cis(first: 1) { nodes { id } } }', {}, bearer(token));
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
    expect(after.errors![0]!.message).toContain('revoked');
  });

  it('stops an expired token on its next request', async () => {
    const headers = await app.headersAs('soon-expired', ['viewer']);
    expect(codes(await app.gql('{ cis(first: 1) { nodes { id } } }', {}, headers))).toEqual([]);
    await app.db.write((tx) => tx.run("MATCH (t:ApiToken {name: $name}) SET t.expiresAt = datetime() - duration('PT1S')", { name: `${app.key}-soon-expired` }));
    const r = await app.gql('{ cis(first: 1) { nodes { id } } }', {}, headers);
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.errors![0]!.message).toContain('expired');
  });

  it('refuses a discovery token writing a source it does not name, and writes nothing', async () => {
    const k8s = await app.headersAs('k8s-discovery', ['discovery'], [n('k8s')]);
    const item = { className: 'LinuxServer', name: n('intruder'), attributes: { hostname: n('intruder'), domain: 'example.test' } };
    const other = await app.gql(`mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { __typename } }`, { i: { source: n('backstage'), items: [item] } }, k8s);
    expect(codes(other)).toEqual(['FORBIDDEN']);
    expect(other.errors![0]!.message).toContain(`needs role discovery for source "${n('backstage')}"`);
    const run = await app.gql(`mutation { startDiscoveryRun(source: "${n('backstage')}") { __typename } }`, {}, k8s);
    expect(codes(run)).toEqual(['FORBIDDEN']);
    const found = await app.db.read((tx) => tx.run('MATCH (c:CI {name: $name}) RETURN count(c) AS n', { name: n('intruder') }));
    expect(Number(found.records[0]!.get('n'))).toBe(0);

    const own = await app.gql<{ upsertCis: { data: { items: { status: string }[] } } }>(
      `mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { ... on MutationUpsertCisSuccess { data { items { status } } } } }`,
      { i: { source: n('k8s'), items: [item] } },
      k8s,
    );
    expect(own.data?.upsertCis.data.items).toEqual([{ status: 'CREATED' }]);
  });
});

describe('separation of duties', () => {
  it('never lets the requester approve their own change, whatever headers or letter case they send', async () => {
    const week = windows();
    const discovery = await app.headersAs('seeder', ['discovery'], [n('estate')]);
    const ids = idsByRef(
      await (async () => {
        const r = await app.gql<{ upsertCis: { data: Parameters<typeof idsByRef>[0] } }>(
          `mutation ($i: UpsertCisInput!) { upsertCis(input: $i) { ... on MutationUpsertCisSuccess { data { dryRun items { index ref id status changedFields keptFields errors { field reason } warnings { field reason } } relationships { index status fromId toId errors { field reason } } } } } }`,
          { i: { source: n('estate'), items: [{ ref: 'db', className: 'LinuxServer', name: n('orders-db'), attributes: { hostname: n('orders-db'), domain: 'example.test' } }] } },
          discovery,
        );
        return r.data!.upsertCis.data;
      })(),
    );
    const alice = await app.headersAs('alice', ['editor', 'change-manager']);
    const bob = await app.headersAs('bob', ['change-manager']);
    const created = await app.gql<{ createChange: { data: { id: string } } }>(
      `mutation ($i: CreateChangeInput!) { createChange(input: $i) { ... on MutationCreateChangeSuccess { data { id } } } }`,
      { i: { title: n('patch db'), type: 'NORMAL', targetIds: [ids.db], ...week(0) } },
      alice,
    );
    const id = created.data!.createChange.data.id;
    await app.gql(`mutation { submitChange(id: "${id}") { __typename } }`, {}, alice);

    const approve = (headers: Record<string, string>) =>
      app.gql<{ approveChange: { __typename: string; code?: string } }>(`mutation { approveChange(id: "${id}") { __typename ... on Error { code } } }`, {}, headers);
    const forgeries: Record<string, string>[] = [{ 'x-ripple-actor': 'bob' }, { 'x-ripple-actor': 'Alice' }, { 'X-Ripple-Actor': 'ripple-seed' }];
    for (const forged of forgeries) {
      const r = await approve({ ...forged, ...alice });
      expect(r.data?.approveChange, JSON.stringify(forged)).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    }
    const shouted = await approve({ AUTHORIZATION: alice.authorization!.replace('Bearer', 'BEARER') });
    expect(shouted.data?.approveChange.__typename).toBe('ConflictError');
    expect(codes(await approve({ 'x-ripple-actor': 'bob' }))).toEqual(['UNAUTHENTICATED']);

    const ok = await app.gql<{ approveChange: { data: { status: string; approvedBy: string; requestedBy: string } } }>(
      `mutation { approveChange(id: "${id}") { ... on MutationApproveChangeSuccess { data { status approvedBy requestedBy } } } }`,
      {},
      bob,
    );
    expect(ok.data!.approveChange.data).toEqual({ status: 'APPROVED', approvedBy: 'bob', requestedBy: 'alice' });
  });
});

describe('OIDC bearer tokens', () => {
  it('accepts a token from the issuer, with roles mapped from its groups claim', async () => {
    const token = await jwt({ sub: 'u-123', preferred_username: 'carol', groups: ['ripple-ops', 'unrelated'] });
    const r = await app.gql<{ me: { subject: string; via: string; roles: string[] } }>('{ me { subject via roles } }', {}, bearer(token));
    expect(r.data!.me).toEqual({ subject: 'carol', via: 'oidc', roles: ['INCIDENT_RESPONDER'] });
    expect(codes(await app.gql('mutation { resolveIncident(id: "inc_none") { __typename } }', {}, bearer(token)))).toEqual([]);
    expect(codes(await app.gql('mutation { approveChange(id: "chg_none") { __typename } }', {}, bearer(token)))).toEqual(['FORBIDDEN']);
  });

  it('refuses a token for another audience, with a bad signature, or expired', async () => {
    const claims = { preferred_username: 'mallory', groups: ['ripple-cab'] };
    const cases = {
      'wrong audience': await jwt(claims, { audience: 'someone-else' }),
      'bad signature': await jwt(claims, { key: otherKey }),
      expired: await jwt(claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    };
    for (const [why, token] of Object.entries(cases)) {
      const r = await app.gql('{ me { subject } }', {}, bearer(token));
      expect(codes(r), why).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('the HTTP surface', () => {
  it('grants CORS to the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${app.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const good = await preflight('https://cmdb.example.com');
    expect(good.headers.get('access-control-allow-origin')).toBe('https://cmdb.example.com');
  });

  it('sends security headers and a request id on every response', async () => {
    for (const path of ['/', '/graphql', '/healthz', '/no-such-page']) {
      const res = await fetch(`${app.url}${path}`, { headers: { accept: 'text/html' } });
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('serves neither GraphiQL nor introspection outside demo mode', async () => {
    const page = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
    const r = await app.gql('{ __schema { queryType { name } } }', {}, await app.headersAs('tok-admin', ['admin']));
    expect(r.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('serves metrics to a viewer token, counting requests and denials by role', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    const viewer = await app.headersAs('scraper', ['viewer']);
    await app.gql('{ apiTokens { id } }', {}, viewer);
    const res = await fetch(`${app.url}/metrics`, { headers: viewer });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/ripple_denied_requests_total\{field="Query.apiTokens",role="admin"\} [1-9]/);
    expect(text).toMatch(/ripple_graphql_requests_total\{operation="query apiTokens",outcome="FORBIDDEN",roles="viewer"\} [1-9]/);
    expect(text).toContain('ripple_cypher_transaction_duration_seconds_bucket');
  });

  it('refuses to serve other machines without authentication, naming the setting', async () => {
    const config = loadConfig({ HOST: '0.0.0.0', PORT: '0', RIPPLE_SEED: 'never' });
    await expect(startRipple(config, createLogger('silent'), { db: app.db })).rejects.toThrow(/HOST=0\.0\.0\.0 .*RIPPLE_AUTH=on/);
  });
});
