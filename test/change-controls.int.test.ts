// Change enablement's controls over HTTP, as a change manager meets them: standard-change models, the approval
// policy, the record as an audit trail (actor, time and note of every step), window checks at submission and
// implementation, editing before approval, freezes scoped to a service, maintenance windows, and guarded steps
// under real concurrency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsByRef, upsert } from './helpers/ci-fixtures';
import { closeTagged, mutate, mutateOk, windows, type Result } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';
import type { Role } from '../server/domain/auth/roles';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;
const week = windows();
/** Tuesday 10:00 to 12:00 UTC of week i: outside the default Saturday-night window. */
const tuesday = (i: number) => week(i, 60, 2);

const ALICE = 'alice';
const BOB = 'bob';
const CAROL = 'carol';

interface Event {
  at: string;
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  warnings: string[];
  detail: Record<string, unknown> | null;
}
interface Ctl {
  id: string;
  number: string;
  status: string;
  type: string;
  approvedBy: string | null;
  requestedBy: string;
  plannedStart: string;
  templateValues: Record<string, string> | null;
  standardModel: { id: string; name: string } | null;
  approvals: { needed: { riskLevel: string; approvers: number; teams: string[] }; approvals: { actor: string; onBehalfOf: string | null }[]; awaitingTeams: string[]; awaitingApprovers: number; satisfied: boolean } | null;
  timeline: Event[];
  currentAssessment: {
    risk: { level: string; score: number; factors: { name: string; points: number }[] };
    freezeWindows: { id: string; name: string }[];
    fitsMaintenanceWindow: { id: string; name: string } | null;
    maintenanceWindows: { id: string; isDefault: boolean }[];
    approvalsNeeded: { riskLevel: string; approvers: number; teams: string[] } | null;
    services: { id: string }[];
  };
}
const CTL = `id number status type approvedBy requestedBy plannedStart templateValues standardModel { id name }
  approvals { needed { riskLevel approvers teams } approvals { actor onBehalfOf } awaitingTeams awaitingApprovers satisfied }
  timeline { at actor action fromStatus toStatus note warnings detail }
  currentAssessment { risk { level score factors { name points } } freezeWindows { id name } fitsMaintenanceWindow { id name }
    maintenanceWindows { id isDefault } approvalsNeeded { riskLevel approvers teams } services { id } }`;

