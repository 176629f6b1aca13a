// Change enablement over HTTP: a change's assessment (blast radius by distance, services, owners to notify, risk
// with its factors, redundancy lost, conflicts, freeze windows), the snapshot stored at submission and what moved
// since, the lifecycle with separation of duties, emergency and standard changes, what-if, and invalid input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsByRef, upsert } from './helpers/ci-fixtures';
import {
  CHANGE,
  closeTagged,
  IMPACT_REPORT,
  mutate,
  mutateOk,
  windows,
  type Assessment,
  type Change,
  type ImpactReport,
  type Result,
} from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;
const refOf = (ciId: string) => Object.entries(id).find(([, v]) => v === ciId)?.[0] ?? ciId;
/** Week i of this file's far-future planning calendar (Saturday 22:00 UTC, 4 hours, inside the maintenance window). */
const week = windows();

const ALICE = 'alice';
const BOB = 'bob';

function createChange(actor: string, input: { title: string; type: string; targetIds: string[]; plannedStart: string; plannedEnd: string; standardModelId?: string }): Promise<Result<Change>> {
  return mutate<Change>(app, actor, 'createChange', 'input: $input', CHANGE, { input }, '$input: CreateChangeInput!');
}
async function createOk(actor: string, title: string, type: string, targets: string[], window: { plannedStart: string; plannedEnd: string }): Promise<Change> {
  const r = await createChange(actor, { title: n(title), type, targetIds: targets.map((t) => id[t]!), ...window });
  expect(r.__typename, JSON.stringify(r)).toBe('MutationCreateChangeSuccess');
  return r.data!;
}
type Step = 'assessChange' | 'submitChange' | 'approveChange' | 'rejectChange' | 'scheduleChange' | 'implementChange' | 'cancelChange';
// The planning calendar is centuries ahead: implementing now is an early start, which needs its reason.
const step = (actor: string, name: Step, changeId: string) =>
  name === 'implementChange'
    ? mutate<Change>(app, actor, name, 'id: $id, earlyStartReason: $why', CHANGE, { id: changeId, why: 'test calendar is in the future' }, '$id: ID!, $why: String')
    : mutate<Change>(app, actor, name, 'id: $id', CHANGE, { id: changeId }, '$id: ID!');
