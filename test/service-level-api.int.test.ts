// Service level management over HTTP: levels set on business and application services, availability and error
// budget measured from incidents' impact intervals (overlaps once, service hours), services at risk first, and
// the change risk factors a spent budget and service hours add. Estate: a business service over an application
// service over a Microservice on a KubernetesWorkload and a Database, each with its owner, as discovery sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTagged, idsByRef, upsert } from './helpers/ci-fixtures';
import { ASSESSMENT, deleteItsmTagged, mutate, mutateOk, windows, type Assessment } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

interface Level {
  serviceId: string;
  name: string;
  origin: string;
  targetPercent: number;
  period: string;
  timeZone: string;
  serviceHours: { days: number[]; start: string; end: string } | null;
  periodStart: string;
  serviceMinutes: number;
  elapsedServiceMinutes: number;
  downMinutes: number;
  consumedMinutes: number;
  availabilityPercent: number;
  budgetMinutes: number;
  budgetLeftMinutes: number;
  budgetLeftPercent: number;
  burnRate: number;
  status: 'BREACHED' | 'AT_RISK' | 'MET';
  incidents: { incidentId: string; number: string; consumedMinutes: number; share: number }[];
}
interface Incident {
  id: string;
  openedAt: string;
  resolvedAt: string | null;
}

const LEVEL = `serviceId name origin targetPercent period timeZone serviceHours { days start end } periodStart serviceMinutes
  elapsedServiceMinutes downMinutes consumedMinutes availabilityPercent budgetMinutes budgetLeftMinutes budgetLeftPercent
  burnRate status incidents { incidentId number consumedMinutes share }`;
const INCIDENT = 'id openedAt resolvedAt';
const ALICE = 'alice';
const BOB = 'bob';
const MINUTE = 60_000;

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const week = windows();

const setLevel = (serviceId: string, input: Record<string, unknown>) =>
  mutate<Level>(app, ALICE, 'setServiceLevel', 'serviceId: $serviceId, input: $input', LEVEL, { serviceId, input }, '$serviceId: ID!, $input: ServiceLevelInput!');
async function setLevelOk(ref: string, input: Record<string, unknown>): Promise<Level> {
  const r = await setLevel(id[ref]!, input);
  expect(r.__typename, JSON.stringify(r)).toBe('MutationSetServiceLevelSuccess');
  return r.data!;
}
async function levels(refs: string[]): Promise<Level[]> {
  return (await app.data<{ serviceLevels: Level[] }>(`query ($ids: [ID!]) { serviceLevels(serviceIds: $ids) { ${LEVEL} } }`, { ids: refs.map((r) => id[r]) })).serviceLevels;
}
const levelOf = async (ref: string) => (await levels([ref]))[0]!;
const openIncident = (title: string, ref: string) =>
  mutateOk<Incident>(app, ALICE, 'openIncident', 'input: $input', INCIDENT, { input: { title: n(title), severity: 'SEV2', failed: [{ id: id[ref] }] } }, '$input: OpenIncidentInput!');
