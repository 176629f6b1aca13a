// Problem management over HTTP, as a problem manager runs it: incidents resolved before they are closed, with
// who and when; a problem's lifecycle to known error with its workaround, resolved and closed; the known error
// found by search and shown on a new incident on the same CI; incidents moving between problems only explicitly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsByRef, upsert } from './helpers/ci-fixtures';
import { closeTagged, mutate, mutateOk } from './helpers/impact-fixtures';
import { startTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
let id: Record<string, string> = {};
const n = (s: string) => `${key}-${s}`;

const ONCALL = 'oncall-ann';
const PM = 'problem-pat';

interface Event {
  actor: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  at: string;
  detail: Record<string, unknown> | null;
}
interface KnownError {
  id: string;
  number: string;
  workaround: string | null;
}
interface Inc {
  id: string;
  number: string;
  status: string;
  problemId: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  closedBy: string | null;
  closedAt: string | null;
  knownErrors: KnownError[];
  timeline: Event[];
}
interface Prb {
  id: string;
  number: string;
  status: string;
  createdBy: string;
  createdAt: string;
  rootCause: string | null;
  rootCauseCi: { id: string } | null;
  workaround: string | null;
  knownErrorAt: string | null;
  resolution: string | null;
  resolvedBy: string | null;
  closedBy: string | null;
  closedAt: string | null;
  ciIds: string[];
  incidents: { id: string }[];
  timeline: Event[];
}
const TIMELINE = 'timeline { at actor action fromStatus toStatus note detail }';
const INC = `id number status problemId resolvedBy resolvedAt resolution closedBy closedAt knownErrors { id number workaround } ${TIMELINE}`;
const PRB = `id number status createdBy createdAt rootCause rootCauseCi { id } workaround knownErrorAt resolution resolvedBy closedBy closedAt
  ciIds incidents { id } ${TIMELINE}`;

function openIncident(title: string, ci: string): Promise<Inc> {
  return mutateOk<Inc>(app, ONCALL, 'openIncident', 'input: $input', INC, { input: { title: n(title), severity: 'SEV3', failed: [{ id: id[ci] }] } }, '$input: OpenIncidentInput!');
}
const incidentStep = (actor: string, name: 'resolveIncident' | 'closeIncident', incId: string, note: string | null = null) =>
  mutate<Inc>(app, actor, name, 'id: $id, note: $note', INC, { id: incId, note }, '$id: ID!, $note: String');
const createProblem = (title: string, incidentIds: string[], note: string | null = null) =>
  mutate<Prb>(app, PM, 'createProblem', 'title: $title, incidentIds: $ids, note: $note', PRB, { title: n(title), ids: incidentIds, note }, '$title: String!, $ids: [ID!]!, $note: String');
async function problemStep(name: string, problemId: string, args: Record<string, string>): Promise<Prb> {
  const names = Object.keys(args);
  const argList = names.map((k) => `, ${k}: $${k}`).join('');
  const defs = names.map((k) => `, $${k}: ${k === 'rootCauseCiId' ? 'ID' : k === 'workaround' || k === 'resolution' ? 'String!' : 'String'}`).join('');
  return mutateOk<Prb>(app, PM, name, `id: $id${argList}`, PRB, { id: problemId, ...args }, `$id: ID!${defs}`);
}
async function incident(incId: string): Promise<Inc> {
  return (await app.data<{ incident: Inc }>(`query ($id: ID!) { incident(id: $id) { ${INC} } }`, { id: incId })).incident;
}

beforeAll(async () => {
  app = await startTestRipple();
  key = app.key;
  const estate = await upsert(app, {
    source: n('estate'),
    teams: [{ name: n('dba-team') }],
    items: [
      { ref: 'db', className: 'Database', name: n('ledger-db'), environment: 'PRODUCTION', attributes: { databaseName: 'ledger', engine: 'postgresql' }, owner: n('dba-team') },
      { ref: 'vm', className: 'VirtualMachine', name: n('ledger-vm'), attributes: { vmUuid: n('ledger-vm') } },
      { ref: 'svc', className: 'ApplicationService', name: n('ledger'), criticality: 2, environment: 'PRODUCTION' },
      { ref: 'other', className: 'Application', name: n('mailer') },
    ],
    relationships: [
      { type: 'RUNS_ON', from: { ref: 'db' }, to: { ref: 'vm' } },
      { type: 'DEPENDS_ON', from: { ref: 'svc' }, to: { ref: 'db' } },
    ],
  });
  id = idsByRef(estate);
});

afterAll(() => closeTagged(app));

describe('incident closure', () => {
  it('refuses to close an OPEN incident, then records who resolved and who closed it, and when', async () => {
    const inc = await openIncident('mailer bouncing', 'other');
    const early = await incidentStep(ONCALL, 'closeIncident', inc.id);
    expect(early).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'status' });
    expect(early.message).toContain('resolve it first');
    expect((await incident(inc.id)).status).toBe('OPEN');
    const resolved = await incidentStep(ONCALL, 'resolveIncident', inc.id, 'restarted the mail relay');
    expect(resolved.data).toMatchObject({ status: 'RESOLVED', resolvedBy: ONCALL, resolution: 'restarted the mail relay', closedBy: null });
    const closed = (await incidentStep('service-desk-sam', 'closeIncident', inc.id, 'user confirmed')) as unknown as { data: Inc };
    expect(closed.data).toMatchObject({ status: 'CLOSED', resolvedBy: ONCALL, closedBy: 'service-desk-sam' });
    expect(Date.parse(closed.data.closedAt!)).toBeGreaterThanOrEqual(Date.parse(closed.data.resolvedAt!));
    expect(closed.data.timeline.map((e) => [e.action, e.actor, e.toStatus, e.note])).toEqual([
      ['OPENED', ONCALL, 'OPEN', null],
      ['RESOLVED', ONCALL, 'RESOLVED', 'restarted the mail relay'],
      ['CLOSED', 'service-desk-sam', 'CLOSED', 'user confirmed'],
    ]);
  });
});