async function stepOk(actor: string, name: Step, changeId: string): Promise<Change> {
  const r = await step(actor, name, changeId);
  expect(r.__typename, JSON.stringify(r)).toMatch(/Success$/);
  return r.data!;
}
async function change(changeId: string): Promise<Change> {
  return (await app.data<{ change: Change }>(`query ($id: ID!) { change(id: $id) { ${CHANGE} } }`, { id: changeId })).change;
}
const factor = (a: Assessment, name: string) => a.risk.factors.find((f) => f.name === name)!;
const ringRefs = (a: Assessment) => a.blastRadius.map((r) => [r.distance, r.cis.map((c) => refOf(c.id)).sort()]);

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const estate = await upsert(app, {
    source: n('estate'),
    teams: [{ name: n('dba-team') }, { name: n('orders-team') }, { name: n('shop-team') }],
    items: [
      { ref: 'biz', className: 'BusinessService', name: n('shop'), criticality: 1, environment: 'PRODUCTION', owner: n('shop-team') },
      { ref: 'app', className: 'ApplicationService', name: n('orders-app'), criticality: 1, environment: 'PRODUCTION', owner: n('orders-team') },
      { ref: 'cl', className: 'Cluster', name: n('orders-db-cluster'), attributes: { clusterType: 'database', redundancy: 'atLeast:2' }, owner: n('dba-team') },
      ...[1, 2, 3].flatMap((i) => [
        { ref: `db${i}`, className: 'Database', name: n(`orders-db-${i}`), attributes: { databaseName: 'orders', engine: 'postgresql' }, owner: n('dba-team') },
        { ref: `vm${i}`, className: 'VirtualMachine', name: n(`db-vm-${i}`), attributes: { vmUuid: n(`vm-uuid-${i}`) } },
      ]),
      // Lifecycle: a database and the service on it.
      { ref: 'lcDb', className: 'Database', name: n('ledger-db'), attributes: { databaseName: 'ledger', engine: 'postgresql' } },
      { ref: 'lcVm', className: 'VirtualMachine', name: n('ledger-vm'), attributes: { vmUuid: n('ledger-vm-uuid') } },
      { ref: 'lcSvc', className: 'ApplicationService', name: n('ledger'), criticality: 2, environment: 'PRODUCTION', owner: n('orders-team') },
      // Emergency and freeze.
      { ref: 'emApp', className: 'Application', name: n('payments-gateway') },
      { ref: 'emSvc', className: 'ApplicationService', name: n('payments'), criticality: 1, environment: 'PRODUCTION' },
      // Standard change on a leaf: nothing needs this VM.
      { ref: 'stdVm', className: 'VirtualMachine', name: n('spare-vm'), attributes: { vmUuid: n('spare-vm-uuid') } },
      // Conflicts: two applications behind one service.
      { ref: 'cfA', className: 'Application', name: n('search-indexer') },
      { ref: 'cfB', className: 'Application', name: n('search-api') },
      { ref: 'cfSvc', className: 'ApplicationService', name: n('search') },
      // Re-assessment.
      { ref: 'rsT', className: 'Application', name: n('auth') },
      { ref: 'rsSvc1', className: 'ApplicationService', name: n('login') },
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'biz' }, to: { ref: 'app' } },
      { type: 'DEPENDS_ON', from: { ref: 'app' }, to: { ref: 'cl' } },
      ...[1, 2, 3].flatMap((i) => [
        { type: 'HAS_MEMBER', from: { ref: 'cl' }, to: { ref: `db${i}` } },
        { type: 'RUNS_ON', from: { ref: `db${i}` }, to: { ref: `vm${i}` } },
      ]),
      { type: 'RUNS_ON', from: { ref: 'lcDb' }, to: { ref: 'lcVm' } },
      { type: 'DEPENDS_ON', from: { ref: 'lcSvc' }, to: { ref: 'lcDb' } },
      { type: 'DEPENDS_ON', from: { ref: 'emSvc' }, to: { ref: 'emApp' } },
      { type: 'DEPENDS_ON', from: { ref: 'cfSvc' }, to: { ref: 'cfA' } },
      { type: 'DEPENDS_ON', from: { ref: 'cfSvc' }, to: { ref: 'cfB' } },
      { type: 'DEPENDS_ON', from: { ref: 'rsSvc1' }, to: { ref: 'rsT' } },
    ],
  });
  id = idsByRef(estate);
});

afterAll(() => closeTagged(app));