interface Draft {
  title: string;
  type?: string;
  targets: string[];
  window: { plannedStart: string; plannedEnd: string };
  standardModelId?: string;
  templateValues?: Record<string, string>;
}
function create(actor: string, d: Draft): Promise<Result<Ctl>> {
  const input = { title: n(d.title), type: d.type ?? 'NORMAL', targetIds: d.targets.map((t) => id[t]!), ...d.window, standardModelId: d.standardModelId, templateValues: d.templateValues };
  return mutate<Ctl>(app, actor, 'createChange', 'input: $input', CTL, { input }, '$input: CreateChangeInput!');
}
async function createOk(actor: string, d: Draft): Promise<Ctl> {
  const r = await create(actor, d);
  expect(r.__typename, JSON.stringify(r)).toBe('MutationCreateChangeSuccess');
  return r.data as unknown as Ctl;
}
/** One lifecycle step as `actor`, with a note and any further arguments (`name: value` pairs of strings). */
function step(actor: string, name: string, changeId: string, note: string | null = null, more: Record<string, string> = {}): Promise<Result<Ctl>> {
  const extra = Object.keys(more).map((k) => `, ${k}: $${k}`).join('');
  const defs = Object.keys(more).map((k) => `, $${k}: String`).join('');
  return mutate<Ctl>(app, actor, name, `id: $id, note: $note${extra}`, CTL, { id: changeId, note, ...more }, `$id: ID!, $note: String${defs}`);
}
async function stepOk(actor: string, name: string, changeId: string, note: string | null = null, more: Record<string, string> = {}): Promise<Ctl> {
  const r = await step(actor, name, changeId, note, more);
  expect(r.__typename, JSON.stringify(r)).toMatch(/Success$/);
  return r.data as unknown as Ctl;
}
async function change(changeId: string): Promise<Ctl> {
  return (await app.data<{ change: Ctl }>(`query ($id: ID!) { change(id: $id) { ${CTL} } }`, { id: changeId })).change;
}
const EARLY = { earlyStartReason: 'the test calendar is centuries ahead' };
const factor = (c: Ctl, name: string) => c.currentAssessment.risk.factors.find((f) => f.name === name)!;

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const estate = await upsert(app, {
    source: n('estate'),
    teams: [{ name: n('shop-team') }, { name: n('orders-team') }],
    items: [
      // A criticality-1 production shop on one database: changing the database is high risk.
      { ref: 'shop', className: 'BusinessService', name: n('shop'), criticality: 1, environment: 'PRODUCTION', owner: n('shop-team') },
      // The shop's storefronts per market: risk grows with every production business service a change takes down.
      ...[1, 2, 3, 4].map((i) => ({ ref: `front${i}`, className: 'BusinessService', name: n(`storefront-${i}`), criticality: 1, environment: 'PRODUCTION', owner: n('shop-team') })),
      { ref: 'orders', className: 'ApplicationService', name: n('orders'), criticality: 2, environment: 'PRODUCTION', owner: n('orders-team') },
      { ref: 'ordersDb', className: 'Database', name: n('orders-db'), environment: 'PRODUCTION', attributes: { databaseName: 'orders', engine: 'postgresql' }, owner: n('orders-team') },
      { ref: 'dbVm', className: 'VirtualMachine', name: n('orders-db-vm'), environment: 'PRODUCTION', attributes: { vmUuid: n('orders-db-vm') } },
      // Leaves nothing depends on: low risk.
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ ref: `vm${i}`, className: 'VirtualMachine', name: n(`spare-vm-${i}`), environment: 'STAGING', attributes: { vmUuid: n(`vm-${i}`) } })),
      // Two services for a freeze on one of them.
      { ref: 'pay', className: 'ApplicationService', name: n('payments') },
      { ref: 'payApp', className: 'Application', name: n('payments-app') },
      { ref: 'search', className: 'ApplicationService', name: n('search') },
      { ref: 'searchApp', className: 'Application', name: n('search-app') },
      // A service with its own maintenance window.
      { ref: 'report', className: 'ApplicationService', name: n('reporting') },
      { ref: 'reportApp', className: 'Application', name: n('reporting-app') },
    ],
    relationships: [
      { type: 'DEPENDS_ON', from: { ref: 'shop' }, to: { ref: 'orders' } },
      ...[1, 2, 3, 4].map((i) => ({ type: 'DEPENDS_ON', from: { ref: `front${i}` }, to: { ref: 'orders' } })),
      { type: 'DEPENDS_ON', from: { ref: 'orders' }, to: { ref: 'ordersDb' } },
      { type: 'RUNS_ON', from: { ref: 'ordersDb' }, to: { ref: 'dbVm' } },
      { type: 'DEPENDS_ON', from: { ref: 'pay' }, to: { ref: 'payApp' } },
      { type: 'DEPENDS_ON', from: { ref: 'search' }, to: { ref: 'searchApp' } },
      { type: 'DEPENDS_ON', from: { ref: 'report' }, to: { ref: 'reportApp' } },
    ],
  });
  id = idsByRef(estate);
});

afterAll(() => closeTagged(app));