const resolveIncident = (incidentId: string) => mutateOk<Incident>(app, ALICE, 'resolveIncident', 'id: $id', INCIDENT, { id: incidentId }, '$id: ID!');
const ms = (iso: string) => Date.parse(iso);

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const estate = await upsert(app, {
    source: n('k8s'),
    teams: [{ name: n('checkout-team') }, { name: n('dba-team') }, { name: n('ops-team') }],
    items: [
      { ref: 'shop', className: 'BusinessService', name: n('shop'), criticality: 1, environment: 'PRODUCTION', owner: n('checkout-team'), attributes: { availabilityTarget: 99.5 } },
      { ref: 'checkout', className: 'ApplicationService', name: n('checkout'), criticality: 1, environment: 'PRODUCTION', owner: n('checkout-team') },
      { ref: 'api', className: 'Microservice', name: n('checkout-api'), owner: n('checkout-team') },
      { ref: 'wl', className: 'KubernetesWorkload', name: n('checkout-api-wl'), owner: n('checkout-team'), attributes: { namespace: n('shop'), workloadName: 'checkout-api', kind: 'Deployment' } },
      { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), owner: n('ops-team'), attributes: { clusterName: n('k8s-prod') } },
      { ref: 'dbvm', className: 'VirtualMachine', name: n('orders-db-vm'), owner: n('dba-team'), attributes: { vmUuid: n('orders-db-vm') } },
      { ref: 'db', className: 'Database', name: n('orders-db'), owner: n('dba-team'), attributes: { databaseName: 'orders', engine: 'postgresql' } },
      // Two services over one queue worker: one promised around the clock, one only in hours that exclude now.
      { ref: 'worker', className: 'Microservice', name: n('report-worker'), owner: n('ops-team') },
      { ref: 'reports', className: 'ApplicationService', name: n('reports'), criticality: 3, environment: 'PRODUCTION', owner: n('ops-team') },
      { ref: 'backoffice', className: 'ApplicationService', name: n('backoffice'), criticality: 3, environment: 'PRODUCTION', owner: n('ops-team') },
      // A service whose tiny budget one short incident spends, and one with office hours, for change assessment.
      { ref: 'ledger', className: 'Microservice', name: n('ledger-api'), owner: n('ops-team') },
      { ref: 'payments', className: 'ApplicationService', name: n('payments'), criticality: 2, environment: 'PRODUCTION', owner: n('ops-team') },
      { ref: 'fx', className: 'Microservice', name: n('fx-rates'), owner: n('ops-team') },
      { ref: 'trading', className: 'ApplicationService', name: n('trading'), criticality: 2, environment: 'PRODUCTION', owner: n('ops-team') },
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'shop' }, to: { ref: 'checkout' } },
      { type: 'DEPENDS_ON', from: { ref: 'checkout' }, to: { ref: 'api' } },
      { type: 'RUNS_ON', from: { ref: 'api' }, to: { ref: 'wl' } },
      { type: 'RUNS_ON', from: { ref: 'wl' }, to: { ref: 'kc' } },
      { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'dbvm' } },
      { type: 'DEPENDS_ON', from: { ref: 'api' }, to: { ref: 'db' } },
      { type: 'DEPENDS_ON', from: { ref: 'reports' }, to: { ref: 'worker' } },
      { type: 'DEPENDS_ON', from: { ref: 'backoffice' }, to: { ref: 'worker' } },
      { type: 'DEPENDS_ON', from: { ref: 'payments' }, to: { ref: 'ledger' } },
      { type: 'DEPENDS_ON', from: { ref: 'trading' }, to: { ref: 'fx' } },
    ],
  });
  id = idsByRef(estate);
});

afterAll(async () => {
  if (!app) return;
  await app.db.write((tx) => tx.run('MATCH (l:ServiceLevel) WHERE l.serviceId IN $ids DETACH DELETE l', { ids: Object.values(id) }));
  await deleteItsmTagged(app);
  await deleteTagged(app);
  await app.close();
});

describe('setting a service level', () => {
  it('sets a monthly target on an application service and reports a whole budget before any incident', async () => {
    const l = await setLevelOk('checkout', { targetPercent: 99.9 });
    expect(l).toMatchObject({ origin: 'LEVEL', targetPercent: 99.9, period: 'MONTH', timeZone: 'UTC', serviceHours: null, downMinutes: 0, budgetLeftPercent: 100, status: 'MET' });
    expect(l.budgetMinutes).toBeCloseTo(l.serviceMinutes * 0.001, 6);
  });

  it("reads a business service's availabilityTarget attribute as its monthly level when none was set", async () => {
    expect(await levelOf('shop')).toMatchObject({ origin: 'ATTRIBUTE', targetPercent: 99.5, period: 'MONTH' });
  });

  it('refuses a level on a Microservice, an unknown time zone, a 100% target and an unknown service, naming the field', async () => {
    expect(await setLevel(id.api!, { targetPercent: 99 })).toMatchObject({ __typename: 'ValidationError', field: 'serviceId' });
    expect(await setLevel(id.checkout!, { targetPercent: 99, timeZone: 'Moon/Base' })).toMatchObject({ __typename: 'ValidationError', field: 'timeZone' });
    expect(await setLevel(id.checkout!, { targetPercent: 100 })).toMatchObject({ __typename: 'ValidationError', field: 'targetPercent' });
    expect(await setLevel(id.checkout!, { targetPercent: 99, serviceHours: { days: [1], start: '9', end: '17:00' } })).toMatchObject({ field: 'serviceHours.start' });
    expect(await setLevel(`${key}-missing`, { targetPercent: 99 })).toMatchObject({ __typename: 'NotFoundError', field: 'serviceId' });
    // Nothing partial: the refused inputs left the level as it was.
    expect(await levelOf('checkout')).toMatchObject({ targetPercent: 99.9, timeZone: 'UTC' });
  });
});

