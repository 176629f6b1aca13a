// Owns change enablement: change requests, their assessment (blast radius by distance with redundancy, owners to
// notify, risk with its factors, conflicts with overlapping changes, freeze windows), the snapshot stored at
// submission and the diff a re-assessment shows, and the lifecycle with separation of duties.
import type { ClassModel } from '../domain/class-model/types';
import { mintId } from '../domain/ci/identity';
import { propagateImpact, type ImpactReport } from '../domain/impact';
import { scoreChangeRisk, withServiceLevelFactors, type ChangeRisk, type ChangeType, type ImpactedCiRisk } from '../domain/risk';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { Db, Tx } from '../neo4j/db';
import { cisByIds } from '../neo4j/repositories/ci-repository';
import { upstreamIds, upstreamOf } from '../neo4j/repositories/impact-repository';
import {
  changesByIds,
  createChange,
  createFreezeWindow,
  failedChangesOn,
  freezeWindows,
  listChanges,
  nextNumber,
  overlappingChanges,
  updateChange,
  type ChangeRecord,
  type FreezeWindowRecord,
} from '../neo4j/repositories/itsm-repository';
import { MAX_IMPACT_DEPTH } from './impact';
import { impactedServiceLevels } from './service-level-risk';
import { NEARLY_SPENT_PERCENT } from '../domain/service-level';

export const CHANGE_TYPES = ['STANDARD', 'NORMAL', 'EMERGENCY'] as const;
export type ChangeStatus =
  | 'DRAFT'
  | 'ASSESSED'
  | 'AWAITING_APPROVAL'
  | 'APPROVED'
  | 'REJECTED'
  | 'SCHEDULED'
  | 'IMPLEMENTED'
  | 'CLOSED'
  | 'CANCELLED';

export interface BlastRing {
  distance: number;
  cis: { id: string; name: string; className: string; state: string; isService: boolean }[];
}

export interface ChangeConflict {
  changeId: string;
  number: string;
  title: string;
  status: string;
  plannedStart: string;
  plannedEnd: string;
  sharedServiceIds: string[];
  sharedCiIds: string[];
}

export interface ChangeAssessment {
  assessedAt: string;
  rings: BlastRing[];
  services: ImpactReport['services'];
  /** Teams owning any impacted CI; `cis` is absent in snapshots stored before other CIs were listed. */
  owners: ImpactReport['teams'];
  redundancyLost: { id: string; name: string; total: number; lost: number }[];
  risk: ChangeRisk;
  conflicts: ChangeConflict[];
  freezeWindows: FreezeWindowRecord[];
  impactedCount: number;
}

export interface AssessmentDiff {
  servicesAdded: string[];
  servicesRemoved: string[];
  servicesChangedState: string[];
  riskBefore: number;
  riskAfter: number;
  conflictsAdded: string[];
  conflictsRemoved: string[];
}

/** Outside this UTC window (Saturday 22:00 to Sunday 06:00) a normal change counts as out of window. */
function insideMaintenanceWindow(start: Date, end: Date): boolean {
  const sat = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() - ((start.getUTCDay() + 1) % 7), 22));
  const sun = new Date(sat.getTime() + 8 * 3600_000);
  return start >= sat && end <= sun;
}

function ringsOf(report: ImpactReport): BlastRing[] {
  const by = new Map<number, BlastRing>();
  for (const c of report.impacted) {
    const ring = by.get(c.distance) ?? { distance: c.distance, cis: [] };
    ring.cis.push({ id: c.id, name: c.name, className: c.className, state: c.state, isService: c.isService });
    by.set(c.distance, ring);
  }
  return [...by.values()].sort((a, b) => a.distance - b.distance);
}

/** The fields of an impacted CI the risk score weighs. */
function riskView(c: ImpactReport['impacted'][number]): ImpactedCiRisk {
  const view: ImpactedCiRisk = { id: c.id, name: c.name, className: c.className, criticality: c.criticality, state: c.state, isService: c.isService };
  if (c.environment) view.environment = c.environment;
  if (c.serviceKind) view.serviceKind = c.serviceKind;
  return view;
}

export class ChangeService {
  constructor(
    private readonly db: Db,
    private readonly model: ClassModel,
  ) {}

  async create(
    input: { title: string; description?: string | null; type: string; targetIds: string[]; plannedStart: string; plannedEnd: string },
    actor: string,
  ): Promise<string> {
    const title = input.title.trim();
    if (!title) throw new ValidationError('title', 'must not be empty');
    if (!(CHANGE_TYPES as readonly string[]).includes(input.type)) throw new ValidationError('type', `must be one of ${CHANGE_TYPES.join(', ')}`);
    if (!input.targetIds.length) throw new ValidationError('targetIds', 'name at least one CI the change touches');
    const start = Date.parse(input.plannedStart);
    const end = Date.parse(input.plannedEnd);
    if (Number.isNaN(start)) throw new ValidationError('plannedStart', 'is not a date-time');
    if (Number.isNaN(end) || end <= start) throw new ValidationError('plannedEnd', 'must be after plannedStart');
    const id = mintId('chg');
    await this.db.write(async (tx) => {
      const known = await cisByIds(tx, input.targetIds);
      const missing = input.targetIds.find((t) => !known.has(t));
      if (missing) throw new NotFoundError('CI', missing, 'targetIds');
      const number = await nextNumber(tx, 'change', 'CHG');
      await createChange(tx, {
        id,
        number,
        title,
        description: input.description ?? null,
        type: input.type,
        plannedStart: new Date(start).toISOString(),
        plannedEnd: new Date(end).toISOString(),
        requestedBy: actor,
        targetIds: [...new Set(input.targetIds)],
      });
    });
    return id;
  }