describe('standard-change models', () => {
  let vmModel: { id: string };
  let dbModel: { id: string };
  const model = (input: Record<string, unknown>) =>
    mutateOk<{ id: string }>(app, 'change-manager', 'createStandardChangeModel', 'input: $input', 'id name classes environments riskCeiling', { input }, '$input: StandardChangeModelInput!');

  beforeAll(async () => {
    vmModel = await model({ name: n('VM log rotation'), classes: ['VirtualMachine'], environments: ['STAGING'], riskCeiling: 'LOW', templateFields: [{ name: 'backoutPlan', defaultValue: 'restore the previous logrotate.conf' }, { name: 'ticket' }] });
    dbModel = await model({ name: n('Database minor patch'), classes: ['Database'], riskCeiling: 'LOW' });
  });

  it('lists the models in the catalogue', async () => {
    const r = await app.data<{ standardChangeModels: { id: string; name: string; riskCeiling: string; environments: string[] }[] }>('{ standardChangeModels { id name riskCeiling environments } }');
    expect(r.standardChangeModels.filter((m) => m.name.includes(key)).map((m) => m.name)).toEqual([n('Database minor patch'), n('VM log rotation')]);
    expect(r.standardChangeModels.find((m) => m.id === vmModel.id)).toMatchObject({ riskCeiling: 'LOW', environments: ['STAGING'] });
  });

  it('refuses a STANDARD change that names no model, and one targeting a class outside its model, with the reason', async () => {
    const none = await create(ALICE, { title: 'no model', type: 'STANDARD', targets: ['vm1'], window: week(0) });
    expect(none).toMatchObject({ __typename: 'ValidationError', field: 'standardModelId' });
    const outside = await create(ALICE, { title: 'db under vm model', type: 'STANDARD', targets: ['ordersDb'], window: week(0), standardModelId: vmModel.id, templateValues: { ticket: 'T-1' } });
    expect(outside).toMatchObject({ __typename: 'ValidationError', field: 'targetIds' });
    expect(outside.message).toContain(`${n('orders-db')} is a Database`);
    expect(outside.message).toContain(n('VM log rotation'));
    expect(outside.message).toContain('is in production');
  });

  it('refuses at submission a STANDARD change assessed above its model\'s risk ceiling, with level and ceiling, and leaves it a draft', async () => {
    const c = await createOk(ALICE, { title: 'patch orders-db as standard', type: 'STANDARD', targets: ['ordersDb'], window: week(0), standardModelId: dbModel.id });
    expect(c.currentAssessment.risk.level).not.toBe('LOW');
    const r = await step(ALICE, 'submitChange', c.id);
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'type' });
    expect(r.message).toContain(`above model "${n('Database minor patch')}"'s ceiling LOW`);
    expect(r.message).toContain(c.currentAssessment.risk.level);
    expect((await change(c.id)).status).toBe('DRAFT');
  });

  it('pre-approves a STANDARD change within its model, with the template filled from the model', async () => {
    const c = await createOk(ALICE, { title: 'rotate logs on spare-vm-1', type: 'STANDARD', targets: ['vm1'], window: week(0), standardModelId: vmModel.id, templateValues: { ticket: 'T-42' } });
    expect(c.templateValues).toEqual({ backoutPlan: 'restore the previous logrotate.conf', ticket: 'T-42' });
    expect(c.standardModel).toEqual({ id: vmModel.id, name: n('VM log rotation') });
    const submitted = await stepOk(ALICE, 'submitChange', c.id);
    expect(submitted).toMatchObject({ status: 'APPROVED', approvedBy: 'pre-approved (standard change)', approvals: null });
  });

  it('refuses a STANDARD change missing a template field the model has no default for, naming templateValues', async () => {
    const r = await create(ALICE, { title: 'no ticket', type: 'STANDARD', targets: ['vm2'], window: week(0), standardModelId: vmModel.id });
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'templateValues' });
    expect(r.message).toContain('ticket');
  });
});