describe('assessing a change to one database of a redundant cluster', () => {
  let c: Change;
  beforeAll(async () => {
    c = await createOk(ALICE, 'patch orders-db-1', 'NORMAL', ['db1'], week(0));
  });

  it('drafts the change with its requester, targets and window', () => {
    expect(c).toMatchObject({ title: n('patch orders-db-1'), type: 'NORMAL', status: 'DRAFT', requestedBy: ALICE, approvedBy: null, outcome: null });
    expect(c.number).toMatch(/^CHG-\d+$/);
    expect(c.targets).toEqual([{ id: id.db1 }]);
    expect(Date.parse(c.plannedStart)).toBe(Date.parse(week(0).plannedStart));
    expect(Date.parse(c.plannedEnd)).toBe(Date.parse(week(0).plannedEnd));
    expect(c.submittedAssessment).toBeNull();
    expect(c.sinceSubmission).toBeNull();
  });

  it('shows the blast radius in rings by distance, the target in ring 0, the cluster only DEGRADED', () => {
    const a = c.currentAssessment;
    expect(ringRefs(a)).toEqual([
      [0, ['db1']],
      [1, ['cl']],
      [2, ['app']],
      [3, ['biz']],
    ]);
    const states = Object.fromEntries(a.blastRadius.flatMap((r) => r.cis.map((x) => [refOf(x.id), [x.state, x.isService]])));
    expect(states).toEqual({ db1: ['DOWN', false], cl: ['DEGRADED', false], app: ['DEGRADED', true], biz: ['DEGRADED', true] });
    expect(a.impactedCount).toBe(4);
    expect(a.services.map((s) => [refOf(s.id), s.state])).toEqual([
      ['biz', 'DEGRADED'],
      ['app', 'DEGRADED'],
    ]);
    expect(a.services.find((s) => s.id === id.biz)!.paths.map((p) => p.ciIds.map(refOf))).toEqual([['biz', 'app', 'cl', 'db1']]);
  });

  it('names the teams to notify and the redundancy the cluster loses', () => {
    const a = c.currentAssessment;
    expect(a.ownersToNotify).toEqual([
      { team: n('shop-team'), serviceIds: [id.biz], otherCiIds: [] },
      { team: n('orders-team'), serviceIds: [id.app], otherCiIds: [] },
      // The target's own team, and the cluster's: the target DOWN before the cluster it only degrades.
      { team: n('dba-team'), serviceIds: [], otherCiIds: [id.db1, id.cl] },
    ]);
    expect(a.redundancyLost).toEqual([{ id: id.cl, name: n('orders-db-cluster'), total: 3, lost: 1 }]);
  });

  it('scores the risk as the sum of its factors, each explained, with a level that matches the score', () => {
    const { risk } = c.currentAssessment;
    expect(risk.factors.length).toBeGreaterThan(0);
    for (const f of risk.factors) {
      expect(f.detail.length, f.name).toBeGreaterThan(0);
      expect(f.points, f.name).toBeLessThanOrEqual(f.weight);
    }
    expect(risk.score).toBeCloseTo(Math.min(100, risk.factors.reduce((s, f) => s + f.points, 0)), 6);
    expect(risk.level).toBe(risk.score >= 75 ? 'CRITICAL' : risk.score >= 50 ? 'HIGH' : risk.score >= 25 ? 'MEDIUM' : 'LOW');
    expect(factor(c.currentAssessment, 'Redundancy lost').points).toBeGreaterThan(0);
    expect(factor(c.currentAssessment, 'Impacted criticality').detail).toContain(`${n('shop')} (BusinessService, criticality 1, DEGRADED`);
    expect(factor(c.currentAssessment, 'Production impact').detail).toContain(n('shop'));
    expect(factor(c.currentAssessment, 'Production impact').detail).not.toContain(id.biz);
    expect(factor(c.currentAssessment, 'Outside maintenance window').points).toBe(0);
    expect(factor(c.currentAssessment, 'Freeze window').points).toBe(0);
    expect(c.currentAssessment.conflicts).toEqual([]);
    expect(c.currentAssessment.freezeWindows).toEqual([]);
  });

  it('stores the assessment on assessChange (DRAFT -> ASSESSED)', async () => {
    const assessed = await stepOk(ALICE, 'assessChange', c.id);
    expect(assessed.status).toBe('ASSESSED');
    expect(ringRefs(assessed.submittedAssessment!)).toEqual(ringRefs(c.currentAssessment));
    expect(assessed.sinceSubmission).toMatchObject({ servicesAdded: [], servicesRemoved: [], servicesChangedState: [] });
  });
});

