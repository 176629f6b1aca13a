// The guard between requests and Neo4j, against the real database: a transaction over its lane's timeout is
// stopped inside Neo4j, a client going away stops its query there too, and a full heavy lane refuses more heavy
// work while cheap reads still run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCounter, type Db } from '../server/neo4j/db';
import { DEFAULT_GUARD, Neo4jGuard, OverloadedError, QueryTimeoutError, RequestAbortedError } from '../server/neo4j/guard';
import { testDb } from './helpers/ripple';

let db: Db;
let plain: Db;
const marker = `guard${Date.now()}`;
/** Counts for minutes on its own: only a timeout or a cancellation ends it. */
const slow = (tag: string) => `UNWIND range(1, 4000000000) AS x WITH x WHERE x % 7 = 9 RETURN count(*) AS n, '${marker}-${tag}' AS tag`;

async function running(tag: string): Promise<number> {
  const res = await plain.driver.executeQuery(
    'SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS $t AND NOT currentQuery CONTAINS "SHOW" RETURN count(*) AS n',
    { t: `${marker}-${tag}` },
  );
  return res.records[0]!.get('n') as number;
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

beforeAll(async () => {
  plain = await testDb();
  const guard = new Neo4jGuard({
    ...DEFAULT_GUARD,
    timeoutMs: { cheap: 10_000, heavy: 1_000, write: 10_000 },
    concurrency: { cheap: 4, heavy: 1, write: 1 },
    queue: { cheap: 10, heavy: 0, write: 0 },
  });
  db = plain.guarded(guard);
});

afterAll(async () => {
  await plain.driver.close();
});

describe('Neo4j guard', () => {
  it('stops a heavy read over its timeout inside Neo4j and says so with TIMEOUT', async () => {
    const err = await db.read((tx) => tx.run(slow('timeout'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect((err as QueryTimeoutError).code).toBe('TIMEOUT');
    expect(await until(async () => (await running('timeout')) === 0)).toBe(true);
  });

  it('stops the query in Neo4j when the client goes away', async () => {
    const gone = new AbortController();
    const request = db.forRequest({ queries: new QueryCounter(), lane: 'cheap', signal: gone.signal });
    const pending = request.read((tx) => tx.run(slow('abort'))).catch((e: unknown) => e);
    expect(await until(async () => (await running('abort')) === 1)).toBe(true);
    gone.abort();
    expect(await pending).toBeInstanceOf(RequestAbortedError);
    expect(await until(async () => (await running('abort')) === 0)).toBe(true);
  });

  it('refuses heavy work beyond its lane with OVERLOADED while cheap reads still answer', async () => {
    const heavy = db.read((tx) => tx.run(slow('lane'))).catch((e: unknown) => e);
    expect(await until(async () => (await running('lane')) === 1)).toBe(true);
    const second = await db.read((tx) => tx.run('RETURN 1')).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(OverloadedError);
    const cheap = db.forRequest({ queries: new QueryCounter(), lane: 'cheap' });
    const one = await cheap.read(async (tx) => (await tx.run('RETURN 1 AS one')).records[0]!.get('one') as number);
    expect(one).toBe(1);
    expect(await heavy).toBeInstanceOf(QueryTimeoutError);
  });
});