describe('a problem from open to closed, through known error', () => {
  let prb: Prb;
  let first: Inc;
  let second: Inc;

  beforeAll(async () => {
    first = await openIncident('ledger slow at month end', 'db');
    second = await openIncident('ledger timeouts', 'db');
    const r = await createProblem('ledger-db saturates at month end', [first.id, second.id], 'two incidents this week');
    expect(r.__typename, JSON.stringify(r)).toMatch(/Success$/);
    prb = r.data!;
  });

  it('records who raised the problem and when, over its incidents', () => {
    expect(prb).toMatchObject({ status: 'OPEN', createdBy: PM, workaround: null });
    expect(Date.parse(prb.createdAt)).not.toBeNaN();
    expect(prb.incidents.map((i) => i.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('refuses a known error without a workaround, naming workaround', async () => {
    const r = await mutate(app, PM, 'recordKnownError', 'id: $id, workaround: $w, rootCause: $rc', 'id', { id: prb.id, w: '  ', rc: 'x' }, '$id: ID!, $w: String!, $rc: String');
    expect(r).toMatchObject({ __typename: 'ValidationError', field: 'workaround' });
  });

  it('goes to root cause identified, then known error with its workaround', async () => {
    const rc = await problemStep('identifyRootCause', prb.id, { rootCause: 'autovacuum starves the month-end batch', rootCauseCiId: id.db!, note: 'seen in pg_stat_activity' });
    expect(rc).toMatchObject({ status: 'ROOT_CAUSE_IDENTIFIED', rootCause: 'autovacuum starves the month-end batch', rootCauseCi: { id: id.db } });
    const ke = await problemStep('recordKnownError', prb.id, { workaround: 'pause autovacuum on ledger tables during the batch', note: 'runbook updated' });
    expect(ke).toMatchObject({ status: 'KNOWN_ERROR', workaround: 'pause autovacuum on ledger tables during the batch' });
    expect(Date.parse(ke.knownErrorAt!)).not.toBeNaN();
  });

  it('finds the known error by its text and by its CI', async () => {
    const byText = await app.data<{ knownErrors: KnownError[] }>('query ($t: String) { knownErrors(text: $t) { id number workaround } }', { t: 'AUTOVACUUM' });
    expect(byText.knownErrors.map((k) => k.id)).toContain(prb.id);
    const byCi = await app.data<{ knownErrors: KnownError[] }>('query ($c: ID) { knownErrors(ciId: $c) { id } }', { c: id.db });
    expect(byCi.knownErrors.map((k) => k.id)).toEqual([prb.id]);
  });

  it('shows the known error and its workaround on a new incident on the same CI, and not on one elsewhere', async () => {
    const again = await openIncident('ledger slow again', 'db');
    expect(again.problemId).toBeNull();
    expect(again.knownErrors).toEqual([{ id: prb.id, number: prb.number, workaround: 'pause autovacuum on ledger tables during the batch' }]);
    const elsewhere = await openIncident('mailer down', 'other');
    expect(elsewhere.knownErrors).toEqual([]);
  });

  it('refuses to close a problem that is not resolved, then resolves and closes it with who and when', async () => {
    const early = await mutate(app, PM, 'closeProblem', 'id: $id', 'id', { id: prb.id }, '$id: ID!');
    expect(early).toMatchObject({ __typename: 'ConflictError', field: 'status' });
    const resolved = await problemStep('resolveProblem', prb.id, { resolution: 'batch moved to a replica', note: 'change CHG-x done' });
    expect(resolved).toMatchObject({ status: 'RESOLVED', resolvedBy: PM, resolution: 'batch moved to a replica' });
    const closed = await problemStep('closeProblem', prb.id, { note: 'no recurrence for a month' });
    expect(closed).toMatchObject({ status: 'CLOSED', closedBy: PM });
    expect(closed.timeline.map((e) => [e.action, e.actor, e.fromStatus, e.toStatus, e.note])).toEqual([
      ['CREATED', PM, null, 'OPEN', 'two incidents this week'],
      ['ROOT_CAUSE_IDENTIFIED', PM, 'OPEN', 'ROOT_CAUSE_IDENTIFIED', 'seen in pg_stat_activity'],
      ['KNOWN_ERROR', PM, 'ROOT_CAUSE_IDENTIFIED', 'KNOWN_ERROR', 'runbook updated'],
      ['RESOLVED', PM, 'KNOWN_ERROR', 'RESOLVED', 'change CHG-x done'],
      ['CLOSED', PM, 'RESOLVED', 'CLOSED', 'no recurrence for a month'],
    ]);
    if (process.env.RIPPLE_PRINT_TIMELINES) console.log(JSON.stringify({ problem: closed.number, timeline: closed.timeline }, null, 1));
    const stillKnown = await app.data<{ knownErrors: KnownError[] }>('query ($c: ID) { knownErrors(ciId: $c) { id } }', { c: id.db });
    expect(stillKnown.knownErrors.map((k) => k.id)).not.toContain(prb.id);
  });
});

describe('moving incidents between problems', () => {
  let inc: Inc;
  let a: Prb;
  let b: Prb;
  beforeAll(async () => {
    inc = await openIncident('ledger-vm disk full', 'vm');
    const other = await openIncident('ledger-vm swap storm', 'vm');
    a = (await createProblem('ledger-vm storage', [inc.id])).data!;
    b = (await createProblem('ledger-vm memory', [other.id])).data!;
  });

  it('refuses a new problem over an incident another problem holds, naming that problem', async () => {
    const r = await createProblem('grab it', [inc.id]);
    expect(r).toMatchObject({ __typename: 'ConflictError', field: 'incidentIds', existingId: a.id });
    expect(r.message).toContain(a.number);
    expect((await incident(inc.id)).problemId).toBe(a.id);
  });

  it('refuses to add it to another problem, and to move it from a problem it is not in', async () => {
    const add = await mutate(app, PM, 'addIncidentToProblem', 'problemId: $p, incidentId: $i', 'id', { p: b.id, i: inc.id }, '$p: ID!, $i: ID!');
    expect(add).toMatchObject({ __typename: 'ConflictError' });
    const wrong = await mutate(app, PM, 'moveIncidentToProblem', 'incidentId: $i, fromProblemId: $f, toProblemId: $t', 'id', { i: inc.id, f: b.id, t: a.id }, '$i: ID!, $f: ID!, $t: ID!');
    expect(wrong).toMatchObject({ __typename: 'ConflictError', field: 'fromProblemId' });
    expect((await incident(inc.id)).problemId).toBe(a.id);
  });

  it('moves it when asked, naming where it was, and records the move on both problems and the incident', async () => {
    const moved = await mutateOk<Prb>(app, PM, 'moveIncidentToProblem', 'incidentId: $i, fromProblemId: $f, toProblemId: $t, note: $note', PRB, { i: inc.id, f: a.id, t: b.id, note: 'disk filled by swap' }, '$i: ID!, $f: ID!, $t: ID!, $note: String');
    expect(moved.incidents.map((i) => i.id)).toContain(inc.id);
    const now = await incident(inc.id);
    expect(now.problemId).toBe(b.id);
    expect(now.timeline.at(-1)).toMatchObject({ action: 'INCIDENT_MOVED', actor: PM, note: 'disk filled by swap', detail: { fromProblemId: a.id, toProblemId: b.id } });
    expect(moved.timeline.at(-1)).toMatchObject({ action: 'INCIDENT_MOVED_IN', detail: { incidentId: inc.id } });
    const old = (await app.data<{ problem: Prb }>(`query ($id: ID!) { problem(id: $id) { ${PRB} } }`, { id: a.id })).problem;
    expect(old.incidents).toEqual([]);
    expect(old.timeline.at(-1)).toMatchObject({ action: 'INCIDENT_MOVED_OUT', detail: { incidentId: inc.id } });
  });
});
