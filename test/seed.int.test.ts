// The demo estate goes in through the public API as a discovery script's batches would, whole, and again as a no-op.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEstate } from '../seed/estate';
import { loadEstate } from '../seed/load';
import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
const estate = generateEstate({ size: 300 });
const model = loadClassModel();

/** Demo team names that were in the database before this file ran: someone else's, never deleted here. */
let teamsBefore: string[] = [];

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
    const again = await loadEstate(estate, opts);
    expect(again).toEqual({ created: 0, rejected: [] });
    const shop = await app.data<{ services: { nodes: { name: string; dependencies: { nodes: { ci: { family: string } }[] } }[] } }>(
      '{ services(kind: BUSINESS, filter: { nameContains: "Online Shop" }) { nodes { name dependencies(depth: 10) { nodes { ci { family } } } } } }',
    );
    const online = shop.services.nodes.find((s) => s.name === 'Online Shop')!;
    expect(online.dependencies.nodes.some((n) => n.ci.family === 'hardware')).toBe(true);
  });
});