  async get(id: string): Promise<ChangeRecord> {
    const c = (await this.db.read((tx) => changesByIds(tx, [id]))).get(id);
    if (!c) throw new NotFoundError('change', id);
    return c;
  }

  list(statuses: string[], limit = 100): Promise<ChangeRecord[]> {
    return this.db.read((tx) => listChanges(tx, statuses, limit));
  }

  /** The blast radius of any set of CIs, for a quick look; writes nothing. */
  async whatIf(ciIds: string[]): Promise<ImpactReport> {
    if (!ciIds.length) throw new ValidationError('ciIds', 'name at least one CI');
    // The upstream subgraph holds every named CI that exists: one query both checks and reaches.
    const graph = await this.db.read((tx) => upstreamOf(tx, this.model, ciIds, MAX_IMPACT_DEPTH));
    const reached = new Set(graph.nodes.map((n) => n.id));
    const missing = ciIds.find((t) => !reached.has(t));
    if (missing) throw new NotFoundError('CI', missing, 'ciIds');
    return propagateImpact(graph, ciIds.map((id) => ({ id, state: 'DOWN' as const })), { maxPaths: 2 });
  }

  /** Assesses against the graph as it is now; nothing is stored. */
  async assess(change: ChangeRecord): Promise<ChangeAssessment> {
    return this.db.read(async (tx) => this.assessIn(tx, change));
  }

  private async assessIn(tx: Tx, change: ChangeRecord): Promise<ChangeAssessment> {
    const impactOf = async (targets: string[]) =>
      propagateImpact(await upstreamOf(tx, this.model, targets, MAX_IMPACT_DEPTH), targets.map((id) => ({ id, state: 'DOWN' as const })), { maxPaths: 2 });
    const report = await impactOf(change.targetIds);
    const impactedIds = new Set(report.impacted.map((c) => c.id));
    const serviceIds = new Set(report.services.map((s) => s.id));

    const conflicts: ChangeConflict[] = [];
    for (const other of await overlappingChanges(tx, change.plannedStart, change.plannedEnd, change.id)) {
      // Only what the other change can reach can be in its blast radius: when none of that is in ours, there
      // is no conflict and its (possibly huge) propagation is not needed.
      const reachable = await upstreamIds(tx, this.model, other.targetIds, MAX_IMPACT_DEPTH);
      if (![...impactedIds].some((id) => reachable.has(id))) continue;
      const theirs = await impactOf(other.targetIds);
      const sharedCiIds = theirs.impacted.map((c) => c.id).filter((id) => impactedIds.has(id)).sort();
      if (!sharedCiIds.length) continue;
      conflicts.push({
        changeId: other.id,
        number: other.number,
        title: other.title,
        status: other.status,
        plannedStart: other.plannedStart,
        plannedEnd: other.plannedEnd,
        sharedServiceIds: sharedCiIds.filter((id) => serviceIds.has(id)),
        sharedCiIds,
      });
    }
    const freezes = await freezeWindows(tx, change.plannedStart, change.plannedEnd);
    const since = new Date(Date.now() - 90 * 24 * 3600_000).toISOString();
    const failedPast = await failedChangesOn(tx, change.targetIds, since);
    const redundancyLost = report.groups.filter((g) => g.holds && g.lost > 0).map((g) => ({ id: g.id, name: g.name, total: g.total, lost: g.lost }));
    const baseRisk = scoreChangeRisk({
      changeType: change.type.toLowerCase() as ChangeType,
      impacted: report.impacted.map(riskView),
      redundancyLost: redundancyLost.length,
      failedPastChanges: failedPast,
      outOfWindow: change.type !== 'EMERGENCY' && !insideMaintenanceWindow(new Date(change.plannedStart), new Date(change.plannedEnd)),
      inFreeze: freezes.length > 0,
      targetCount: change.targetIds.length,
    });
    const risk = withServiceLevelFactors(baseRisk, await impactedServiceLevels(tx, report, change), NEARLY_SPENT_PERCENT);
    return {
      assessedAt: new Date().toISOString(),
      rings: ringsOf(report),
      services: report.services,
      owners: report.teams,
      redundancyLost,
      risk,
      conflicts,
      freezeWindows: freezes,
      impactedCount: report.impacted.length,
    };
  }

  snapshot(change: ChangeRecord): ChangeAssessment | null {
    return change.assessmentJson ? (JSON.parse(change.assessmentJson) as ChangeAssessment) : null;
  }