describe('approval policy', () => {
  let c: Ctl;
  beforeAll(async () => {
    c = await createOk(ALICE, { title: 'upgrade orders-db on a Tuesday', targets: ['ordersDb'], window: tuesday(1) });
    await stepOk(ALICE, 'submitChange', c.id, 'needs the shop owners');
    c = await change(c.id);
  });

  it('asks a HIGH change for the approval of the team owning the impacted business service', () => {
    expect(c.currentAssessment.risk.level).toBe('HIGH');
    expect(c.approvals).toMatchObject({ needed: { riskLevel: 'HIGH', approvers: 1, teams: [n('shop-team')] }, approvals: [], awaitingTeams: [n('shop-team')], satisfied: false });
  });

  it('keeps it awaiting approval after a change manager approves, showing who approved and who is awaited', async () => {
    const after = await stepOk(BOB, 'approveChange', c.id, 'technically fine');
    expect(after.status).toBe('AWAITING_APPROVAL');
    expect(after.approvals).toMatchObject({ approvals: [{ actor: BOB, onBehalfOf: null }], awaitingTeams: [n('shop-team')], awaitingApprovers: 0, satisfied: false });
    const again = await step(BOB, 'approveChange', c.id);
    expect(again).toMatchObject({ __typename: 'ConflictError' });
    expect(again.message).toContain('already approved');
  });

  it('tells each person what they may still approve it as: the awaited team to the managers, nothing to its requester or a viewer', async () => {
    const yours = async (actor: string, roles?: Role[]) => {
      const r = await app.gql<{ change: { yourApproval: { personally: boolean; forTeams: string[] } } }>(
        'query ($id: ID!) { change(id: $id) { yourApproval { personally forTeams } } }', { id: c.id }, await app.headersAs(actor, roles));
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      return r.data!.change.yourApproval;
    };
    // One person is needed and Bob was it: what is left is the awaited team, for Bob or Carol; Alice asked for it.
    expect(await yours(BOB)).toEqual({ personally: false, forTeams: [n('shop-team')] });
    expect(await yours(CAROL)).toEqual({ personally: false, forTeams: [n('shop-team')] });
    expect(await yours(ALICE)).toEqual({ personally: false, forTeams: [] });
    expect(await yours('vera', ['viewer'])).toEqual({ personally: false, forTeams: [] });
  });

  it('refuses an approval on behalf of a team the policy does not ask', async () => {
    const r = await step(CAROL, 'approveChange', c.id, null, { onBehalfOf: n('orders-team') });
    expect(r).toMatchObject({ __typename: 'ConflictError', field: 'onBehalfOf' });
    expect((await change(c.id)).approvals!.approvals).toHaveLength(1);
  });

  it('approves it once the owning team has approved, naming both approvers', async () => {
    const after = await stepOk(CAROL, 'approveChange', c.id, 'shop agrees', { onBehalfOf: n('shop-team') });
    expect(after).toMatchObject({ status: 'APPROVED', approvedBy: `${BOB}, ${CAROL}` });
    expect(after.approvals).toMatchObject({ satisfied: true, awaitingTeams: [] });
    expect(after.timeline.filter((e) => e.action.startsWith('APPROV')).map((e) => [e.actor, e.action, e.toStatus, e.note])).toEqual([
      [BOB, 'APPROVAL', 'AWAITING_APPROVAL', 'technically fine'],
      [CAROL, 'APPROVED', 'APPROVED', 'shop agrees'],
    ]);
  });
});

