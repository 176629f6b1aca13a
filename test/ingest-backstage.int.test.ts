// The Backstage importer end to end: the real CLI as a child process against an in-process Ripple, on the example
// catalog set (all.yaml + acme-corp.yaml), every name prefixed with this file's isolation key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/process';
import { sharedData } from './helpers/shared-data';
import { startTestRipple, type TestRipple } from './helpers/ripple';

const DATA = `${sharedData('backstage')}/`;

let app: TestRipple;
let prefix: string;

function cli(...paths: string[]): Promise<CliResult> {
  return runCli('server/ingest/backstage/cli.ts', ['--url', app.url, '--name-prefix', prefix, '--quiet', ...paths]);
}

interface CiNode {
  id: string;
  name: string;
  className: string;
  lifecycle: string;
  owner: { name: string } | null;
  relationships: { type: string; to: { name: string } }[];
}

async function imported(): Promise<Map<string, CiNode>> {
  const d = await app.data<{ cis: { nodes: CiNode[] } }>(
    `query($k: String!) { cis(first: 500, filter: { nameContains: $k }) {
       nodes { id name className lifecycle owner { name } relationships(direction: OUT) { type to { name } } } } }`,
    { k: prefix },
  );
  return new Map(d.cis.nodes.filter((n) => n.name.startsWith(prefix)).map((n) => [n.name.slice(prefix.length), n]));
}

const needs = (n: CiNode | undefined) => (n?.relationships ?? []).filter((r) => r.type === 'DEPENDS_ON').map((r) => r.to.name.slice(prefix.length)).sort();

beforeAll(async () => {
  app = await startTestRipple();
  prefix = `${app.key}-`;
});

afterAll(async () => {
  if (!app) return;
  await app.db.write(async (tx) => {
    await tx.run(
      `MATCH (h:History)-[:ABOUT]->(n) WHERE (n:CI OR n:Team) AND n.name STARTS WITH $key DETACH DELETE h`,
      { key: app.key },
    );
    await tx.run('MATCH (n) WHERE (n:CI OR n:Team) AND n.name STARTS WITH $key DETACH DELETE n', { key: app.key });
    await tx.run('MATCH (k:IdentKey) WHERE NOT (k)--() DELETE k');
  });
  await app.close();
});

describe('backstage importer CLI', () => {
  let first: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    first = await cli(`${DATA}all.yaml`, `${DATA}acme-corp.yaml`);
  });

  it('imports the catalog set and exits 0 with nothing rejected', () => {
    expect(first.stderr).not.toMatch(/Error|cannot reach/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/CIs: +30 created, 0 updated, 0 unchanged, 0 rejected/);
    expect(first.stdout).toMatch(/relationships: 20 created, 0 unchanged, 0 rejected/);
  });

  it('prints the unresolved references, naming the entity, the field and what it points at', () => {
    expect(first.stdout).toMatch(/Unresolved references \(not sent\) \(1\):\n {2}component:default\/playback-order spec\.owner: group:default\/guest: no such entity/);
    expect(first.stdout).toMatch(/Owners that are not teams \(3\)/);
    expect(first.stdout).toMatch(/Skipped kinds \(3\)/);
  });

  it('links a component to the API it consumes, and the API to the component that provides it', async () => {
    const cis = await imported();
    expect(cis.size).toBe(30);
    expect(needs(cis.get('component:default/wayback-search'))).toEqual(['api:default/wayback-archive']);
    expect(needs(cis.get('api:default/wayback-archive'))).toEqual(['component:default/wayback-archive']);
    expect(needs(cis.get('api:default/petstore'))).toEqual(['component:default/petstore']);
    expect(needs(cis.get('component:default/artist-lookup'))).toEqual(['resource:default/artists-db']);
    expect(cis.get('resource:default/artists-db')?.className).toBe('CloudManagedDatabase');
  });

  it('makes each system depend on its components and each domain on its systems and subdomains', async () => {
    const cis = await imported();
    expect(needs(cis.get('system:default/podcast'))).toEqual(['component:default/podcast-api', 'component:default/queue-proxy']);
    expect(needs(cis.get('system:default/artist-engagement-portal'))).toEqual([
      'component:default/artist-lookup', 'component:default/www-artist', 'resource:default/artists-db',
    ]);
    expect(cis.get('system:default/podcast')?.className).toBe('ApplicationService');
    expect(needs(cis.get('domain:default/playback'))).toEqual(['system:default/audio-playback', 'system:default/podcast']);
    expect(needs(cis.get('domain:default/audio'))).toEqual(['domain:default/artists']);
    expect(needs(cis.get('component:default/wayback-archive'))).toEqual([
      'component:default/wayback-archive-ingestion', 'component:default/wayback-archive-storage',
    ]);
  });

  it('has the groups own their components as teams, and maps lifecycles', async () => {
    const cis = await imported();
    expect(cis.get('component:default/petstore')?.owner?.name).toBe(`${prefix}team-c`);
    expect(cis.get('component:default/podcast-api')?.owner?.name).toBe(`${prefix}team-b`);
    expect(cis.get('domain:default/audio')?.owner?.name).toBe(`${prefix}acme-corp`);
    expect(cis.get('component:default/searcher')?.owner).toBeNull();
    expect(cis.get('component:default/artist-lookup')?.lifecycle).toBe('PLANNED');
    expect(cis.get('api:default/hello-world')?.lifecycle).toBe('MAINTENANCE');
    expect(cis.get('component:default/searcher')?.lifecycle).toBe('OPERATIONAL');
    const owned = await app.data<{ cis: { nodes: { name: string }[] } }>(
      `query($k: String!) { cis(first: 100, filter: { ownerTeamNames: [$k] }) { nodes { name } } }`,
      { k: `${prefix}team-a` },
    );
    const names = owned.cis.nodes.map((n) => n.name.slice(prefix.length));
    expect(names).toEqual(expect.arrayContaining(['component:default/artist-lookup', 'api:default/spotify', 'domain:default/artists']));
  });

  it('changes nothing when the same catalog is imported again', async () => {
    const again = await cli(`${DATA}all.yaml`, `${DATA}acme-corp.yaml`);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/CIs: +0 created, 0 updated, 30 unchanged, 0 rejected/);
    expect(again.stdout).toMatch(/relationships: 0 created, 20 unchanged, 0 rejected/);
  });

  it('dry-runs the whole folder by glob: reports duplicates, the invalid name and the OpenAPI file, rejects nothing', async () => {
    const all = await cli('--dry-run', DATA);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/DRY RUN/);
    expect(all.stdout).toMatch(/Duplicate entities \(first definition kept\) \(12\)/);
    expect(all.stdout).toMatch(/invalid component metadata\.name/);
    expect(all.stdout).toMatch(/Non-entity YAML \(1\):\n.*petstore\.oas\.yaml/);
    // The 30 of the catalog set exist already; the glob adds wayback-service, alternative/different-namespace and
    // the APIs config-schema, local-inference-server and petstore31.
    expect(all.stdout).toMatch(/CIs: +5 created, 0 updated, 30 unchanged, 0 rejected/);
    expect((await imported()).size).toBe(30);
  });
});
