// Owns change enablement's lifecycle: drafting (standard changes within their model), editing before approval
// with re-assessment and diff, submission (window checks, freeze warnings, the snapshot approvers see),
// approval by the policy with separation of duties, scheduling, implementation within the window, closure.
// Every step is guarded in its write (the status it starts from) and recorded with actor, time and note.
import DataLoader from 'dataloader';
import { approvalCapacities, approvalProblem, approvalState, DEFAULT_APPROVAL_POLICY, type ApprovalCapacities, type ApprovalPolicy, type ApprovalState } from '../domain/change/approval-policy';
import { implementationTimingProblem, submissionWindowProblem } from '../domain/change/windows';
import type { ClassModel } from '../domain/class-model/types';
import { mintId } from '../domain/ci/identity';
import { propagateImpact, type ImpactReport } from '../domain/impact';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import { cisByIds } from '../neo4j/repositories/ci-repository';
import type { Instant } from '../domain/time-travel/as-of';
import { upstreamAt } from './time-travel';
import { changesByIds, createChange, listChanges, nextNumber, replanChange, type ChangeRecord } from '../neo4j/repositories/itsm-repository';
import { addApproval, applyStep, approvalsOf, approvalsOfChanges, lockIfIn, statusOf, timelineOf, type ApprovalRow, type RecordEvent, type StepWrite } from '../neo4j/repositories/record-repository';
import { ChangeAssessor, diffAssessments, type AssessmentDiff, type ChangeAssessment } from './change-assessment';
import { ChangeCatalogue } from './change-catalogue';
import { MAX_IMPACT_DEPTH } from './impact';
import type { UpstreamSource } from './impact-read-model';
import { readAssessment, storeAssessment } from './stored-documents';

export type { AssessmentDiff, BlastRing, ChangeAssessment, ChangeConflict } from './change-assessment';

export const CHANGE_TYPES = ['STANDARD', 'NORMAL', 'EMERGENCY'] as const;
export type ChangeStatus = 'DRAFT' | 'ASSESSED' | 'AWAITING_APPROVAL' | 'APPROVED' | 'REJECTED' | 'SCHEDULED' | 'IMPLEMENTED' | 'CLOSED' | 'CANCELLED';

const EDITABLE: ChangeStatus[] = ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL'];
const PRE_APPROVED = 'pre-approved (standard change)';

export interface ChangeInput {
  title: string;
  description?: string | null;
  type: string;
  targetIds: string[];
  plannedStart: string;
  plannedEnd: string;
  standardModelId?: string | null;
  templateValues?: Record<string, string> | null;
}

export interface ChangeEdit {
  targetIds?: string[] | null;
  plannedStart?: string | null;
  plannedEnd?: string | null;
}

function parseWindow(start: string, end: string): { plannedStart: string; plannedEnd: string } {
  const s = Date.parse(start);
  const e = Date.parse(end);
  if (Number.isNaN(s)) throw new ValidationError('plannedStart', 'is not a date-time');
  if (Number.isNaN(e) || e <= s) throw new ValidationError('plannedEnd', 'must be after plannedStart');
  return { plannedStart: new Date(s).toISOString(), plannedEnd: new Date(e).toISOString() };
}

export class ChangeService {
  private readonly assessor: ChangeAssessor;
  readonly catalogue: ChangeCatalogue;

