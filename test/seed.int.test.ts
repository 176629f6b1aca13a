// The demo estate goes in through the public API as a discovery script's batches would, whole, and again as a no-op.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstate } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { seedWorkspaces } from '../seed/workspaces';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { createLogger } from '../server/log';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
const estate = generateEstate({ size: 300 });
const model = loadClassModel();

/** Demo team names that were in the database before this file ran: someone else's, never deleted here. */
let teamsBefore: string[] = [];
/** Seed CIs by key, from the first load: what the workspaces' test hands to seedWorkspaces. */
let seeded = new Map<string, string>();
/** Titles the workspaces seed writes (incidents, problem, changes) and the freeze window: deleted in afterAll. */
const WORK_TITLES = ['Checkout times out', 'Slow logins', 'Connection storms', 'Raise max_connections', 'Upgrade the sessions cache', 'Patch the orders', 'Rotate the build server'];

beforeAll(async () => {
  // A server that takes at most 200 entries a request, so the sender has to fit items and relationships in.
  app = await startTestRipple({ RIPPLE_MAX_BATCH: '200' });
  teamsBefore = await app.db.read(async (tx) =>
    (await tx.run('MATCH (t:Team) WHERE t.name IN $names RETURN collect(t.name) AS names', { names: estate.teams.map((t) => t.name) })).records[0]!.get('names') as string[],
  );
});
afterAll(async () => {
  // Only what this file wrote: CIs of its own source, the keys and history only they hold, and the demo teams it
  // created that nothing else owns now. Run against a real database, nothing of anyone else's goes.
  const source = `seed-${app.key}`;
  await app.db.write(async (tx) => {
    await tx.run(
      `MATCH (w) WHERE (w:Incident OR w:Problem OR w:Change) AND any(t IN $titles WHERE w.title STARTS WITH t)
       OPTIONAL MATCH (w)-[]->(e:RecordEvent) DETACH DELETE e, w`,
      { titles: WORK_TITLES },
    );
    await tx.run("MATCH (f:FreezeWindow {name: 'Peak season freeze'}) DETACH DELETE f");
    await tx.run("MATCH (m:StandardChangeModel {name: 'Restart a Kubernetes workload'}) DETACH DELETE m");
    await tx.run('MATCH (l:ServiceLevel) WHERE l.serviceId IN $ids DETACH DELETE l', { ids: ['bs:online-shop', 'bs:payments'].map((k) => seeded.get(k) ?? '') });
    await tx.run('MATCH (d:DuplicateConflict) WHERE d.source = $s DETACH DELETE d', { s: 'asset-register' });
    await tx.run("MATCH (n:CI) WHERE n.name IN ['Legacy Reporting', 'build-01 (asset register)'] AND n.sources[0] IN ['manual', 'asset-register'] DETACH DELETE n");
  });
  const created = estate.teams.map((t) => t.name).filter((name) => !teamsBefore.includes(name));
  await app.db.write(async (tx) => {
    await tx.run('MATCH (h:History)-[:ABOUT]->(n:CI) WHERE $source IN n.sources DETACH DELETE h', { source });
    await tx.run(
      `MATCH (k:IdentKey)-[:IDENTIFIES]->(n:CI) WHERE $source IN n.sources
         AND NOT EXISTS { MATCH (k)-[:IDENTIFIES]->(o:CI) WHERE NOT $source IN o.sources }
       WITH DISTINCT k DETACH DELETE k`,
      { source },
    );
    await tx.run('MATCH (n:CI) WHERE $source IN n.sources DETACH DELETE n', { source });
    await tx.run('MATCH (t:Team) WHERE t.name IN $names AND NOT EXISTS { (:CI)-[:OWNED_BY]->(t) } DETACH DELETE t', { names: created });
  });
  await app.close();
});

describe('loading the demo estate through the API', () => {
  it('creates every CI and relationship, in chunks the server accepts, with nothing rejected, and a second load changes nothing', async () => {
    const opts = { url: app.url, model, source: `seed-${app.key}`, batchSize: 120, maxEntries: 200 };
    const first = await loadEstate(estate, opts);
    expect(first.rejected).toEqual([]);
    expect(first.created).toBe(estate.cis.length);
    seeded = first.ids;
    const again = await loadEstate(estate, opts);
    expect(again).toMatchObject({ created: 0, rejected: [] });
    const shop = await app.data<{ services: { nodes: { name: string; dependencies: { nodes: { ci: { family: string } }[] } }[] } }>(
      '{ services(kind: BUSINESS, filter: { nameContains: "Online Shop" }) { nodes { name dependencies(depth: 10) { nodes { ci { family } } } } } }',
    );
    const online = shop.services.nodes.find((s) => s.name === 'Online Shop')!;
    expect(online.dependencies.nodes.some((n) => n.ci.family === 'hardware')).toBe(true);
  });
});

describe('the demo estate\'s open work', () => {
  it('gives the health panel defects and the incident and change workspaces open work, through the use cases', async () => {
    const log = createLogger('warn');
    await seedWorkspaces({ db: app.db, model, log, maxBatch: 200 }, estate, seeded);
    const d = await app.data<{
      cmdbHealth: { unownedServices: { cis: { name: string }[] }; staleBySource: { key: string; cis: { name: string }[] }[]; duplicateConflicts: { source: string }[] };
      incidents: { title: string; status: string }[];
      problems: { title: string; status: string; incidents: { title: string }[] }[];
      changes: { title: string; status: string }[];
      freezeWindows: { name: string }[];
      standardChangeModels: { name: string }[];
    }>(`{
      cmdbHealth { unownedServices { cis { name } } staleBySource { key cis { name } } duplicateConflicts { source } }
      incidents(statuses: [OPEN]) { title status }
      problems { title status incidents { title } }
      changes { title status }
      freezeWindows { name }
      standardChangeModels { name }
    }`);
    expect(d.cmdbHealth.unownedServices.cis.map((c) => c.name)).toContain('Legacy Reporting');
    // The VMware inventory's second run left out two VMs it had reported.
    const stale = d.cmdbHealth.staleBySource.flatMap((f) => f.cis.map((c) => c.name));
    expect(stale).toEqual(expect.arrayContaining(['monitoring-02', 'loadtest-01']));
    expect(stale).not.toContain('monitoring-01');
    expect(d.cmdbHealth.duplicateConflicts.map((c) => c.source)).toContain('asset-register');
    expect(d.incidents.filter((i) => WORK_TITLES.some((t) => i.title.startsWith(t)))).toHaveLength(2);
    const problem = d.problems.find((p) => p.title.startsWith('Connection storms'))!;
    expect(problem.status).toBe('KNOWN_ERROR');
    expect(problem.incidents).toHaveLength(2);
    const statuses = new Set(d.changes.filter((c) => WORK_TITLES.some((t) => c.title.startsWith(t))).map((c) => c.status));
    expect([...statuses].sort()).toEqual(['AWAITING_APPROVAL', 'CLOSED', 'DRAFT', 'SCHEDULED']);
    expect(d.freezeWindows.map((f) => f.name)).toContain('Peak season freeze');
    expect(d.standardChangeModels.map((m) => m.name)).toContain('Restart a Kubernetes workload');
  });
});
