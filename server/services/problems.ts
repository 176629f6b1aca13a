// Owns problem management: a problem over incidents that no other problem holds, its lifecycle (open, root
// cause identified, known error with workaround, resolved, closed) with who and when, explicit moves of an
// incident between problems, and known errors found by text or by the CIs an incident touches.
import { mintId } from '../domain/ci/identity';
import { missingForStep, PROBLEM_STEPS, type ProblemStatus, type ProblemStepInput } from '../domain/problem/lifecycle';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import { cisByIds } from '../neo4j/repositories/ci-repository';
import { incidentsByIds, nextNumber } from '../neo4j/repositories/itsm-repository';
import {
  createProblem,
  groupIncident,
  knownErrors,
  listProblems,
  moveIncident,
  problemsByIds,
  problemsOfIncidents,
  type ProblemRecord,
} from '../neo4j/repositories/problem-repository';
import { applyStep, statusOf, timelineOf, type RecordEvent, type StepWrite } from '../neo4j/repositories/record-repository';

export type ProblemStep = Exclude<ProblemStatus, 'OPEN'>;
const OPEN_STATUSES: ProblemStatus[] = ['OPEN', 'ROOT_CAUSE_IDENTIFIED', 'KNOWN_ERROR'];
const MAX_TEXT = 10_000;

function text(v: string | null | undefined, field: string): string | null {
  const t = v?.trim() || null;
  if (t && t.length > MAX_TEXT) throw new ValidationError(field, `at most ${MAX_TEXT} characters`);
  return t;
}

export class ProblemService {
  constructor(private readonly db: Db) {}

  async create(title: string, incidentIds: string[], actor: string, note: string | null): Promise<string> {
    const name = text(title, 'title');
    if (!name) throw new ValidationError('title', 'must not be empty');
    const ids = [...new Set(incidentIds)];
    if (!ids.length) throw new ValidationError('incidentIds', 'name at least one incident');
    const id = mintId('prb');
    await this.db.write(async (tx) => {
      await this.requireUngrouped(tx, ids);
      const number = await nextNumber(tx, 'problem', 'PRB');
      const grouped = await createProblem(tx, { id, number, title: name, incidentIds: ids, createdBy: actor, note: text(note, 'note') });
      // Another problem took one of them between the check and the write: nothing is written.
      if (grouped.length !== ids.length) throw new ConflictError('an incident was grouped under another problem meanwhile; try again', 'incidentIds');
    });
    return id;
  }

  /** Every incident exists and belongs to no problem: an incident changes problem only through moveIncident. */
  private async requireUngrouped(tx: Tx, ids: string[]): Promise<void> {
    const found = await incidentsByIds(tx, ids);
    const missing = ids.find((i) => !found.has(i));
    if (missing) throw new NotFoundError('incident', missing, 'incidentIds');
    const held = await problemsOfIncidents(tx, ids);
    const [incidentId, problem] = [...held.entries()][0] ?? [];
    if (problem) {
      throw new ConflictError(`incident ${found.get(incidentId!)!.number} belongs to problem ${problem.number}; move it with moveIncidentToProblem`, 'incidentIds', problem.id);
    }
  }

  async get(id: string): Promise<ProblemRecord> {
    const p = await this.find(id);
    if (!p) throw new NotFoundError('problem', id);
    return p;
  }

  async find(id: string): Promise<ProblemRecord | null> {
    return (await this.db.read((tx) => problemsByIds(tx, [id]))).get(id) ?? null;
  }

  list(statuses: string[], limit = 100): Promise<ProblemRecord[]> {
    return this.db.read((tx) => listProblems(tx, statuses, limit));
  }

  timeline(id: string): Promise<RecordEvent[]> {
    return this.db.read((tx) => timelineOf(tx, 'Problem', id));
  }

  knownErrors(q: { text: string | null; ciIds: string[] | null; limit: number }): Promise<ProblemRecord[]> {
    if (q.limit < 1 || q.limit > 200) throw new ValidationError('limit', 'must be between 1 and 200');
    return this.db.read((tx) => knownErrors(tx, { ...q, text: text(q.text, 'text') }));
  }