describe('lifecycle with separation of duties', () => {
  let c: Change;

  it('submits for approval and stores what approvers will see', async () => {
    c = await createOk(ALICE, 'upgrade ledger-db', 'NORMAL', ['lcDb'], week(1));
    const submitted = await stepOk(ALICE, 'submitChange', c.id);
    expect(submitted.status).toBe('AWAITING_APPROVAL');
    expect(submitted.submittedAssessment).not.toBeNull();
    expect(submitted.submittedAssessment!.services.map((s) => refOf(s.id))).toEqual(['lcSvc']);
    expect(ringRefs(submitted.submittedAssessment!)).toEqual([
      [0, ['lcDb']],
      [1, ['lcSvc']],
    ]);
  });

  it('does not let the requester approve their own change', async () => {
    const r = await step(ALICE, 'approveChange', c.id);
    expect(r).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(r.message).toContain(ALICE);
    expect((await change(c.id)).status).toBe('AWAITING_APPROVAL');
  });

  it('lets another person approve, then schedule, implement and close it as FAILED', async () => {
    const approved = await stepOk(BOB, 'approveChange', c.id);
    expect(approved).toMatchObject({ status: 'APPROVED', approvedBy: BOB, requestedBy: ALICE });
    expect((await stepOk(BOB, 'scheduleChange', c.id)).status).toBe('SCHEDULED');
    expect((await stepOk(ALICE, 'implementChange', c.id)).status).toBe('IMPLEMENTED');
    const closed = await mutateOk<Change>(app, ALICE, 'closeChange', 'id: $id, outcome: FAILED', 'id status outcome', { id: c.id }, '$id: ID!');
    expect(closed).toMatchObject({ status: 'CLOSED', outcome: 'FAILED' });
  });

  it('counts the failed change against a later change on the same database', async () => {
    const later = await createOk(ALICE, 'retry ledger-db upgrade', 'NORMAL', ['lcDb'], week(2));
    const f = factor(later.currentAssessment, 'Failed past changes');
    expect(f.points).toBeGreaterThan(0);
    expect(f.detail).toMatch(/1 failed change/);
    // The closed change no longer conflicts with anything.
    expect(later.currentAssessment.conflicts.map((x) => x.changeId)).not.toContain(c.id);
  });
});

describe('emergency changes and freeze windows', () => {
  let freeze: { id: string; name: string };
  beforeAll(async () => {
    const w = week(3);
    freeze = await mutateOk<{ id: string; name: string }>(
      app,
      'change-manager',
      'createFreezeWindow',
      'name: $name, start: $start, end: $end',
      'id name start end',
      {
        name: n('year-end freeze'),
        start: new Date(Date.parse(w.plannedStart) - 24 * 3600_000).toISOString(),
        end: new Date(Date.parse(w.plannedEnd) + 24 * 3600_000).toISOString(),
      },
      '$name: String!, $start: DateTime!, $end: DateTime!',
    );
  });

  it('lets another person approve an EMERGENCY change in a freeze, and implement it without scheduling', async () => {
    const c = await createOk(ALICE, 'hotfix payments-gateway', 'EMERGENCY', ['emApp'], week(3));
    expect(c.currentAssessment.freezeWindows.map((f) => f.id)).toEqual([freeze.id]);
    expect((await stepOk(ALICE, 'submitChange', c.id)).status).toBe('AWAITING_APPROVAL');
    expect(await stepOk(BOB, 'approveChange', c.id)).toMatchObject({ status: 'APPROVED', approvedBy: BOB });
    expect((await stepOk(ALICE, 'implementChange', c.id)).status).toBe('IMPLEMENTED');
  });

  it('refuses to approve a NORMAL change in the freeze, naming the freeze, and lists the freeze in its assessment', async () => {
    const c = await createOk(ALICE, 'routine payments-gateway update', 'NORMAL', ['emApp'], week(3, 1));
    expect(c.currentAssessment.freezeWindows).toEqual([expect.objectContaining({ id: freeze.id, name: n('year-end freeze') })]);
    expect(factor(c.currentAssessment, 'Freeze window').points).toBeGreaterThan(0);
    await stepOk(ALICE, 'submitChange', c.id);
    const r = await step(BOB, 'approveChange', c.id);
    expect(r).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT' });
    expect(r.message).toContain(n('year-end freeze'));
    expect((await change(c.id)).status).toBe('AWAITING_APPROVAL');
  });

  it('does not let a NORMAL change be implemented before it is scheduled', async () => {
    const c = await createOk(ALICE, 'unscheduled payments change', 'NORMAL', ['emApp'], week(8));
    await stepOk(ALICE, 'submitChange', c.id);
    await stepOk(BOB, 'approveChange', c.id);
    const r = await step(ALICE, 'implementChange', c.id);
    expect(r).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'status' });
  });
});