describe('the change record as an audit trail', () => {
  it('records every step with its actor, status change and note, and the early-start reason', async () => {
    const c = await createOk(ALICE, { title: 'resize spare-vm-3', targets: ['vm3'], window: week(2) });
    await stepOk(ALICE, 'assessChange', c.id, 'looks small');
    await stepOk(ALICE, 'submitChange', c.id, 'please approve');
    await stepOk(BOB, 'approveChange', c.id, 'ok by me');
    await stepOk(CAROL, 'scheduleChange', c.id, 'slot booked');
    const refused = await step(ALICE, 'implementChange', c.id, 'done early');
    expect(refused).toMatchObject({ __typename: 'ValidationError', field: 'earlyStartReason' });
    expect((await change(c.id)).status).toBe('SCHEDULED');
    await stepOk(ALICE, 'implementChange', c.id, 'resized', EARLY);
    const closed = await mutateOk<Ctl>(app, ALICE, 'closeChange', 'id: $id, outcome: SUCCESSFUL, note: $note', CTL, { id: c.id, note: 'no errors since' }, '$id: ID!, $note: String');
    const rows = closed.timeline.map((e) => [e.action, e.actor, e.fromStatus, e.toStatus, e.note]);
    expect(rows).toEqual([
      ['CREATED', ALICE, null, 'DRAFT', null],
      ['ASSESSED', ALICE, 'DRAFT', 'ASSESSED', 'looks small'],
      ['SUBMITTED', ALICE, 'ASSESSED', 'AWAITING_APPROVAL', 'please approve'],
      ['APPROVED', BOB, 'AWAITING_APPROVAL', 'APPROVED', 'ok by me'],
      ['SCHEDULED', CAROL, 'APPROVED', 'SCHEDULED', 'slot booked'],
      ['IMPLEMENTED', ALICE, 'SCHEDULED', 'IMPLEMENTED', 'resized'],
      ['CLOSED', ALICE, 'IMPLEMENTED', 'CLOSED', 'no errors since'],
    ]);
    expect(closed.timeline.find((e) => e.action === 'IMPLEMENTED')!.detail).toEqual(EARLY);
    const times = closed.timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    if (process.env.RIPPLE_PRINT_TIMELINES) console.log(JSON.stringify({ change: closed.number, timeline: closed.timeline }, null, 1));
  });

  it('refuses at submission a window that has started, then submits it once re-planned, with the edit on the timeline', async () => {
    const past = { plannedStart: new Date(Date.now() - 2 * 3600_000).toISOString(), plannedEnd: new Date(Date.now() - 3600_000).toISOString() };
    const c = await createOk(ALICE, { title: 'yesterday on spare-vm-4', targets: ['vm4'], window: past });
    const r = await step(ALICE, 'submitChange', c.id);
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'plannedStart' });
    expect(r.message).toContain('past');
    expect((await change(c.id)).status).toBe('DRAFT');
    const w = week(3);
    const edited = await mutateOk<Ctl>(app, ALICE, 'editChange', 'id: $id, input: $input, note: $note', CTL, { id: c.id, input: w, note: 'moved to the weekend' }, '$id: ID!, $input: EditChangeInput!, $note: String');
    expect(Date.parse(edited.plannedStart)).toBe(Date.parse(w.plannedStart));
    const edit = edited.timeline.at(-1)!;
    expect(edit).toMatchObject({ action: 'EDITED', actor: ALICE, note: 'moved to the weekend', toStatus: 'DRAFT' });
    expect(edit.detail).toMatchObject({ before: { plannedStart: past.plannedStart }, after: { plannedStart: w.plannedStart } });
    expect((await stepOk(ALICE, 'submitChange', c.id)).status).toBe('AWAITING_APPROVAL');
  });

  it('re-assesses a change edited while awaiting approval, shows what moved, and withdraws the approvals given for the old plan', async () => {
    const c = await createOk(ALICE, { title: 'swap payments-app', targets: ['payApp'], window: week(4) });
    await stepOk(ALICE, 'submitChange', c.id);
    const edited = await mutateOk<Ctl>(app, ALICE, 'editChange', 'id: $id, input: $input', CTL, { id: c.id, input: { targetIds: [id.payApp, id.searchApp] } }, '$id: ID!, $input: EditChangeInput!');
    expect(edited.status).toBe('ASSESSED');
    expect(edited.approvals).toMatchObject({ approvals: [] });
    expect(edited.timeline.at(-1)!.detail).toMatchObject({ diff: { servicesAdded: [id.search], servicesRemoved: [] }, after: { targetIds: [id.payApp, id.searchApp].sort() } });
    const byBob = await mutate<Ctl>(app, BOB, 'editChange', 'id: $id, input: $input', 'id', { id: c.id, input: { targetIds: [id.payApp] } }, '$id: ID!, $input: EditChangeInput!');
    expect(byBob).toMatchObject({ __typename: 'ConflictError' });
    expect(byBob.message).toContain('only the requester');
  });
});

describe('freeze windows scoped to a service', () => {
  let freeze: { id: string };
  beforeAll(async () => {
    const w = week(5);
    freeze = await mutateOk<{ id: string }>(app, 'admin', 'createFreezeWindow', 'name: $name, start: $start, end: $end, serviceIds: $ids', 'id name serviceIds wholeEstate', {
      name: n('payments freeze'),
      start: new Date(Date.parse(w.plannedStart) - 24 * 3600_000).toISOString(),
      end: new Date(Date.parse(w.plannedEnd) + 24 * 3600_000).toISOString(),
      ids: [id.pay],
    }, '$name: String!, $start: DateTime!, $end: DateTime!, $ids: [ID!]');
  });

  it('warns at submission and refuses approval of a change whose blast radius holds the frozen service', async () => {
    const c = await createOk(ALICE, { title: 'payments-app upgrade', targets: ['payApp'], window: week(5) });
    expect(c.currentAssessment.freezeWindows).toEqual([{ id: freeze.id, name: n('payments freeze') }]);
    const submitted = await stepOk(ALICE, 'submitChange', c.id);
    expect(submitted.status).toBe('AWAITING_APPROVAL');
    expect(submitted.timeline.at(-1)!.warnings).toEqual([expect.stringContaining(n('payments freeze'))]);
    const r = await step(BOB, 'approveChange', c.id);
    expect(r).toMatchObject({ __typename: 'ConflictError' });
    expect(r.message).toContain(n('payments freeze'));
    expect((await change(c.id)).status).toBe('AWAITING_APPROVAL');
  });

  it('lets a change to another service in the same days be approved, with no freeze on it', async () => {
    const c = await createOk(ALICE, { title: 'search-app upgrade', targets: ['searchApp'], window: week(5) });
    expect(c.currentAssessment.freezeWindows).toEqual([]);
    const submitted = await stepOk(ALICE, 'submitChange', c.id);
    expect(submitted.timeline.at(-1)!.warnings).toEqual([]);
    expect((await stepOk(BOB, 'approveChange', c.id)).status).toBe('APPROVED');
  });
});