  private readonly approvalStates = new WeakMap<ChangeRecord, Promise<ApprovalState | null>>();
  /**
   * A list of changes reads its approvals in one statement. Batching only, no cache: a record loaded again after
   * a write gets what the write left.
   */
  private readonly approvalRows = new DataLoader<string, ApprovalRow[]>(
    async (ids) => {
      const rows = await this.db.read((tx) => approvalsOfChanges(tx, ids));
      return ids.map((id) => rows.get(id) ?? []);
    },
    { cache: false },
  );

  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
    policy: ApprovalPolicy = DEFAULT_APPROVAL_POLICY,
    private readonly now: () => Date = () => new Date(),
    /** The impact read model, where the process keeps one; otherwise each assessment walks Neo4j in its own transaction. */
    private readonly source?: UpstreamSource,
  ) {
    this.assessor = new ChangeAssessor(model, policy, source);
    this.catalogue = new ChangeCatalogue(db, model);
  }

  async create(input: ChangeInput, actor: string): Promise<string> {
    const title = input.title.trim();
    if (!title) throw new ValidationError('title', 'must not be empty');
    if (!(CHANGE_TYPES as readonly string[]).includes(input.type)) throw new ValidationError('type', `must be one of ${CHANGE_TYPES.join(', ')}`);
    if (!input.targetIds.length) throw new ValidationError('targetIds', 'name at least one CI the change touches');
    const window = parseWindow(input.plannedStart, input.plannedEnd);
    const targetIds = [...new Set(input.targetIds)];
    const id = mintId('chg');
    await this.db.write(async (tx) => {
      await this.requireTargets(tx, targetIds);
      const templateJson = await this.standardTemplate(tx, input, targetIds);
      const number = await nextNumber(tx, 'change', 'CHG');
      await createChange(tx, { id, number, title, description: input.description ?? null, type: input.type, ...window, requestedBy: actor, targetIds, standardModelId: input.standardModelId ?? null, templateJson });
    });
    return id;
  }

  private async requireTargets(tx: Tx, targetIds: string[]): Promise<void> {
    const known = await cisByIds(tx, targetIds);
    const missing = targetIds.find((t) => !known.has(t));
    if (missing) throw new NotFoundError('CI', missing, 'targetIds');
  }

  /** A standard change names its model and stays within it; its template fields come back filled, as JSON. */
  private async standardTemplate(tx: Tx, input: ChangeInput, targetIds: string[]): Promise<string | null> {
    if (input.type !== 'STANDARD') {
      if (input.standardModelId) throw new ValidationError('standardModelId', 'only a STANDARD change follows a standard-change model');
      return null;
    }
    if (!input.standardModelId) throw new ValidationError('standardModelId', 'a STANDARD change names the standard-change model it follows');
    const model = await this.catalogue.modelIn(tx, input.standardModelId);
    await this.catalogue.requireWithinModel(tx, model, targetIds);
    return JSON.stringify(this.catalogue.template(model, input.templateValues ?? {}));
  }

  async get(id: string): Promise<ChangeRecord> {
    const c = (await this.db.read((tx) => changesByIds(tx, [id]))).get(id);
    if (!c) throw new NotFoundError('change', id);
    return c;
  }

  /** The change, or null when there is none; a database failure still surfaces as an error. */
  async find(id: string): Promise<ChangeRecord | null> {
    return (await this.db.read((tx) => changesByIds(tx, [id]))).get(id) ?? null;
  }

  list(statuses: string[], limit = 100): Promise<ChangeRecord[]> {
    return this.db.read((tx) => listChanges(tx, statuses, limit));
  }

  timeline(id: string): Promise<RecordEvent[]> {
    return this.db.read((tx) => timelineOf(tx, 'Change', id));
  }

  /** Who has approved in the current round and who is still awaited, against the submitted assessment. */
  /**
   * Read once per loaded record: a change's `approvals` and `yourApproval` are both asked for in one request, and
   * records are loaded per request, so nothing outlives it.
   */
  approvals(c: ChangeRecord): Promise<ApprovalState | null> {
    let state = this.approvalStates.get(c);
    if (!state) {
      state = this.readApprovals(c);
      this.approvalStates.set(c, state);
    }
    return state;
  }

  private async readApprovals(c: ChangeRecord): Promise<ApprovalState | null> {
    const needed = this.snapshot(c)?.approvalsNeeded;
    if (!needed || c.type === 'STANDARD') return null;
    return approvalState(needed, await this.approvalRows.load(c.id));
  }

  /** What `actor` may still approve this change as: nothing unless it awaits approval and they may approve changes. */
  async approvalCapacities(c: ChangeRecord, actor: string, mayApprove: boolean): Promise<ApprovalCapacities> {
    const state = mayApprove && c.status === 'AWAITING_APPROVAL' ? await this.approvals(c) : null;
    return state ? approvalCapacities(state, c.requestedBy, actor) : { personally: false, forTeams: [] };
  }

  /** The blast radius of any set of CIs, for a quick look; writes nothing. */
  async whatIf(ciIds: string[], at?: Instant): Promise<ImpactReport> {
    if (!ciIds.length) throw new ValidationError('ciIds', 'name at least one CI');
    // The upstream subgraph holds every named CI that exists: one query both checks and reaches.
    const graph =
      at === undefined && this.source
        ? await this.source.upstream(ciIds, MAX_IMPACT_DEPTH)
        : await this.db.read((tx) => upstreamAt(tx, this.model, ciIds, MAX_IMPACT_DEPTH, at));
    const reached = new Set(graph.nodes.map((n) => n.id));
    const missing = ciIds.find((t) => !reached.has(t));
    if (missing) throw new NotFoundError('CI', missing, 'ciIds');
    return propagateImpact(graph, ciIds.map((id) => ({ id, state: 'DOWN' as const })), { maxPaths: 2 });
  }

  /** Assesses against the graph as it is now, or its blast radius as of `at`; nothing is stored. */
  assess(change: ChangeRecord, at?: Instant): Promise<ChangeAssessment> {
    return this.db.read((tx) => this.assessor.assess(tx, change, at));
  }

  snapshot(change: ChangeRecord): ChangeAssessment | null {
    return change.assessmentJson ? readAssessment(change.assessmentJson, change.number) : null;
  }

  diff(before: ChangeAssessment, after: ChangeAssessment): AssessmentDiff {
    return diffAssessments(before, after);
  }

  /**
   * Runs one guarded step: the status it needs is checked first, and again inside the write, so a step that
   * lost a race to another one is refused like any step its status does not allow (ConflictError on status).
   */
  private async step(c: ChangeRecord, write: StepWrite, more?: (tx: Tx) => Promise<void>): Promise<void> {
    this.require(c, write.from);
    await this.db.write(async (tx) => {
      if ((await applyStep(tx, 'Change', c.id, write)) === null) await this.lostRace(tx, c, write);
      await more?.(tx);
    });
  }

  private async lostRace(tx: Tx, c: ChangeRecord, write: StepWrite): Promise<never> {
    const now = await statusOf(tx, 'Change', c.id);
    throw new ConflictError(`change ${c.number} became ${now ?? 'deleted'} meanwhile; ${write.event.action.toLowerCase()} needs ${write.from.join(' or ')}`, 'status');
  }

  /** Records an assessment (DRAFT -> ASSESSED) without submitting. */
  async markAssessed(id: string, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    const assessment = await this.assess(c);
    await this.step(c, { from: ['DRAFT', 'ASSESSED'], to: 'ASSESSED', set: { assessmentJson: storeAssessment(assessment) }, event: { actor, action: 'ASSESSED', note, detail: { riskScore: assessment.risk.score, riskLevel: assessment.risk.level } } });
  }

  /**
   * Re-plans the window or targets before approval. The change is re-assessed, the edit's before, after and
   * assessment diff go on the timeline, and a change awaiting approval goes back to ASSESSED: approvals given
   * for the old plan do not carry over.
   */
  async edit(id: string, edit: ChangeEdit, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    if (c.requestedBy !== actor) throw new ConflictError('only the requester edits a change', 'id');
    const window = parseWindow(edit.plannedStart ?? c.plannedStart, edit.plannedEnd ?? c.plannedEnd);
    const targetIds = edit.targetIds ? [...new Set(edit.targetIds)].sort() : c.targetIds;
    if (!targetIds.length) throw new ValidationError('targetIds', 'name at least one CI the change touches');
    const after: ChangeRecord = { ...c, ...window, targetIds };
    const before = this.snapshot(c) ?? (await this.assess(c));
    this.require(c, EDITABLE);
    await this.db.write(async (tx) => {
      await this.requireTargets(tx, targetIds);
      if (c.standardModelId) await this.catalogue.requireWithinModel(tx, await this.catalogue.modelIn(tx, c.standardModelId), targetIds);
      const assessment = await this.assessor.assess(tx, after);
      const plan = (x: ChangeRecord) => ({ plannedStart: x.plannedStart, plannedEnd: x.plannedEnd, targetIds: x.targetIds });
      const detail = { before: plan(c), after: plan(after), diff: diffAssessments(before, assessment) };
      const to = c.status === 'DRAFT' ? 'DRAFT' : 'ASSESSED';
      const write: StepWrite = { from: EDITABLE, to, set: { assessmentJson: c.status === 'DRAFT' ? null : storeAssessment(assessment), round: c.round + 1 }, event: { actor, action: 'EDITED', note, detail } };
      if ((await applyStep(tx, 'Change', id, write)) === null) await this.lostRace(tx, c, write);
      await replanChange(tx, id, plan(after));
    });
  }

  /**
   * Submission stores the assessment approvers will see and opens a new approval round. The window must not
   * have started. A freeze that reaches the change is a warning here (approval will refuse it unless it is an
   * emergency). A standard change within its model and under its risk ceiling is pre-approved.
   */
  async submit(id: string, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['DRAFT', 'ASSESSED']);
    if (c.requestedBy !== actor) throw new ConflictError('only the requester submits a change', 'id');
    const past = submissionWindowProblem(c.plannedStart, this.now());
    if (past) throw new ValidationError('plannedStart', past);
    const assessment = await this.assess(c);
    const preApproved = c.type === 'STANDARD' ? await this.catalogue.requireUnderCeiling(c, assessment) : false;
    const warnings = assessment.freezeWindows.map(
      (f) => `the window falls in freeze "${f.name}" (${f.start} to ${f.end})${c.type === 'EMERGENCY' ? '' : ': only an emergency change may be approved into it'}`,
    );
    await this.step(c, {
      from: ['DRAFT', 'ASSESSED'],
      to: preApproved ? 'APPROVED' : 'AWAITING_APPROVAL',
      set: { assessmentJson: storeAssessment(assessment), round: c.round + 1, ...(preApproved ? { approvedBy: PRE_APPROVED, decidedBy: PRE_APPROVED } : {}) },
      stamp: ['submittedAt'],
      event: { actor, action: 'SUBMITTED', note, warnings, detail: { riskScore: assessment.risk.score, riskLevel: assessment.risk.level, approvalsNeeded: preApproved ? null : assessment.approvalsNeeded } },
    });
  }

  /**
   * An approval counts towards the policy the submitted assessment set; the change is APPROVED when the policy
   * is met. The requester cannot approve or reject their own change. A normal change cannot be approved into a
   * freeze that reaches it; an emergency change can (that is what the emergency path is for).
   */
  async approve(id: string, actor: string, note: string | null, onBehalfOf: string | null): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['AWAITING_APPROVAL']);
    this.notRequester(c, actor, 'approve');
    if (c.type !== 'EMERGENCY') {
      const [freeze] = (await this.assess(c)).freezeWindows;
      if (freeze) throw new ConflictError(`the window falls in freeze "${freeze.name}": only an emergency change may be approved into it`, 'id');
    }
    const needed = this.snapshot(c)!.approvalsNeeded;
    await this.db.write(async (tx) => {
      // Lock and re-check first, so that concurrent approvals see each other and a concurrent rejection wins or loses whole.
      const lock: StepWrite = { from: ['AWAITING_APPROVAL'], to: null, event: { actor, action: 'APPROVAL', note, detail: { onBehalfOf } } };
      if ((await lockIfIn(tx, 'Change', id, lock.from)) === null) await this.lostRace(tx, c, lock);
      const approvals = await approvalsOf(tx, id);
      const problem = approvalProblem(needed, approvals, { actor, onBehalfOf });
      if (problem) throw new ConflictError(problem, onBehalfOf ? 'onBehalfOf' : 'id');
      const state = approvalState(needed, [...approvals, { actor, onBehalfOf, note, at: this.now().toISOString() }]);
      const write: StepWrite = state.satisfied
        ? { ...lock, to: 'APPROVED', set: { approvedBy: [...new Set(state.approvals.map((a) => a.actor))].join(', '), decidedBy: actor, decisionNote: note }, event: { ...lock.event, action: 'APPROVED' } }
        : lock;
      await applyStep(tx, 'Change', id, write);
      await addApproval(tx, id, { actor, onBehalfOf, note });
    });
  }

  async reject(id: string, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    this.notRequester(c, actor, 'reject');
    await this.step(c, { from: ['AWAITING_APPROVAL'], to: 'REJECTED', set: { decidedBy: actor, approvedBy: null, decisionNote: note }, event: { actor, action: 'REJECTED', note } });
  }

  private notRequester(c: ChangeRecord, actor: string, verb: string): void {
    if (c.requestedBy === actor) throw new ConflictError(`${actor} requested this change and cannot ${verb} it`, 'id');
  }

  async schedule(id: string, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    this.notRequester(c, actor, 'schedule');
    await this.step(c, { from: ['APPROVED'], to: 'SCHEDULED', set: { scheduledBy: actor }, stamp: ['scheduledAt'], event: { actor, action: 'SCHEDULED', note } });
  }

  /** Implementation is recorded within or after the window; before it only with an explicit early-start reason. */
  async implement(id: string, actor: string, note: string | null, earlyStartReason: string | null): Promise<void> {
    const c = await this.get(id);
    const from = c.type === 'EMERGENCY' ? ['APPROVED', 'SCHEDULED'] : ['SCHEDULED'];
    this.require(c, from);
    const early = implementationTimingProblem(c.plannedStart, this.now(), earlyStartReason);
    if (early) throw new ValidationError('earlyStartReason', early);
    const earlyStart = Date.parse(c.plannedStart) > this.now().getTime() ? earlyStartReason!.trim() : null;
    await this.step(c, { from, to: 'IMPLEMENTED', set: { implementedBy: actor, earlyStartReason: earlyStart }, stamp: ['implementedAt'], event: { actor, action: 'IMPLEMENTED', note, detail: earlyStart ? { earlyStartReason: earlyStart } : undefined } });
  }

  async close(id: string, outcome: 'SUCCESSFUL' | 'FAILED' | 'BACKED_OUT', actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    await this.step(c, { from: ['IMPLEMENTED'], to: 'CLOSED', set: { outcome, closedBy: actor }, stamp: ['closedAt'], event: { actor, action: 'CLOSED', note, detail: { outcome } } });
  }

  async cancel(id: string, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    await this.step(c, { from: ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'SCHEDULED'], to: 'CANCELLED', event: { actor, action: 'CANCELLED', note } });
  }

  /** A step the change's status does not allow conflicts with its state, as a lost race does: one error, CONFLICT. */
  private require(c: ChangeRecord, from: string[]): void {
    if (!from.includes(c.status)) {
      throw new ConflictError(`change ${c.number} is ${c.status}; this step needs ${from.join(' or ')}`, 'status');
    }
  }
}
