// When the local Neo4j's JVM dies, Ripple notices at once: /readyz says so, requests fail fast with a typed
// DATABASE_UNAVAILABLE (a lookup by id included, instead of "not found"), the JVM is restarted on the same port,
// and requests succeed again, all without restarting Ripple; the operator's log says why it died and that it came
// back. Uses its own Neo4j, never the run's shared one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRipple, type Ripple } from '../server/app';
import { loadConfig } from '../server/config/config';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import type { GqlResult } from './helpers/ripple';

let ripple: Ripple;
let dataDir: string;
/** What Ripple logged, one parsed JSON line each, as an operator's log collector would receive it. */
const logged: Record<string, unknown>[] = [];
const collector = new Writable({
  write(chunk: Buffer, _enc, done) {
    for (const line of chunk.toString().split('\n')) if (line.trim()) logged.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

async function gql(query: string): Promise<GqlResult> {
  const res = await fetch(`${ripple.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await res.json()) as GqlResult;
}

async function readyz(): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${ripple.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'ripple-supervision-'));
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    RIPPLE_SEED: 'never',
    RIPPLE_DATA_DIR: dataDir,
    RIPPLE_NEO4J_HEAP: '512m',
    RIPPLE_NEO4J_PAGECACHE: '128m',
    ...(process.env.RIPPLE_CACHE_DIR ? { RIPPLE_CACHE_DIR: process.env.RIPPLE_CACHE_DIR } : {}),
  });
  ripple = await startRipple(config, pino({ level: 'info' }, collector));
}, 240_000);

afterAll(async () => {
  await ripple?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a supervised local Neo4j', () => {
  it('fails fast with DATABASE_UNAVAILABLE while its JVM is dead, and serves again after the restart', async () => {
    expect((await gql('{ teams { id } }')).errors).toBeUndefined();
    const first = ripple.localNeo4j!.pid;
    process.kill(first, 'SIGKILL');

    // The supervisor hears of the exit from the OS (the reason says so); the probe alone would say "does not answer".
    await until(async () => (await readyz()).body.neo4j === 'down', 30_000);
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', neo4j: 'down', reason: expect.stringMatching(/local Neo4j exited/) });
    expect(JSON.stringify(down.body)).not.toMatch(/bolt:|127\.0\.0\.1/);

    const read = await gql('{ teams { id } }');
    expect(read.errors?.map((e) => e.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
    const lookup = await gql('{ change(id: "chg_missing") { id } }');
    expect(lookup.errors?.map((e) => e.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);

    const died = logged.find((l) => l.msg === 'local neo4j died; restarting it');
    expect(died).toMatchObject({ level: 50, signal: 'SIGKILL', lastLines: expect.arrayContaining([expect.any(String)]) });

    await until(async () => (await readyz()).status === 200, 180_000);
    expect(logged.find((l) => l.msg === 'local neo4j restarted')).toMatchObject({ level: 30, pid: ripple.localNeo4j!.pid });
    expect(ripple.localNeo4j!.pid).not.toBe(first);
    expect(await gql('{ teams { id } }')).toMatchObject({ data: { teams: [] } });
    expect(await gql('{ change(id: "chg_missing") { id } }')).toMatchObject({ data: { change: null } });
  }, 240_000);
});