describe('maintenance windows', () => {
  let mw: { id: string };
  beforeAll(async () => {
    mw = await mutateOk<{ id: string }>(app, 'change-manager', 'createMaintenanceWindow', 'name: $name, dayOfWeek: TUESDAY, startMinute: 540, durationMinutes: 240, serviceIds: $ids', 'id name dayOfWeek startMinute durationMinutes serviceIds', {
      name: n('reporting Tuesday mornings'),
      ids: [id.report],
    }, '$name: String!, $ids: [ID!]');
  });

  it('lists the window for its service', async () => {
    const r = await app.data<{ maintenanceWindows: { id: string; dayOfWeek: string; startMinute: number }[] }>('query ($s: ID) { maintenanceWindows(serviceId: $s) { id dayOfWeek startMinute } }', { s: id.report });
    expect(r.maintenanceWindows).toEqual([{ id: mw.id, dayOfWeek: 'TUESDAY', startMinute: 540 }]);
  });

  it("scores a change to the service in its window as in window, and on Saturday night as out of it", async () => {
    const inWindow = await createOk(ALICE, { title: 'reporting-app on Tuesday', targets: ['reportApp'], window: tuesday(6) });
    expect(inWindow.currentAssessment.fitsMaintenanceWindow).toEqual({ id: mw.id, name: n('reporting Tuesday mornings') });
    expect(factor(inWindow, 'Outside maintenance window').points).toBe(0);
    const saturday = await createOk(ALICE, { title: 'reporting-app on Saturday', targets: ['reportApp'], window: week(6) });
    expect(saturday.currentAssessment.fitsMaintenanceWindow).toBeNull();
    expect(saturday.currentAssessment.maintenanceWindows.map((w) => w.id)).toEqual([mw.id]);
    expect(factor(saturday, 'Outside maintenance window').points).toBeGreaterThan(0);
  });

  it('keeps the default Saturday-night window for a service without its own', async () => {
    const c = await createOk(ALICE, { title: 'search-app on Saturday', targets: ['searchApp'], window: week(6) });
    expect(c.currentAssessment.maintenanceWindows).toEqual([{ id: 'default', isDefault: true }]);
    expect(factor(c, 'Outside maintenance window').points).toBe(0);
  });

  it('refuses a window with a start past midnight, naming startMinute', async () => {
    const r = await mutate(app, 'change-manager', 'createMaintenanceWindow', 'name: $name, dayOfWeek: MONDAY, startMinute: 1440, durationMinutes: 60', 'id', { name: n('bad') }, '$name: String!');
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'startMinute' });
  });
});

describe('guarded steps under concurrency', () => {
  it('gives exactly one success and one CONFLICT when a change is approved and rejected at once', async () => {
    const cs = await Promise.all(['vm5', 'vm6', 'vm7', 'vm8'].map((vm, i) => createOk(ALICE, { title: `race ${vm}`, targets: [vm], window: week(7 + i) })));
    for (const c of cs) await stepOk(ALICE, 'submitChange', c.id);
    const results = await Promise.all(cs.map((c) => Promise.all([step(BOB, 'approveChange', c.id), step(CAROL, 'rejectChange', c.id)])));
    for (const [i, [approve, reject]] of results.entries()) {
      const outcomes = [approve, reject].map((r) => (r.__typename.endsWith('Success') ? 'ok' : r.code));
      expect(outcomes.sort(), JSON.stringify([approve, reject])).toEqual(['CONFLICT', 'ok']);
      const now = await change(cs[i]!.id);
      expect(now.status).toBe(approve.__typename.endsWith('Success') ? 'APPROVED' : 'REJECTED');
      expect(now.timeline.filter((e) => e.fromStatus === 'AWAITING_APPROVAL' && e.toStatus !== 'AWAITING_APPROVAL')).toHaveLength(1);
    }
  });
});
