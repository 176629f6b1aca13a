// The CI API over HTTP: recording CIs and teams, typed errors, updates and retirement, relationships, the
// filtered and paginated lists, search, services and teams, the bulk upsert, and batched reads (no N+1).
import { beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, ERROR_FIELDS, idsByRef, upsert, upsertRaw, type TypedError } from './helpers/ci-fixtures';
import { startTestRipple, useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((a) => ((app = a), (key = a.key)), deleteTagged);

interface CiPayloadResult {
  __typename: string;
  data?: { changedFields: string[]; ci: { id: string; name: string; lifecycle: string } & Record<string, unknown> };
}
type MutationResult = CiPayloadResult & Partial<TypedError>;

const CI_PAYLOAD = `data { changedFields ci { id name lifecycle } }`;

async function createTeam(name: string): Promise<string> {
  const r = await app.data<{ createTeam: { __typename: string; data?: { team: { id: string; name: string } } } }>(
    `mutation ($name: String!) { createTeam(name: $name, email: "team@example.com") {
       __typename ... on MutationCreateTeamSuccess { data { team { id name } } } ${ERROR_FIELDS} } }`,
    { name },
  );
  expect(r.createTeam.__typename).toBe('MutationCreateTeamSuccess');
  return r.createTeam.data!.team.id;
}

async function createCi(input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<MutationResult> {
  const r = await app.gql<{ createCi: MutationResult }>(
    `mutation ($input: CreateCiInput!) { createCi(input: $input) {
       __typename ... on MutationCreateCiSuccess { ${CI_PAYLOAD} } ${ERROR_FIELDS} } }`,
    { input },
    headers,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.createCi;
}

async function createOk(input: Record<string, unknown>): Promise<string> {
  const r = await createCi(input);
  expect(r.__typename, JSON.stringify(r)).toBe('MutationCreateCiSuccess');
  return r.data!.ci.id;
}

async function updateCi(input: Record<string, unknown>): Promise<MutationResult> {
  const r = await app.data<{ updateCi: MutationResult }>(
    `mutation ($input: UpdateCiInput!) { updateCi(input: $input) {
       __typename ... on MutationUpdateCiSuccess { ${CI_PAYLOAD} } ${ERROR_FIELDS} } }`,
    { input },
  );
  return r.updateCi;
}

async function relate(op: 'relateCis' | 'unrelateCis', fromId: string, toId: string, type: string) {
  const success = op === 'relateCis' ? 'MutationRelateCisSuccess' : 'MutationUnrelateCisSuccess';
  const sel = op === 'relateCis' ? 'data { created relationship { id type from { id } to { id name } } }' : 'data { fromId toId type }';
  const r = await app.data<Record<string, { __typename: string; data?: { created?: boolean } } & Partial<TypedError>>>(
    `mutation ($input: RelateCisInput!) { ${op}(input: $input) { __typename ... on ${success} { ${sel} } ${ERROR_FIELDS} } }`,
    { input: { fromId, toId, type } },
  );
  return r[op]!;
}

interface ListCi {
  id: string;
  name: string;
  className: string;
  criticality: number | null;
}
interface Conn {
  totalCount: number;
  nodes: ListCi[];
  edges: { cursor: string; node: { name: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}
const CONN = `totalCount nodes { id name className criticality } edges { cursor node { name } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

async function cis(args: Record<string, unknown>): Promise<Conn> {
  const r = await app.data<{ cis: Conn }>(
    `query ($filter: CiFilter, $orderBy: CiOrder, $first: Int, $after: String, $last: Int, $before: String) {
       cis(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) { ${CONN} } }`,
    args,
  );
  return r.cis;
}

const names = (c: { nodes: { name: string }[] }) => c.nodes.map((n) => n.name);

describe('recording a CI by hand', () => {
  let teamId: string;
  let serverId: string;
  const serial = () => `${key}-SN-0001`;

  beforeAll(async () => {
    teamId = await createTeam(`${key}-platform`);
    const r = await createCi(
      {
        className: 'LinuxServer',
        name: `${key}-web-01`,
        environment: 'PRODUCTION',
        criticality: 2,
        ownerTeamId: teamId,
        attributes: { hostname: `${key}web01`, serialNumber: serial(), cpuCount: 8, manufacturer: 'Dell', distribution: 'Ubuntu' },
      },
      await app.headersAs('alice'),
    );
    expect(r.__typename, JSON.stringify(r)).toBe('MutationCreateCiSuccess');
    serverId = r.data!.ci.id;
  });

  it('returns the new server by ci(id) with its class fields, class path, owner and provenance', async () => {
    const r = await app.data<{ ci: Record<string, unknown> }>(
      `query ($id: ID!) { ci(id: $id) {
         id name className classPath family environment lifecycle criticality sources
         ... on LinuxServer { hostname cpuCount distribution }
         ... on Hardware { serialNumber manufacturer }
         owner { name }
         provenance { field source }
       } }`,
      { id: serverId },
    );
    expect(r.ci).toMatchObject({
      id: serverId,
      name: `${key}-web-01`,
      className: 'LinuxServer',
      classPath: ['CI', 'Hardware', 'Server', 'LinuxServer'],
      family: 'hardware',
      environment: 'PRODUCTION',
      lifecycle: 'OPERATIONAL',
      criticality: 2,
      sources: ['manual'],
      hostname: `${key}web01`,
      cpuCount: 8,
      distribution: 'Ubuntu',
      serialNumber: serial(),
      manufacturer: 'Dell',
      owner: { name: `${key}-platform` },
    });
    const prov = r.ci.provenance as { field: string; source: string }[];
    expect(prov).toEqual(expect.arrayContaining([{ field: 'hostname', source: 'manual' }, { field: 'cpuCount', source: 'manual' }]));
  });

  it('returns the same server through node(id), and a team through node(id) too', async () => {
    const r = await app.data<{ ci: Record<string, unknown>; team: Record<string, unknown> }>(
      `query ($id: ID!, $team: ID!) {
         ci: node(id: $id) { __typename id ... on Hardware { serialNumber } ... on LinuxServer { cpuCount } ... on CI { name } }
         team: node(id: $team) { __typename id ... on Team { name } }
       }`,
      { id: serverId, team: teamId },
    );
    expect(r.ci).toEqual({ __typename: 'LinuxServer', id: serverId, serialNumber: serial(), cpuCount: 8, name: `${key}-web-01` });
    expect(r.team).toEqual({ __typename: 'Team', id: teamId, name: `${key}-platform` });
  });

  it('records who created the CI and each field set, in its history', async () => {
    const r = await app.data<{ ci: { history: { action: string; actor: string; source: string; changes: { field: string; before: unknown; after: unknown }[] }[] } }>(
      `query ($id: ID!) { ci(id: $id) { history { action actor source changes { field before after } } } }`,
      { id: serverId },
    );
    const create = r.ci.history.find((h) => h.action === 'create');
    expect(create).toMatchObject({ actor: 'alice', source: 'manual' });
    expect(create!.changes).toEqual(
      expect.arrayContaining([
        { field: 'hostname', before: null, after: `${key}web01` },
        { field: 'cpuCount', before: null, after: 8 },
      ]),
    );
    expect(r.ci.history.every((h) => h.actor === 'alice')).toBe(true);
  });

  it('refuses an unknown class, naming className', async () => {
    const r = await createCi({ className: 'Toaster', name: `${key}-toaster` });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'className' });
  });

  it('refuses an abstract class and suggests concrete ones', async () => {
    const r = await createCi({ className: 'Hardware', name: `${key}-abstract` });
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'className' });
    expect(r.message).toMatch(/abstract/);
  });

  it('refuses a CPU count that is not a number, naming attributes.cpuCount', async () => {
    const r = await createCi({ className: 'LinuxServer', name: `${key}-bad-cpu`, attributes: { cpuCount: 'many' } });
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'attributes.cpuCount' });
    expect(r.message).toMatch(/integer/);
  });

  it('refuses an attribute the class does not have, naming it', async () => {
    const r = await createCi({ className: 'LinuxServer', name: `${key}-bad-attr`, attributes: { flavour: 'vanilla' } });
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'attributes.flavour' });
  });

  it('refuses a second server with the same serial number as a conflict naming the existing one', async () => {
    const r = await createCi({ className: 'WindowsServer', name: `${key}-dup`, attributes: { serialNumber: serial() } });
    expect(r).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'attributes.serialNumber', existingId: serverId });
    const none = await cis({ filter: { nameContains: `${key}-dup` } });
    expect(none.totalCount).toBe(0);
  });

  it('reports NotFoundError for updateCi, retireCi and setOwner on a CI that does not exist', async () => {
    const missing = `ci_${key}_missing`;
    const up = await updateCi({ id: missing, description: 'x' });
    expect(up).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', id: missing, field: 'id' });
    const r = await app.data<{ retireCi: TypedError; setOwner: TypedError }>(
      `mutation ($id: ID!, $team: ID) {
         retireCi(id: $id) { __typename ${ERROR_FIELDS} }
         setOwner(ciId: $id, teamId: $team) { __typename ${ERROR_FIELDS} }
       }`,
      { id: missing, team: teamId },
    );
    expect(r.retireCi).toMatchObject({ __typename: 'NotFoundError', id: missing });
    expect(r.setOwner).toMatchObject({ __typename: 'NotFoundError', id: missing, field: 'ciId' });
  });

  it('refuses a relationship type the class model does not allow between the two classes, and a self-relationship', async () => {
    const bs = await createOk({ className: 'BusinessService', name: `${key}-rel-bs` });
    const wrong = await relate('relateCis', serverId, bs, 'RUNS_ON');
    expect(wrong).toMatchObject({ __typename: 'ValidationError', field: 'type' });
    expect(wrong.message).toMatch(/RUNS_ON is not allowed from LinuxServer to BusinessService/);
    const self = await relate('relateCis', bs, bs, 'DEPENDS_ON');
    expect(self).toMatchObject({ __typename: 'ValidationError', field: 'toId' });
    const missing = await relate('relateCis', bs, `ci_${key}_nope`, 'DEPENDS_ON');
    expect(missing).toMatchObject({ __typename: 'NotFoundError', field: 'toId' });
  });

  it('moves ownership with setOwner and clears it with a null team', async () => {
    const other = await createTeam(`${key}-other-team`);
    const q = `mutation ($id: ID!, $team: ID) { setOwner(ciId: $id, teamId: $team) {
      __typename ... on MutationSetOwnerSuccess { data { changedFields ci { owner { name } } } } ${ERROR_FIELDS} } }`;
    const moved = await app.data<{ setOwner: { data: { ci: { owner: { name: string } | null } } } }>(q, { id: serverId, team: other });
    expect(moved.setOwner.data.ci.owner).toEqual({ name: `${key}-other-team` });
    const cleared = await app.data<{ setOwner: { data: { ci: { owner: null } } } }>(q, { id: serverId, team: null });
    expect(cleared.setOwner.data.ci.owner).toBeNull();
    const back = await app.data<{ setOwner: { data: { ci: { owner: { name: string } } } } }>(q, { id: serverId, team: teamId });
    expect(back.setOwner.data.ci.owner).toEqual({ name: `${key}-platform` });
  });
});

describe('updating and retiring', () => {
  it('reports the changed field, and no change when the same value is sent again', async () => {
    const id = await createOk({ className: 'LinuxServer', name: `${key}-upd-01`, attributes: { cpuCount: 4, serialNumber: `${key}-SN-upd` } });
    const first = await updateCi({ id, attributes: { cpuCount: 16 }, description: 'bigger box' });
    expect(first.__typename).toBe('MutationUpdateCiSuccess');
    expect([...first.data!.changedFields].sort()).toEqual(['cpuCount', 'description']);
    const again = await updateCi({ id, attributes: { cpuCount: 16 }, description: 'bigger box' });
    expect(again.data!.changedFields).toEqual([]);
    const r = await app.data<{ ci: { cpuCount: number; description: string; history: { action: string; changes: { field: string; before: unknown; after: unknown }[] }[] } }>(
      `query ($id: ID!) { ci(id: $id) { description ... on LinuxServer { cpuCount } history { action changes { field before after } } } }`,
      { id },
    );
    expect(r.ci.cpuCount).toBe(16);
    expect(r.ci.description).toBe('bigger box');
    expect(r.ci.history.filter((h) => h.action === 'update')).toHaveLength(1);
    expect(r.ci.history.find((h) => h.action === 'update')!.changes).toContainEqual({ field: 'cpuCount', before: 4, after: 16 });
  });

  it('refuses a bad value on update, naming the attribute, and keeps the old value', async () => {
    const id = await createOk({ className: 'LinuxServer', name: `${key}-upd-02`, attributes: { cpuCount: 2, serialNumber: `${key}-SN-upd2` } });
    const r = await updateCi({ id, attributes: { cpuCount: 0 } });
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'attributes.cpuCount' });
    const retiring = await updateCi({ id, lifecycle: 'RETIRED' });
    expect(retiring).toMatchObject({ __typename: 'ValidationError', field: 'lifecycle' });
    const after = await app.data<{ ci: { cpuCount: number; lifecycle: string } }>(`query ($id: ID!) { ci(id: $id) { lifecycle ... on LinuxServer { cpuCount } } }`, { id });
    expect(after.ci).toEqual({ lifecycle: 'OPERATIONAL', cpuCount: 2 });
  });

  it('keeps a retired CI: ci(id) still returns it as RETIRED and the RETIRED filter lists it', async () => {
    const id = await createOk({ className: 'Application', name: `${key}-retire-me` });
    const r = await app.data<{ retireCi: MutationResult }>(
      `mutation ($id: ID!) { retireCi(id: $id, reason: "replaced") { __typename ... on MutationRetireCiSuccess { ${CI_PAYLOAD} } ${ERROR_FIELDS} } }`,
      { id },
    );
    expect(r.retireCi.__typename).toBe('MutationRetireCiSuccess');
    expect(r.retireCi.data!.ci.lifecycle).toBe('RETIRED');
    const got = await app.data<{ ci: { id: string; lifecycle: string; history: { action: string }[] } }>(
      `query ($id: ID!) { ci(id: $id) { id lifecycle history { action } } }`,
      { id },
    );
    expect(got.ci).toMatchObject({ id, lifecycle: 'RETIRED' });
    expect(got.ci.history.map((h) => h.action)).toContain('retire');
    const retired = await cis({ filter: { lifecycles: ['RETIRED'], nameContains: key } });
    expect(retired.nodes.map((n) => n.id)).toEqual([id]);
    const operational = await cis({ filter: { lifecycles: ['OPERATIONAL'], nameContains: `${key}-retire-me` } });
    expect(operational.totalCount).toBe(0);
  });
});

describe('relationships', () => {
  it('relates an application to its server, lists it OUT from the app and IN on the server, then removes it', async () => {
    const app1 = await createOk({ className: 'Application', name: `${key}-rel-app` });
    const host = await createOk({ className: 'LinuxServer', name: `${key}-rel-host`, attributes: { serialNumber: `${key}-SN-rel` } });
    const created = await relate('relateCis', app1, host, 'RUNS_ON');
    expect(created).toMatchObject({ __typename: 'MutationRelateCisSuccess', data: { created: true } });
    const again = await relate('relateCis', app1, host, 'RUNS_ON');
    expect(again).toMatchObject({ __typename: 'MutationRelateCisSuccess', data: { created: false } });

    const q = `query ($a: ID!, $h: ID!) {
      a: ci(id: $a) { out: relationships(direction: OUT) { id type from { id } to { id name } sources } in: relationships(direction: IN) { id } }
      h: ci(id: $h) { in: relationships(direction: IN) { type from { name } } out: relationships(direction: OUT) { id } }
    }`;
    type Rels = { a: { out: { id: string; type: string; to: { id: string; name: string }; sources: string[] }[]; in: unknown[] }; h: { in: { type: string; from: { name: string } }[]; out: unknown[] } };
    const r = await app.data<Rels>(q, { a: app1, h: host });
    expect(r.a.out).toEqual([{ id: `${app1}:RUNS_ON:${host}`, type: 'RUNS_ON', from: { id: app1 }, to: { id: host, name: `${key}-rel-host` }, sources: ['manual'] }]);
    expect(r.a.in).toEqual([]);
    expect(r.h.in).toEqual([{ type: 'RUNS_ON', from: { name: `${key}-rel-app` } }]);
    expect(r.h.out).toEqual([]);

    const removed = await relate('unrelateCis', app1, host, 'RUNS_ON');
    expect(removed.__typename).toBe('MutationUnrelateCisSuccess');
    const after = await app.data<Rels>(q, { a: app1, h: host });
    expect(after.a.out).toEqual([]);
    expect(after.h.in).toEqual([]);
    const twice = await relate('unrelateCis', app1, host, 'RUNS_ON');
    expect(twice.__typename).toBe('NotFoundError');
    const hist = await app.data<{ ci: { history: { action: string }[] } }>(`query ($a: ID!) { ci(id: $a) { history { action } } }`, { a: app1 });
    expect(hist.ci.history.map((h) => h.action)).toEqual(expect.arrayContaining(['relate', 'unrelate']));
  });
});

describe('listing CIs', () => {
  const f = () => `${key}-f-`;
  let teamA: string;
  let ids: Record<string, string>;

  beforeAll(async () => {
    teamA = `${key}-f-team-a`;
    const p = await upsert(app, {
      source: `${key}-list`,
      teams: [{ name: teamA }, { name: `${key}-f-team-b` }],
      items: [
        { ref: 'lnx', className: 'LinuxServer', name: `${f()}lnx`, environment: 'PRODUCTION', criticality: 1, owner: teamA, attributes: { hostname: `${key}flnx`, serialNumber: `${key}-SN-f1` } },
        { ref: 'win', className: 'WindowsServer', name: `${f()}win`, environment: 'STAGING', criticality: 2, owner: `${key}-f-team-b`, attributes: { hostname: `${key}fwin`, serialNumber: `${key}-SN-f2` } },
        { ref: 'sw', className: 'Switch', name: `${f()}switch`, environment: 'PRODUCTION', criticality: 3, attributes: { serialNumber: `${key}-SN-f3` } },
        { ref: 'bs', className: 'BusinessService', name: `${f()}shop`, environment: 'PRODUCTION', criticality: 1, owner: teamA },
        { ref: 'ms', className: 'Microservice', name: `${f()}cart`, environment: 'DEVELOPMENT', lifecycle: 'MAINTENANCE' },
      ],
    });
    ids = idsByRef(p);
    expect(p.counts.created).toBe(5);
  });

  const byFilter = async (filter: Record<string, unknown>) => names(await cis({ filter: { nameContains: f(), ...filter } })).sort();

  it('matches a class at any level: Server finds Linux and Windows servers, Hardware also the switch', async () => {
    expect(await byFilter({ classes: ['Server'] })).toEqual([`${f()}lnx`, `${f()}win`]);
    expect(await byFilter({ classes: ['Hardware'] })).toEqual([`${f()}lnx`, `${f()}switch`, `${f()}win`]);
    expect(await byFilter({ classes: ['LinuxServer', 'Service'] })).toEqual([`${f()}lnx`, `${f()}shop`]);
  });

  it('filters by environment, lifecycle, criticality, owner team, stale and attribute value', async () => {
    expect(await byFilter({ environments: ['PRODUCTION'] })).toEqual([`${f()}lnx`, `${f()}shop`, `${f()}switch`]);
    expect(await byFilter({ lifecycles: ['MAINTENANCE'] })).toEqual([`${f()}cart`]);
    expect(await byFilter({ criticalities: [1] })).toEqual([`${f()}lnx`, `${f()}shop`]);
    expect(await byFilter({ ownerTeamNames: [teamA] })).toEqual([`${f()}lnx`, `${f()}shop`]);
    expect(await byFilter({ stale: false })).toHaveLength(5);
    expect(await byFilter({ stale: true })).toEqual([]);
    expect(await byFilter({ attributes: [{ name: 'hostname', value: `${key}fwin` }] })).toEqual([`${f()}win`]);
    expect(await byFilter({ classes: ['Server'], environments: ['PRODUCTION'] })).toEqual([`${f()}lnx`]);
    const byIds = await cis({ filter: { ids: [ids.sw, ids.bs] } });
    expect(names(byIds).sort()).toEqual([`${f()}shop`, `${f()}switch`]);
  });

  it('names the filter field when a class or attribute is unknown', async () => {
    const r = await app.gql(`{ cis(filter: { classes: ["Toaster"] }) { totalCount } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'classes' });
    const a = await app.gql(`{ cis(filter: { attributes: [{ name: "flavour", value: "x" }] }) { totalCount } }`);
    expect(a.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'filter.attributes[0].name' });
  });

  it('orders by name both ways and by criticality with unknown criticality last', async () => {
    const asc = await cis({ filter: { nameContains: f() }, orderBy: { field: 'NAME', direction: 'ASC' } });
    expect(names(asc)).toEqual([`${f()}cart`, `${f()}lnx`, `${f()}shop`, `${f()}switch`, `${f()}win`]);
    const desc = await cis({ filter: { nameContains: f() }, orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(names(desc)).toEqual([...names(asc)].reverse());
    const crit = await cis({ filter: { nameContains: f() }, orderBy: { field: 'CRITICALITY' } });
    expect(crit.nodes.map((n) => n.criticality)).toEqual([1, 1, 2, 3, null]);
    const critDesc = await cis({ filter: { nameContains: f() }, orderBy: { field: 'CRITICALITY', direction: 'DESC' } });
    expect(critDesc.nodes.map((n) => n.criticality)).toEqual([null, 3, 2, 1, 1]);
  });

  it('lists only the services of a kind with services(kind:)', async () => {
    const r = await app.data<{ business: Conn; app: Conn; all: Conn }>(
      `query ($f: CiFilter) {
         business: services(kind: BUSINESS, filter: $f) { ${CONN} }
         app: services(kind: APPLICATION, filter: $f) { ${CONN} }
         all: services(filter: $f) { ${CONN} }
       }`,
      { f: { nameContains: f() } },
    );
    expect(r.business.nodes).toEqual([{ id: ids.bs, name: `${f()}shop`, className: 'BusinessService', criticality: 1 }]);
    expect(r.app.totalCount).toBe(0);
    expect(names(r.all)).toEqual([`${f()}shop`]);
  });

  it('lists teams and what each owns', async () => {
    const r = await app.data<{ teams: { id: string; name: string }[] }>(`{ teams { id name } }`);
    const mine = r.teams.filter((t) => t.name.startsWith(`${key}-f-team`));
    expect(mine.map((t) => t.name)).toEqual([`${key}-f-team-a`, `${key}-f-team-b`]);
    const a = mine[0]!;
    const t = await app.data<{ team: { name: string; owns: Conn } }>(
      `query ($id: ID!) { team(id: $id) { name owns(orderBy: { field: NAME }) { ${CONN} } } }`,
      { id: a.id },
    );
    expect(t.team.owns.totalCount).toBe(2);
    expect(names(t.team.owns)).toEqual([`${f()}lnx`, `${f()}shop`]);
    const none = await app.data<{ team: null }>(`{ team(id: "team_${key}_none") { name } }`);
    expect(none.team).toBeNull();
  });

  it('finds a CI by a word of its name and by the start of its hostname', async () => {
    const s = await upsert(app, {
      source: `${key}-list`,
      items: [{ ref: 'q', className: 'LinuxServer', name: `${key}-quasar gateway`, attributes: { hostname: `${key}zephyr42`, serialNumber: `${key}-SN-search` } }],
    });
    const id = idsByRef(s).q!;
    const q = `query ($text: String!) { search(text: $text) { score ci { id name } } }`;
    const byWord = await app.data<{ search: { ci: { id: string } }[] }>(q, { text: `${key} quasar` });
    expect(byWord.search.map((h) => h.ci.id)).toContain(id);
    const byPrefix = await app.data<{ search: { ci: { id: string } }[] }>(q, { text: `${key}zeph` });
    expect(byPrefix.search.map((h) => h.ci.id)).toEqual([id]);
    const nothing = await app.data<{ search: unknown[] }>(q, { text: `${key}nothinglikethis` });
    expect(nothing.search).toEqual([]);
  });
});

describe('pages of CIs', () => {
  const p = () => `${key}-page-`;
  const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  beforeAll(async () => {
    await upsert(app, {
      source: `${key}-list`,
      items: letters.map((l) => ({ className: 'Application', name: `${p()}${l}` })),
    });
  });
  const filter = () => ({ nameContains: p() });

  it('walks forward in pages of 3: first, middle and last page with the right page info', async () => {
    const first = await cis({ filter: filter(), first: 3 });
    expect(first.totalCount).toBe(7);
    expect(names(first)).toEqual(['a', 'b', 'c'].map((l) => p() + l));
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.startCursor).toBe(first.edges[0]!.cursor);
    expect(first.pageInfo.endCursor).toBe(first.edges[2]!.cursor);

    const middle = await cis({ filter: filter(), first: 3, after: first.pageInfo.endCursor });
    expect(names(middle)).toEqual(['d', 'e', 'f'].map((l) => p() + l));
    expect(middle.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(middle.totalCount).toBe(7);

    const last = await cis({ filter: filter(), first: 3, after: middle.pageInfo.endCursor });
    expect(names(last)).toEqual([p() + 'g']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('walks forward by name descending', async () => {
    const first = await cis({ filter: filter(), first: 3, orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(names(first)).toEqual(['g', 'f', 'e'].map((l) => p() + l));
    const next = await cis({ filter: filter(), first: 3, after: first.pageInfo.endCursor, orderBy: { field: 'NAME', direction: 'DESC' } });
    expect(names(next)).toEqual(['d', 'c', 'b'].map((l) => p() + l));
  });

  it('walks backward with last/before', async () => {
    const end = await cis({ filter: filter(), last: 3 });
    expect(names(end)).toEqual(['e', 'f', 'g'].map((l) => p() + l));
    expect(end.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = await cis({ filter: filter(), last: 3, before: end.pageInfo.startCursor });
    expect(names(before)).toEqual(['b', 'c', 'd'].map((l) => p() + l));
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const start = await cis({ filter: filter(), last: 3, before: before.pageInfo.startCursor });
    expect(names(start)).toEqual([p() + 'a']);
    expect(start.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it('returns an empty page with totalCount 0 when nothing matches', async () => {
    const none = await cis({ filter: { nameContains: `${key}-nothing-matches` }, first: 3 });
    expect(none).toEqual({
      totalCount: 0,
      nodes: [],
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('refuses a cursor it did not hand out, naming after', async () => {
    const r = await app.gql(`query ($after: String) { cis(first: 3, after: $after) { totalCount } }`, { after: 'not-a-cursor' });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'after' });
    const both = await app.gql(`{ cis(first: 3, last: 3) { totalCount } }`);
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'last' });
    const big = await app.gql(`{ cis(first: 501) { totalCount } }`);
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', field: 'first' });
  });
});

describe('bulk upsert', () => {
  const batch = () => ({
    source: `${key}-disc`,
    teams: [{ name: `${key}-up-team`, slackChannel: '#up' }],
    items: [
      { ref: 'host', className: 'LinuxServer', name: `${key}-up-host`, owner: `${key}-up-team`, attributes: { serialNumber: `${key}-SN-up`, cpuCount: 4 } },
      { ref: 'app', className: 'Application', name: `${key}-up-app`, owner: `${key}-up-team` },
      { ref: 'db', className: 'Database', name: `${key}-up-db`, attributes: { databaseName: 'orders', engine: 'postgresql' } },
    ],
    relationships: [
      { type: 'RUNS_ON', from: { ref: 'app' }, to: { ref: 'host' } },
      { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'host' } },
      { type: 'DEPENDS_ON', from: { ref: 'app' }, to: { ref: 'db' } },
    ],
  });

  it('creates teams, items and relationships by ref, then reports all UNCHANGED for the same batch again', async () => {
    const first = await upsert(app, batch());
    expect(first.dryRun).toBe(false);
    expect(first.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    expect(first.relationships.map((r) => r.status)).toEqual(['CREATED', 'CREATED', 'CREATED']);
    expect(first.counts).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 0 });
    const ids = idsByRef(first);
    expect(first.relationships[0]).toMatchObject({ fromId: ids.app, toId: ids.host });

    const second = await upsert(app, batch());
    expect(second.items.map((i) => i.status)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(second.items.map((i) => i.id)).toEqual([ids.host, ids.app, ids.db]);
    expect(second.relationships.map((r) => r.status)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(second.counts).toEqual({ created: 0, updated: 0, unchanged: 3, rejected: 0 });

    const r = await app.data<{ ci: { owner: { name: string; slackChannel: string }; sources: string[]; relationships: { type: string; to: { id: string } }[] } }>(
      `query ($id: ID!) { ci(id: $id) { sources owner { name slackChannel } relationships(direction: OUT) { type to { id } } } }`,
      { id: ids.app },
    );
    expect(r.ci.owner).toEqual({ name: `${key}-up-team`, slackChannel: '#up' });
    expect(r.ci.sources).toEqual([`${key}-disc`]);
    expect(r.ci.relationships.map((x) => `${x.type}:${x.to.id}`).sort()).toEqual([`DEPENDS_ON:${ids.db}`, `RUNS_ON:${ids.host}`].sort());
    const listed = await cis({ filter: { nameContains: `${key}-up-` } });
    expect(listed.totalCount).toBe(3);
  });

  it('reports an update of one field as UPDATED with the field named', async () => {
    const b = batch();
    b.items[0]!.attributes = { serialNumber: `${key}-SN-up`, cpuCount: 8 };
    const r = await upsert(app, b);
    expect(r.items.map((i) => i.status)).toEqual(['UPDATED', 'UNCHANGED', 'UNCHANGED']);
    expect(r.items[0]!.changedFields).toEqual(['cpuCount']);
  });

  it('reports what a dry run would do and writes nothing', async () => {
    const r = await upsert(app, {
      source: `${key}-disc`,
      dryRun: true,
      teams: [{ name: `${key}-dry-team` }],
      items: [
        { ref: 'a', className: 'Application', name: `${key}-dry-app`, owner: `${key}-dry-team` },
        { ref: 'h', className: 'LinuxServer', name: `${key}-up-host`, attributes: { serialNumber: `${key}-SN-up`, cpuCount: 32 } },
      ],
      relationships: [{ type: 'RUNS_ON', from: { ref: 'a' }, to: { ref: 'h' } }],
    });
    expect(r.dryRun).toBe(true);
    expect(r.items.map((i) => i.status)).toEqual(['CREATED', 'UPDATED']);
    expect(r.items[1]!.changedFields).toEqual(['cpuCount']);
    expect(r.relationships.map((x) => x.status)).toEqual(['CREATED']);
    expect((await cis({ filter: { nameContains: `${key}-dry-` } })).totalCount).toBe(0);
    const host = await app.data<{ cis: { nodes: { cpuCount: number }[] } }>(
      `query ($f: CiFilter) { cis(filter: $f) { nodes { ... on LinuxServer { cpuCount } } } }`,
      { f: { nameContains: `${key}-up-host` } },
    );
    expect(host.cis.nodes).toEqual([{ cpuCount: 8 }]);
    const teams = await app.data<{ teams: { name: string }[] }>(`{ teams { name } }`);
    expect(teams.teams.map((t) => t.name)).not.toContain(`${key}-dry-team`);
  });

  it('reports a rejected item with its field and still commits the rest of the batch', async () => {
    const r = await upsert(app, {
      source: `${key}-disc`,
      items: [
        { ref: 'ok', className: 'Application', name: `${key}-rej-ok` },
        { ref: 'bad', className: 'LinuxServer', name: `${key}-rej-bad`, attributes: { serialNumber: `${key}-SN-rej`, cpuCount: 'many' } },
        { ref: 'abs', className: 'Software', name: `${key}-rej-abstract` },
      ],
      relationships: [{ type: 'RUNS_ON', from: { ref: 'ok' }, to: { ref: 'bad' } }],
    });
    expect(r.items.map((i) => i.status)).toEqual(['CREATED', 'REJECTED', 'REJECTED']);
    expect(r.items[1]!.errors).toEqual([{ field: 'attributes.cpuCount', reason: expect.stringMatching(/integer/) }]);
    expect(r.items[2]!.errors[0]!.field).toBe('className');
    expect(r.relationships[0]).toMatchObject({ status: 'REJECTED', errors: [{ field: 'to' }] });
    expect(r.counts).toMatchObject({ created: 1, rejected: 2 });
    expect(names(await cis({ filter: { nameContains: `${key}-rej-` } }))).toEqual([`${key}-rej-ok`]);
  });

  it('rejects a relationship the class model does not allow, keeping the items', async () => {
    const r = await upsert(app, {
      source: `${key}-disc`,
      items: [
        { ref: 'bs', className: 'BusinessService', name: `${key}-relrej-bs` },
        { ref: 'h', className: 'LinuxServer', name: `${key}-relrej-host`, attributes: { serialNumber: `${key}-SN-relrej` } },
      ],
      relationships: [
        { type: 'HOSTED_ON', from: { ref: 'bs' }, to: { ref: 'h' } },
        { type: 'DEPENDS_ON', from: { ref: 'bs' }, to: { ref: 'bs' } },
      ],
    });
    expect(r.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    expect(r.relationships.map((x) => x.status)).toEqual(['REJECTED', 'REJECTED']);
    expect(r.relationships[0]!.errors[0]).toMatchObject({ field: 'type', reason: expect.stringMatching(/HOSTED_ON is not allowed/) });
  });

  it('refuses a batch larger than RIPPLE_MAX_BATCH, naming the limit', async () => {
    const small = await startTestRipple({ RIPPLE_MAX_BATCH: '5' });
    try {
      const r = await upsertRaw(small, {
        source: `${key}-disc`,
        items: Array.from({ length: 6 }, (_, i) => ({ className: 'Application', name: `${key}-big-${i}` })),
      });
      expect(r).toMatchObject({ __typename: 'ValidationError', field: 'input' });
      expect((r as TypedError).message).toMatch(/limit is 5.*RIPPLE_MAX_BATCH/);
      expect((await cis({ filter: { nameContains: `${key}-big-` } })).totalCount).toBe(0);
      const ok = await upsertRaw(small, { source: `${key}-disc`, items: [{ className: 'Application', name: `${key}-big-ok` }] });
      expect(ok.__typename).toBe('MutationUpsertCisSuccess');
    } finally {
      await small.close();
    }
  });

  it('refuses a source name with spaces, naming source', async () => {
    const r = await upsertRaw(app, { source: `${key} bad source`, items: [] });
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'source' });
  });
});

describe('batched reads', () => {
  const N = `${key}-n1-`;
  beforeAll(async () => {
    const count = 30;
    await upsert(app, {
      source: `${key}-n1`,
      teams: [{ name: `${key}-n1-team` }],
      items: Array.from({ length: count }, (_, i) => ({
        ref: `s${i}`,
        className: 'Microservice',
        name: `${N}${String(i).padStart(2, '0')}`,
        owner: `${key}-n1-team`,
      })),
      relationships: Array.from({ length: count }, (_, i) => [
        { type: 'DEPENDS_ON', from: { ref: `s${i}` }, to: { ref: `s${(i + 1) % count}` } },
        { type: 'DEPENDS_ON', from: { ref: `s${i}` }, to: { ref: `s${(i + 2) % count}` } },
      ]).flat(),
    });
  });

  it('costs the same few Cypher queries for 10 or 30 CIs with owners and relationships (no N+1)', async () => {
    const q = `query ($first: Int, $f: CiFilter) { cis(first: $first, filter: $f) {
      nodes { name owner { name } relationships(direction: OUT) { type to { name } } } } }`;
    type R = { cis: { nodes: { name: string; owner: { name: string }; relationships: { to: { name: string } }[] }[] } };
    const ten = await app.gql<R>(q, { first: 10, f: { nameContains: N } });
    const thirty = await app.gql<R>(q, { first: 30, f: { nameContains: N } });
    expect(ten.errors).toBeUndefined();
    expect(thirty.errors).toBeUndefined();
    expect(ten.data!.cis.nodes).toHaveLength(10);
    expect(thirty.data!.cis.nodes).toHaveLength(30);
    for (const n of thirty.data!.cis.nodes) {
      expect(n.owner).toEqual({ name: `${key}-n1-team` });
      expect(n.relationships).toHaveLength(2);
    }
    const first = thirty.data!.cis.nodes[0]!;
    expect(first.relationships.map((r) => r.to.name).sort()).toEqual([`${N}01`, `${N}02`]);
    const c10 = ten.extensions?.cypherQueries;
    const c30 = thirty.extensions?.cypherQueries;
    console.info(`cypherQueries for 10 CIs: ${c10}, for 30 CIs: ${c30}`);
    expect(c10).toBeGreaterThan(0);
    expect(c30).toBe(c10);
    expect(c30).toBeLessThanOrEqual(6);
  });
});
