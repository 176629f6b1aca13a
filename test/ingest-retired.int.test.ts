// A retired CI that discovery reports again: a server a person retired is back in service when an agent still
// sees it (the class model ranks discovery above manual for a machine's lifecycle), with history saying so; an
// application a person retired stays retired, because manual leads for software, and the batch says it kept it.
import { describe, expect, it } from 'vitest';
import { ERROR_FIELDS } from './helpers/ci-fixtures';
import { deleteDiscoveryTagged, send } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((started) => {
  app = started;
  key = started.key;
}, deleteDiscoveryTagged);

async function retire(id: string): Promise<void> {
  const r = await app.data<{ retireCi: { __typename: string } }>(
    `mutation ($id: ID!) { retireCi(id: $id, reason: "decommissioned") { __typename ${ERROR_FIELDS} } }`,
    { id },
  );
  expect(r.retireCi.__typename).toBe('MutationRetireCiSuccess');
}

interface Seen {
  lifecycle: string;
  history: { action: string; source: string; changes: { field: string; before: unknown; after: unknown }[] }[];
}

async function seen(id: string): Promise<Seen> {
  const r = await app.data<{ ci: Seen }>(`query ($id: ID!) { ci(id: $id) { lifecycle history(first: 10) { action source changes { field before after } } } }`, { id });
  return r.ci;
}

describe('a retired CI reported again by discovery', () => {
  it('is live again when it is a server an agent still sees, and its history says who brought it back', async () => {
    const item = { className: 'LinuxServer', name: `${key}-db-host`, attributes: { serialNumber: `${key}-SN-1`, hostname: `${key}-db-host`, osVersion: '22.04' } };
    const id = (await send(app, { source: 'localhost', items: [item] })).items[0]!.id!;
    await retire(id);
    expect((await seen(id)).lifecycle).toBe('RETIRED');

    const again = await send(app, { source: 'localhost', items: [item] });
    expect(again.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['lifecycle'] });
    const after = await seen(id);
    expect(after.lifecycle).toBe('OPERATIONAL');
    expect(after.history[0]).toMatchObject({ action: 'update', source: 'localhost' });
    expect(after.history[0]!.changes).toContainEqual({ field: 'lifecycle', before: 'retired', after: 'operational' });
    // And it counts again where impact looks: the active CI filters list it.
    const listed = await app.data<{ cis: { nodes: { id: string }[] } }>(`query ($f: CiFilter) { cis(filter: $f) { nodes { id } } }`, {
      f: { nameContains: `${key}-db-host`, lifecycles: ['OPERATIONAL'] },
    });
    expect(listed.cis.nodes.map((n) => n.id)).toEqual([id]);
  });

  it('stays retired when a person retired it and manual outranks the source, and the batch says it kept lifecycle', async () => {
    const item = { className: 'Application', name: `${key}-legacy-billing`, attributes: {} };
    const id = (await send(app, { source: 'backstage', items: [item] })).items[0]!.id!;
    await retire(id);
    const again = await send(app, { source: 'backstage', items: [item] });
    expect(again.items[0]).toMatchObject({ id, status: 'UNCHANGED', keptFields: ['lifecycle'] });
    expect((await seen(id)).lifecycle).toBe('RETIRED');
  });
});
