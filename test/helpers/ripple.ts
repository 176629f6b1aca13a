// Test harness: a Ripple HTTP server in this process on a free port, over the run's shared Neo4j, plus a
// GraphQL client and an isolation key that tags everything a test file writes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { startRipple, type Ripple, type StartOptions } from '../../server/app';
import { loadConfig } from '../../server/config/config';
import { ROLES, type Role } from '../../server/domain/auth/roles';
import { createLogger } from '../../server/log';
import { TokenService } from '../../server/services/tokens';
import { connect, type Db } from '../../server/neo4j/db';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  extensions?: { cypherQueries?: number } & Record<string, unknown>;
}

export interface TestRipple {
  url: string;
  db: Db;
  /** Unique per test file: prefix names and sources with it, and clean up by it. */
  key: string;
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResult<T>>;
  /**
   * Request headers that make a request come from `actor`: a real API token minted for it, holding `roles`
   * (default: every role, any discovery source; the approval rules still apply). Every test that needs a named
   * actor gets its headers here, so how identity is carried lives in one place.
   */
  headersAs(actor: string, roles?: Role[], sources?: string[]): Promise<Record<string, string>>;
  /** Like gql but fails the test on any GraphQL error. */
  data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export function testDb(): Promise<Db> {
  const n = inject('neo4j');
  return connect({ ...n, timeoutMs: 30_000 });
}

export async function startTestRipple(env: Record<string, string> = {}, opts: Omit<StartOptions, 'db'> = {}): Promise<TestRipple> {
  const db = await testDb();
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', RIPPLE_SEED: 'never', ...env });
  const ripple: Ripple = await startRipple(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), { ...opts, db });
  const key = `t${randomBytes(4).toString('hex')}`;
  const tokens = new TokenService(db);
  const minted = new Map<string, Promise<Record<string, string>>>();
  const gql = async <T,>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await fetch(`${ripple.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<T>;
  };
  return {
    url: ripple.url,
    db,
    key,
    gql,
    headersAs: (actor, roles = [...ROLES], sources = ['*']) => {
      const k = JSON.stringify([actor, roles, sources]);
      let h = minted.get(k);
      if (!h) {
        h = tokens.create({ name: `${key}-${actor}`, subject: actor, roles, sources, expiresInDays: 1 }, 'test').then(({ token }) => ({ authorization: `Bearer ${token}` }));
        minted.set(k, h);
      }
      return h;
    },
    async data<T>(query: string, variables?: Record<string, unknown>) {
      const r = await gql<T>(query, variables);
      if (r.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
      return r.data as T;
    },
    async close() {
      await ripple.stop();
      await db.driver.close();
    },
  };
}

/**
 * This file's test Ripple: started before its tests (handed to `started`), and after them cleaned up by the
 * file's key with `cleanup`, then stopped.
 */
export function useTestRipple(started: (app: TestRipple) => void, cleanup: (app: TestRipple) => Promise<void>, env: Record<string, string> = {}): void {
  let app: TestRipple | undefined;
  beforeAll(async () => {
    app = await startTestRipple(env);
    started(app);
  });
  afterAll(async () => {
    if (!app) return;
    await cleanup(app);
    await app.close();
  });
}
