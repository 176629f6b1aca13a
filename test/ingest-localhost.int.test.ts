// The local-host importer end to end: the real CLI as a child process against an in-process Ripple, probing this
// machine, with a TCP server of the test's own (a child node process on a free port) to find, and the host recorded
// under a name carrying this file's isolation key.
import { spawn, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/process';
import { deleteTagged } from './helpers/ci-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

const NODE = realpathSync(process.execPath);

let app: TestRipple;
let host: string;
let server: ChildProcess | undefined;
let port: number;

function cli(...args: string[]): Promise<CliResult> {
  return runCli('server/ingest/localhost/cli.ts', ['--url', app.url, '--quiet', '--hostname', host, ...args]);
}

interface CiNode {
  id: string;
  name: string;
  className: string;
  updatedAt: string;
  attributes: Record<string, unknown>;
  relationships: { type: string; to: { id: string } }[];
}

async function recorded(cls: string): Promise<CiNode[]> {
  const d = await app.data<{ cis: { nodes: CiNode[] } }>(
    `query($k: String!, $c: [String!]) { cis(first: 500, filter: { nameContains: $k, classes: $c }) {
       nodes { id name className updatedAt attributes relationships(direction: OUT) { type to { id } } } } }`,
    { k: host, c: [cls] },
  );
  return d.cis.nodes;
}

/** A TCP server in its own process, so that the port is that process's only one. */
async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['-e', "require('node:net').createServer().listen(0, function () { console.log(this.address().port) })"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
    child.stdout!.once('data', (b: Buffer) => resolve(Number(String(b).trim())));
  });
  return { child, port };
}

beforeAll(async () => {
  app = await startTestRipple();
  host = `${app.key}-host`;
  ({ child: server, port } = await startServer());
});

afterAll(async () => {
  server?.kill();
  if (!app) return;
  await deleteTagged(app);
  await app.close();
});

describe('localhost importer CLI', () => {
  // --ports keeps the first runs to what this test owns: other processes on the machine come and go meanwhile.
  let first: { code: number; stdout: string; stderr: string };
  let before: { server: CiNode; process: CiNode };
  beforeAll(async () => {
    first = await cli('--ports', String(port));
  });

  it('records this machine under the given name, and the test server as a Process running on it', async () => {
    expect(first.stderr).not.toMatch(/Error|cannot reach|refused/);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain(`${String(port).padStart(5)}  ${NODE}`);
    expect(first.stdout).toMatch(/CIs: +2 created, 0 updated, 0 unchanged, 0 rejected/);
    expect(first.stdout).toMatch(/relationships: 1 created, 0 unchanged, 0 rejected/);
    const servers = await recorded('Server');
    expect(servers).toHaveLength(1);
    const srv = servers[0]!;
    expect(srv).toMatchObject({ name: host, className: process.platform === 'linux' ? 'LinuxServer' : 'Server' });
    expect(srv.attributes).toMatchObject({ hostname: host, domain: 'localdomain' });
    expect(srv.attributes.cpuCount).toBeGreaterThan(0);
    expect(srv.attributes.memoryMb).toBeGreaterThan(0);
    const procs = await recorded('Process');
    expect(procs).toHaveLength(1);
    const proc = procs[0]!;
    expect(proc).toMatchObject({ name: `${host}/node:${port}`, className: 'Process' });
    expect(proc.attributes).toMatchObject({ executable: NODE, listeningPort: port });
    expect(proc.attributes.commandLine).toMatch(/createServer/);
    expect(proc.relationships).toContainEqual({ type: 'RUNS_ON', to: { id: srv.id } });
    before = { server: srv, process: proc };
  });

  it('changes nothing when run again', async () => {
    const again = await cli('--ports', String(port));
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/CIs: +0 created, 0 updated, 2 unchanged, 0 rejected/);
    expect(again.stdout).toMatch(/relationships: 0 created, 1 unchanged, 0 rejected/);
    expect((await recorded('Server'))[0]!.updatedAt).toBe(before.server.updatedAt);
    expect(await recorded('Process')).toEqual([before.process]);
  });

  it('records every listening process of the machine, several of one executable among them', async () => {
    // This test's worker (serving Ripple) and the test server are two node processes on two ports.
    const all = await cli();
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).toMatch(/CIs: +\d+ created, 0 updated, 2 unchanged, 0 rejected/);
    expect(all.stdout).toMatch(/relationships: \d+ created, 1 unchanged, 0 rejected/);
    const procs = await recorded('Process');
    expect(procs.filter((p) => p.attributes.executable === NODE).length).toBeGreaterThanOrEqual(2);
    expect(procs.find((p) => p.attributes.listeningPort === port)).toEqual(before.process);
  });

  it('writes nothing on --dry-run for a host it has not seen', async () => {
    const dry = await cli('--dry-run', '--hostname', `${app.key}-other`);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/DRY RUN/);
    expect(dry.stdout).toMatch(/CIs: +[1-9]\d* created, 0 updated, 0 unchanged, 0 rejected/);
    const d = await app.data<{ cis: { nodes: unknown[] } }>(`query($k: String!) { cis(filter: { nameContains: $k }) { nodes { id } } }`, { k: `${app.key}-other` });
    expect(d.cis.nodes).toEqual([]);
  });
});