describe('two overlapping incidents on the stack under one service', () => {
  let a: Incident;
  let b: Incident;
  beforeAll(async () => {
    a = await openIncident('orders-db down', 'db');
    await sleep(400);
    b = await openIncident('checkout pods crash-looping', 'wl');
    await sleep(400);
    a = await resolveIncident(a.id);
    await sleep(400);
    b = await resolveIncident(b.id);
  });

  it('counts the union of their intervals once against the target, and reports the budget left', async () => {
    const l = await levelOf('checkout');
    const union = ms(b.resolvedAt!) - ms(a.openedAt);
    const sum = ms(a.resolvedAt!) - ms(a.openedAt) + (ms(b.resolvedAt!) - ms(b.openedAt));
    expect(l.downMinutes * MINUTE).toBeCloseTo(union, 0);
    expect(union).toBeLessThan(sum - 300);
    expect(l.budgetLeftMinutes).toBeCloseTo(l.budgetMinutes - union / MINUTE, 6);
    expect(l.availabilityPercent).toBeCloseTo(100 * (1 - union / MINUTE / l.elapsedServiceMinutes), 9);
    expect(l.availabilityPercent).toBeLessThan(100);
    expect(l.budgetLeftPercent).toBeLessThan(100);
  });

  it('lists both incidents with their shares of the budget consumed', async () => {
    const l = await levelOf('checkout');
    expect(l.incidents.map((i) => i.incidentId).sort()).toEqual([a.id, b.id].sort());
    expect(l.incidents.reduce((s, i) => s + i.share, 0)).toBeCloseTo(1, 9);
    expect(l.incidents.reduce((s, i) => s + i.consumedMinutes, 0)).toBeCloseTo(l.consumedMinutes, 9);
  });

  it('charges the business service above through the same intervals', async () => {
    const shop = await levelOf('shop');
    expect(shop.downMinutes * MINUTE).toBeCloseTo(ms(b.resolvedAt!) - ms(a.openedAt), 0);
  });
});

describe('service hours', () => {
  let inc: Incident;
  beforeAll(async () => {
    // Hours that start three hours from now and last three: the incident below falls outside them.
    const h = (new Date().getUTCHours() + 3) % 24;
    const hh = (x: number) => `${String(x % 24).padStart(2, '0')}:00`;
    await setLevelOk('backoffice', { targetPercent: 99.9, serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], start: hh(h), end: hh(h + 3) } });
    await setLevelOk('reports', { targetPercent: 99.9 });
    inc = await openIncident('report worker stuck', 'worker');
    await sleep(300);
    inc = await resolveIncident(inc.id);
  });

  it('leaves the budget of a service whose hours exclude the incident untouched, while one promised around the clock pays', async () => {
    const [backoffice, reports] = [await levelOf('backoffice'), await levelOf('reports')];
    expect(reports.downMinutes * MINUTE).toBeCloseTo(ms(inc.resolvedAt!) - ms(inc.openedAt), 0);
    expect(reports.downMinutes).toBeGreaterThan(0);
    expect(backoffice).toMatchObject({ downMinutes: 0, consumedMinutes: 0, budgetLeftPercent: 100, status: 'MET', incidents: [] });
    expect(backoffice.serviceMinutes).toBeLessThan(reports.serviceMinutes);
  });
});