describe('standard changes', () => {
  it('pre-approves a low-risk STANDARD change on a CI nothing depends on when it is submitted', async () => {
    const model = await mutateOk<{ id: string }>(app, 'change-manager', 'createStandardChangeModel', 'input: $input', 'id', {
      input: { name: n('VM log rotation'), classes: ['VirtualMachine'], riskCeiling: 'LOW' },
    }, '$input: StandardChangeModelInput!');
    const r = await createChange(ALICE, { title: n('rotate spare-vm logs'), type: 'STANDARD', targetIds: [id.stdVm!], ...week(4), standardModelId: model.id });
    expect(r.__typename, JSON.stringify(r)).toBe('MutationCreateChangeSuccess');
    const c = r.data as unknown as Change;
    expect(c.currentAssessment.services).toEqual([]);
    const submitted = await stepOk(ALICE, 'submitChange', c.id);
    expect(submitted.status).toBe('APPROVED');
    expect(submitted.approvedBy).toMatch(/pre-approved/);
    expect(submitted.submittedAssessment!.risk.level).toBe('LOW');
  });
});

describe('the list of changes awaiting approval', () => {
  it("reads every change's approvals in one statement, however many the list holds", async () => {
    for (const [i, ref] of ['db1', 'db2', 'db3'].entries()) {
      const c = await createOk(ALICE, `patch ${ref}`, 'NORMAL', [ref], week(20 + i));
      await stepOk(ALICE, 'submitChange', c.id);
    }
    const bob = await app.headersAs(BOB);
    const list = async (fields: string) => {
      const r = await app.gql<{ changes: unknown[] }>(`{ changes(statuses: [AWAITING_APPROVAL]) { id ${fields} } }`, {}, bob);
      return { rows: r.data!.changes.length, queries: r.extensions?.cypherQueries as number };
    };
    const bare = await list('');
    const withApprovals = await list('approvals { awaitingApprovers approvals { actor } } yourApproval { personally forTeams }');
    expect(withApprovals.rows).toBeGreaterThanOrEqual(3);
    // One more statement for the whole list, not one per change (approvals and yourApproval share it).
    expect(withApprovals.queries - bare.queries).toBe(1);
  });
});

describe('conflicts between changes', () => {
  it('lists two overlapping changes impacting the same service as conflicting, with the shared service, and not a later one', async () => {
    const first = await createOk(ALICE, 'reindex search', 'NORMAL', ['cfA'], week(5, 0, 4));
    const second = await createOk(BOB, 'deploy search-api', 'NORMAL', ['cfB'], week(5, 2, 4));
    const third = await createOk(ALICE, 'reindex search again', 'NORMAL', ['cfA'], week(6));
    const [a, b, c] = await Promise.all([change(first.id), change(second.id), change(third.id)]);
    expect(a.currentAssessment.conflicts).toEqual([
      expect.objectContaining({ changeId: second.id, number: second.number, title: n('deploy search-api'), status: 'DRAFT', sharedServiceIds: [id.cfSvc], sharedCiIds: [id.cfSvc] }),
    ]);
    expect(b.currentAssessment.conflicts).toEqual([expect.objectContaining({ changeId: first.id, sharedServiceIds: [id.cfSvc] })]);
    expect(c.currentAssessment.conflicts).toEqual([]);
  });
});