  diff(before: ChangeAssessment, after: ChangeAssessment): AssessmentDiff {
    const b = new Map(before.services.map((s) => [s.id, s]));
    const a = new Map(after.services.map((s) => [s.id, s]));
    const bc = new Set(before.conflicts.map((c) => c.changeId));
    const ac = new Set(after.conflicts.map((c) => c.changeId));
    return {
      servicesAdded: [...a.keys()].filter((id) => !b.has(id)),
      servicesRemoved: [...b.keys()].filter((id) => !a.has(id)),
      servicesChangedState: [...a.keys()].filter((id) => b.has(id) && b.get(id)!.state !== a.get(id)!.state),
      riskBefore: before.risk.score,
      riskAfter: after.risk.score,
      conflictsAdded: [...ac].filter((id) => !bc.has(id)),
      conflictsRemoved: [...bc].filter((id) => !ac.has(id)),
    };
  }

  /** Records an assessment (DRAFT -> ASSESSED) without submitting. */
  async markAssessed(id: string): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['DRAFT', 'ASSESSED']);
    const assessment = await this.assess(c);
    await this.db.write((tx) => updateChange(tx, id, { status: 'ASSESSED', assessmentJson: JSON.stringify(assessment) }));
  }

  /**
   * Submission stores the assessment approvers will see. A standard change is pre-approved, unless its
   * assessment is HIGH or CRITICAL: then it needs approval like a normal change.
   */
  async submit(id: string, actor: string): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['DRAFT', 'ASSESSED']);
    if (c.requestedBy !== actor) throw new ConflictError('only the requester submits a change', 'id');
    const assessment = await this.assess(c);
    const preApproved = c.type === 'STANDARD' && (assessment.risk.level === 'LOW' || assessment.risk.level === 'MEDIUM');
    await this.db.write((tx) =>
      updateChange(
        tx,
        id,
        {
          status: preApproved ? 'APPROVED' : 'AWAITING_APPROVAL',
          assessmentJson: JSON.stringify(assessment),
          submittedAt: new Date().toISOString(),
          ...(preApproved ? { approvedBy: 'pre-approved (standard change)', decidedBy: 'pre-approved (standard change)' } : {}),
        },
        ['submittedAt'],
      ),
    );
  }

  /**
   * Approval needs someone other than the requester. A normal change cannot be approved into a freeze window;
   * an emergency change can (that is what the emergency path is for), and skips scheduling.
   */
  async decide(id: string, approve: boolean, actor: string, note: string | null): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['AWAITING_APPROVAL']);
    if (c.requestedBy === actor) throw new ConflictError(`${actor} requested this change and cannot ${approve ? 'approve' : 'reject'} it`, 'id');
    if (approve && c.type !== 'EMERGENCY') {
      const freezes = await this.db.read((tx) => freezeWindows(tx, c.plannedStart, c.plannedEnd));
      if (freezes.length) {
        throw new ConflictError(`the window falls in freeze "${freezes[0]!.name}": only an emergency change may be approved into it`, 'id');
      }
    }
    await this.db.write((tx) =>
      updateChange(tx, id, { status: approve ? 'APPROVED' : 'REJECTED', decidedBy: actor, approvedBy: approve ? actor : null, decisionNote: note }),
    );
  }

  async schedule(id: string): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['APPROVED']);
    await this.db.write((tx) => updateChange(tx, id, { status: 'SCHEDULED' }));
  }

  async implement(id: string): Promise<void> {
    const c = await this.get(id);
    this.require(c, c.type === 'EMERGENCY' ? ['APPROVED', 'SCHEDULED'] : ['SCHEDULED']);
    await this.db.write((tx) => updateChange(tx, id, { status: 'IMPLEMENTED' }));
  }

  async close(id: string, outcome: 'SUCCESSFUL' | 'FAILED' | 'BACKED_OUT'): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['IMPLEMENTED']);
    await this.db.write((tx) => updateChange(tx, id, { status: 'CLOSED', outcome, closedAt: new Date().toISOString() }, ['closedAt']));
  }

  async cancel(id: string): Promise<void> {
    const c = await this.get(id);
    this.require(c, ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'SCHEDULED']);
    await this.db.write((tx) => updateChange(tx, id, { status: 'CANCELLED' }));
  }

  async addFreezeWindow(name: string, start: string, end: string): Promise<string> {
    if (!name.trim()) throw new ValidationError('name', 'must not be empty');
    const s = Date.parse(start);
    const e = Date.parse(end);
    if (Number.isNaN(s)) throw new ValidationError('start', 'is not a date-time');
    if (Number.isNaN(e) || e <= s) throw new ValidationError('end', 'must be after start');
    const id = mintId('frz');
    await this.db.write((tx) => createFreezeWindow(tx, { id, name: name.trim(), start: new Date(s).toISOString(), end: new Date(e).toISOString() }));
    return id;
  }

  listFreezeWindows(): Promise<FreezeWindowRecord[]> {
    return this.db.read((tx) => freezeWindows(tx));
  }

  private require(c: ChangeRecord, from: string[]): void {
    if (!from.includes(c.status)) {
      throw new ValidationError('status', `change ${c.number} is ${c.status}; this step needs ${from.join(' or ')}`);
    }
  }
}