describe('a spent error budget and service hours in change assessment', () => {
  beforeAll(async () => {
    // A week at 99.9999% is 0.6 s of budget: an incident held open for a second spends it.
    await setLevelOk('payments', { targetPercent: 99.9999, period: 'WEEK' });
    const inc = await openIncident('ledger api down', 'ledger');
    await sleep(1000);
    await resolveIncident(inc.id);
    await setLevelOk('trading', { targetPercent: 99.9, timeZone: 'Europe/London', serviceHours: { days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' } });
  });

  async function assess(ref: string, window: { plannedStart: string; plannedEnd: string }): Promise<Assessment> {
    const c = await mutateOk<{ currentAssessment: Assessment }>(
      app,
      BOB,
      'createChange',
      'input: $input',
      `currentAssessment { ${ASSESSMENT} }`,
      { input: { title: n(`change ${ref}`), type: 'NORMAL', targetIds: [id[ref]], ...window } },
      '$input: CreateChangeInput!',
    );
    return c.currentAssessment;
  }
  const factor = (a: Assessment, name: string) => a.risk.factors.find((f) => f.name === name);

  it('reports the spent budget as breached, at the top of the service levels', async () => {
    expect(await levelOf('payments')).toMatchObject({ status: 'BREACHED', budgetLeftMinutes: 0, budgetLeftPercent: 0 });
    const all = await levels(['reports', 'payments', 'checkout', 'trading']);
    expect(all[0]!.serviceId).toBe(id.payments);
  });

  it('gives a change touching that service the error budget factor, named and explained', async () => {
    const a = await assess('ledger', week(0));
    const f = factor(a, 'Error budget of impacted services')!;
    expect(f.points).toBe(20);
    expect(f.detail).toContain(n('payments'));
    expect(f.detail).toContain('No error budget left');
  });

  it('weighs the same budgets for an assessment as of now, which reads them from Neo4j instead of the read model', async () => {
    const made = await mutateOk<{ id: string }>(app, BOB, 'createChange', 'input: $input', 'id', { input: { title: n('change ledger as of'), type: 'NORMAL', targetIds: [id.ledger, id.fx], ...week(4, 36, 2) } }, '$input: CreateChangeInput!');
    const risk = 'risk { score factors { name points detail } }';
    const both = await app.data<{ change: { currentAssessment: Assessment; assessmentAsOf: Assessment } }>(
      `query ($id: ID!, $at: DateTime!) { change(id: $id) { currentAssessment { ${risk} } assessmentAsOf(at: $at) { ${risk} } } }`,
      { id: made.id, at: new Date().toISOString() },
    );
    const levelFactors = (a: Assessment) => a.risk.factors.filter((f) => f.name === 'Error budget of impacted services' || f.name === 'Service hours');
    expect(levelFactors(both.change.currentAssessment).map((f) => f.points)).toEqual([20, 5]);
    expect(levelFactors(both.change.assessmentAsOf)).toEqual(levelFactors(both.change.currentAssessment));
  });

  it('gives no error budget points to a change whose services have budget left', async () => {
    const a = await assess('fx', week(1));
    expect(factor(a, 'Error budget of impacted services')!.points).toBe(0);
  });

  it("says when a change's window falls outside a service's service hours, and charges one inside them", async () => {
    // Week windows start on Saturday 22:00 UTC; 36 hours later is Monday 10:00 in London (winter, UTC+0).
    const weekend = factor(await assess('fx', week(2)), 'Service hours')!;
    expect(weekend.points).toBe(0);
    expect(weekend.detail).toContain(`outside the service hours of ${n('trading')}`);
    const monday = factor(await assess('fx', week(3, 36, 2)), 'Service hours')!;
    expect(monday.points).toBe(5);
    expect(monday.detail).toContain(`within the service hours of ${n('trading')}`);
  });
});

describe('removing a level', () => {
  it('falls back to nothing for an application service without a target attribute', async () => {
    const r = await app.gql<{ removeServiceLevel: { __typename: string; data: boolean } }>(
      'mutation ($s: ID!) { removeServiceLevel(serviceId: $s) { __typename ... on MutationRemoveServiceLevelSuccess { data } } }',
      { s: id.reports },
      await app.headersAs(ALICE),
    );
    expect(r.data?.removeServiceLevel).toEqual({ __typename: 'MutationRemoveServiceLevelSuccess', data: true });
    expect(await levels(['reports'])).toEqual([]);
  });
});