describe('re-assessment after submission', () => {
  it('shows a service that started depending on the target since submission, while the snapshot keeps what was assessed', async () => {
    const c = await createOk(ALICE, 'rotate auth keys', 'NORMAL', ['rsT'], week(7));
    await stepOk(ALICE, 'submitChange', c.id);
    const added = await upsert(app, {
      source: n('estate'),
      items: [{ ref: 'rsSvc2', className: 'ApplicationService', name: n('signup') }],
      relationships: [{ type: 'DEPENDS_ON', from: { ref: 'rsSvc2' }, to: { id: id.rsT } }],
    });
    id = { ...id, ...idsByRef(added) };
    const now = await change(c.id);
    expect(now.sinceSubmission).toMatchObject({ servicesAdded: [id.rsSvc2], servicesRemoved: [], servicesChangedState: [], conflictsAdded: [], conflictsRemoved: [] });
    expect(now.submittedAssessment!.services.map((s) => refOf(s.id))).toEqual(['rsSvc1']);
    expect(now.currentAssessment.services.map((s) => refOf(s.id)).sort()).toEqual(['rsSvc1', 'rsSvc2']);
  });
});

describe('what-if', () => {
  it('returns the blast radius of CIs going down without creating a change', async () => {
    const mine = async () =>
      (await app.data<{ changes: { id: string; status: string; title: string }[] }>(`{ changes { id status title } }`)).changes
        .filter((x) => x.title.includes(key))
        .map((x) => `${x.id} ${x.status}`)
        .sort();
    const before = await mine();
    const r = await app.data<{ whatIf: ImpactReport }>(`query ($ids: [ID!]!) { whatIf(ciIds: $ids) { ${IMPACT_REPORT} } }`, { ids: [id.db1, id.db2] });
    expect(r.whatIf.services.map((s) => [refOf(s.id), s.state])).toEqual([
      ['biz', 'DOWN'],
      ['app', 'DOWN'],
    ]);
    expect(r.whatIf.groups).toEqual([expect.objectContaining({ id: id.cl, total: 3, lost: 2, holds: false })]);
    expect(await mine()).toEqual(before);
  });

  it('names an unknown CI in a what-if', async () => {
    const r = await app.gql(`query ($ids: [ID!]!) { whatIf(ciIds: $ids) { services { id } } }`, { ids: [`ci_${key}_missing`] });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'ciIds' });
  });
});

describe('invalid input', () => {
  it('refuses a window that ends before it starts, naming plannedEnd', async () => {
    const w = week(9);
    const r = await createChange(ALICE, { title: n('backwards'), type: 'NORMAL', targetIds: [id.db3!], plannedStart: w.plannedEnd, plannedEnd: w.plannedStart });
    expect(r).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', field: 'plannedEnd' });
  });

  it('refuses an unknown target, naming targetIds and the missing id', async () => {
    const missing = `ci_${key}_missing`;
    const r = await createChange(ALICE, { title: n('ghost target'), type: 'NORMAL', targetIds: [id.db3!, missing], ...week(9) });
    expect(r).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND', field: 'targetIds', id: missing });
  });

  it('refuses to approve a DRAFT change as a conflict with its status, naming status', async () => {
    const c = await createOk(ALICE, 'not yet submitted', 'NORMAL', ['db3'], week(10));
    const r = await step(BOB, 'approveChange', c.id);
    expect(r).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'status' });
    expect(r.message).toContain('DRAFT');
  });

  it('does not let anyone but the requester submit a change', async () => {
    const c = await createOk(ALICE, 'submitted by someone else', 'NORMAL', ['db3'], week(11));
    const r = await step(BOB, 'submitChange', c.id);
    expect(r).toMatchObject({ __typename: 'ConflictError' });
    expect((await change(c.id)).status).toBe('DRAFT');
  });
});
