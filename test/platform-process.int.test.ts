// What an operator sees when starting and stopping Ripple: it serves, it cleans up its JVM however it is
// stopped, and each start-up failure is one clear line with a non-zero exit.
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, spawnRipple, waitUntil } from './helpers/process';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'ripple-proc-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** The environment of a fresh shell: no NEO4J_* from the test run, so Ripple starts its own Neo4j. */
function baseEnv(dataDir: string, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('NEO4J_') || k.startsWith('VITEST')) delete env[k];
  return {
    ...env,
    PORT: '0',
    RIPPLE_DATA_DIR: dataDir,
    RIPPLE_SEED: 'never',
    RIPPLE_NEO4J_HEAP: '512m',
    RIPPLE_NEO4J_PAGECACHE: '128m',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function jvmPid(dataDir: string): number {
  const text = readFileSync(path.join(dataDir, 'neo4j', 'logs', 'console.log'), 'utf8');
  const pids = [...text.matchAll(/READY bolt:\S+ pid=(\d+)/g)].map((m) => Number(m[1]));
  return pids[pids.length - 1]!;
}

async function graphql(url: string, query: string): Promise<unknown> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return res.json();
}

describe('running Ripple as an operator does', () => {
  it('serves /graphql and / from its own Neo4j and leaves no JVM behind after SIGTERM', async () => {
    const dataDir = await tempDir();
    const r = spawnRipple(baseEnv(dataDir));
    const url = await r.ready;
    expect(await graphql(url, '{ system { neo4jEdition neo4jVersion } }')).toMatchObject({
      data: { system: { neo4jEdition: 'community', neo4jVersion: expect.stringMatching(/^5\.26\./) } },
    });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-testid="search"');
    const pid = jvmPid(dataDir);
    expect(alive(pid)).toBe(true);
    // No authentication configured: demo mode, said out loud, and the store kept from other users of the machine.
    expect(r.output()).toContain('anyone on this machine is admin');
    for (const dir of ['neo4j', 'neo4j/data', 'neo4j/logs']) expect((statSync(path.join(dataDir, dir)).mode & 0o777).toString(8), dir).toBe('700');

    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(await waitUntil(() => !alive(pid), 10_000)).toBe(true);
  }, 240_000);

  it('keeps its data and password across restarts, and Ctrl-C (SIGINT) stops the JVM too', async () => {
    const dataDir = await tempDir();
    const first = spawnRipple(baseEnv(dataDir));
    await first.ready;
    const password = readFileSync(path.join(dataDir, 'neo4j', 'password'), 'utf8');
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);

    const second = spawnRipple(baseEnv(dataDir));
    const url = await second.ready;
    expect(readFileSync(path.join(dataDir, 'neo4j', 'password'), 'utf8')).toBe(password);
    expect(await graphql(url, '{ system { neo4jEdition } }')).toMatchObject({ data: { system: { neo4jEdition: 'community' } } });
    const pid = jvmPid(dataDir);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(await waitUntil(() => !alive(pid), 10_000)).toBe(true);
  }, 300_000);

  it('takes its JVM down with it when the Node process is killed outright (a crashed run)', async () => {
    const dataDir = await tempDir();
    const r = spawnRipple(baseEnv(dataDir));
    await r.ready;
    const pid = jvmPid(dataDir);
    r.child.kill('SIGKILL');
    await r.exited;
    expect(await waitUntil(() => !alive(pid), 30_000)).toBe(true);
  }, 240_000);

  it('says the store is locked, with the last lines of its log, when a second Ripple opens the same data', async () => {
    const dataDir = await tempDir();
    const first = spawnRipple(baseEnv(dataDir));
    await first.ready;
    const second = spawnRipple(baseEnv(dataDir));
    expect(await second.exited).toBe(1);
    const out = second.output();
    expect(out).toMatch(/^ripple: local Neo4j failed to start: .*lock/im);
    expect(out).toContain('last lines of');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 300_000);
});

describe('start-up failures an operator can fix', () => {
  it('names Java when it is missing', async () => {
    const dataDir = await tempDir();
    const r = spawnRipple(baseEnv(dataDir, { PATH: '/nonexistent', JAVA_HOME: undefined }));
    expect(await r.exited).toBe(1);
    expect(r.output().trim()).toMatch(/^ripple: Java not found: .*Java 17/);
    expect(r.output().trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('names the port when it is taken', async () => {
    const dataDir = await tempDir();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = spawnRipple(baseEnv(dataDir, { PORT: String(port) }));
      expect(await r.exited).toBe(1);
      expect(r.output().trim()).toBe(`ripple: port ${port} on 127.0.0.1 is already in use (set PORT to a free port)`);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('names NEO4J_URI when the external Neo4j cannot be reached', async () => {
    const dataDir = await tempDir();
    const r = spawnRipple(
      baseEnv(dataDir, { NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: 'whatever1', NEO4J_CONNECT_TIMEOUT_MS: '3000' }),
    );
    expect(await r.exited).toBe(1);
    const lines = r.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ripple: cannot reach Neo4j at bolt:\/\/127\.0\.0\.1:1: .*\(check NEO4J_URI\)$/);
  }, 60_000);

  it('refuses to serve other machines without authentication, naming the setting', async () => {
    const r = spawnRipple(baseEnv(await tempDir(), { HOST: '0.0.0.0' }));
    expect(await r.exited).toBe(1);
    expect(r.output().trim().split('\n')).toHaveLength(1);
    expect(r.output()).toMatch(/^ripple: HOST=0\.0\.0\.0 is reachable from other machines .*RIPPLE_AUTH=on/);
  });

  it('names the variable when configuration is invalid', async () => {
    const dataDir = await tempDir();
    const r = spawnRipple(baseEnv(dataDir, { RIPPLE_NEO4J_HEAP: 'plenty' }));
    expect(await r.exited).toBe(1);
    expect(r.output().trim()).toMatch(/^ripple: invalid configuration: RIPPLE_NEO4J_HEAP .*plenty/);
  }, 60_000);
});