  /** Applies a guarded step on a problem; a lost race is a ConflictError naming the status it ran into. */
  private async step(tx: Tx, p: ProblemRecord, write: StepWrite): Promise<void> {
    if ((await applyStep(tx, 'Problem', p.id, write)) !== null) return;
    throw new ConflictError(`problem ${p.number} became ${(await statusOf(tx, 'Problem', p.id)) ?? 'deleted'} meanwhile`, 'status');
  }

  /** Moves a problem along its lifecycle; each step carries what it needs (a root cause, a workaround, a resolution). */
  async advance(id: string, to: ProblemStep, input: ProblemStepInput & { rootCauseCiId?: string | null }, actor: string, note: string | null): Promise<void> {
    const p = await this.get(id);
    const from = PROBLEM_STEPS[to];
    if (!from.includes(p.status as ProblemStatus)) throw new ConflictError(`problem ${p.number} is ${p.status}; ${to} needs ${from.join(' or ')}`, 'status');
    const missing = missingForStep(to, input, { rootCause: p.rootCause });
    if (missing) throw new ValidationError(missing.field, missing.reason);
    const set: Record<string, unknown> = {};
    for (const k of ['rootCause', 'workaround', 'resolution'] as const) {
      const v = text(input[k], k);
      if (v) set[k] = v;
    }
    if (to === 'ROOT_CAUSE_IDENTIFIED') set.rootCauseBy = actor;
    if (to === 'RESOLVED') set.resolvedBy = actor;
    if (to === 'CLOSED') set.closedBy = actor;
    const stamp = { ROOT_CAUSE_IDENTIFIED: 'rootCauseAt', KNOWN_ERROR: 'knownErrorAt', RESOLVED: 'resolvedAt', CLOSED: 'closedAt' }[to];
    await this.db.write(async (tx) => {
      if (input.rootCauseCiId) {
        if (!(await cisByIds(tx, [input.rootCauseCiId])).size) throw new NotFoundError('CI', input.rootCauseCiId, 'rootCauseCiId');
        set.rootCauseCiId = input.rootCauseCiId;
      }
      await this.step(tx, p, { from, to, set, stamp: [stamp], event: { actor, action: to, note: text(note, 'note'), detail: Object.keys(set).length ? set : undefined } });
    });
  }

  /** Groups an incident that belongs to no problem under this one. */
  async addIncident(problemId: string, incidentId: string, actor: string, note: string | null): Promise<void> {
    const p = await this.get(problemId);
    await this.db.write(async (tx) => {
      await this.requireUngrouped(tx, [incidentId]);
      await this.step(tx, p, { from: OPEN_STATUSES, to: null, event: { actor, action: 'INCIDENT_ADDED', note: text(note, 'note'), detail: { incidentId } } });
      if (!(await groupIncident(tx, problemId, incidentId))) throw new ConflictError('the incident was grouped under another problem meanwhile', 'incidentId');
    });
  }

  /** Moves an incident between problems: the caller names where it is now, so that no move is silent. */
  async moveIncident(incidentId: string, fromProblemId: string, toProblemId: string, actor: string, note: string | null): Promise<void> {
    if (fromProblemId === toProblemId) throw new ValidationError('toProblemId', 'is the problem the incident is in');
    const [from, to] = [await this.get(fromProblemId), await this.get(toProblemId)];
    const inc = (await this.db.read((tx) => incidentsByIds(tx, [incidentId]))).get(incidentId);
    if (!inc) throw new NotFoundError('incident', incidentId, 'incidentId');
    const detail = { incidentId, incidentNumber: inc.number, fromProblemId, fromProblem: from.number, toProblemId, toProblem: to.number };
    const event = { actor, action: 'INCIDENT_MOVED', note: text(note, 'note'), detail };
    await this.db.write(async (tx) => {
      await this.step(tx, from, { from: [], to: null, event: { ...event, action: 'INCIDENT_MOVED_OUT' } });
      await this.step(tx, to, { from: OPEN_STATUSES, to: null, event: { ...event, action: 'INCIDENT_MOVED_IN' } });
      if (!(await moveIncident(tx, incidentId, fromProblemId, toProblemId))) {
        throw new ConflictError(`incident ${inc.number} is not in problem ${from.number}`, 'fromProblemId');
      }
      await applyStep(tx, 'Incident', incidentId, { from: [], to: null, event });
    });
  }
}
