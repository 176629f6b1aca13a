// Owns a change's assessment against the graph as it is: blast radius by distance with redundancy, owners to
// notify, the approvals the policy asks for, risk with its factors, conflicts with overlapping changes, the
// freeze windows that reach it and the maintenance windows that govern it; and the diff between two assessments.
import { approvalsNeeded, type ApprovalPolicy, type ApprovalsNeeded } from '../domain/change/approval-policy';
import { fittingWindow, freezesConcerning, governingWindows, type ChangeScope, type MaintenanceWindow } from '../domain/change/windows';
import type { ClassModel } from '../domain/class-model/types';
import { impactSummaries, upstreamOfGraph, type ImpactReport, type ImpactSummary, type Upstream } from '../domain/impact';
import { scoreChangeRisk, withServiceLevelFactors, type ChangeRisk, type ChangeType, type ImpactedCiRisk } from '../domain/risk';
import { NEARLY_SPENT_PERCENT } from '../domain/service-level';
import { impactedServiceLevels } from './service-level-risk';
import type { Tx } from '../neo4j/db';
import { maintenanceWindows } from '../neo4j/repositories/change-catalogue-repository';
import { upstreamIds } from '../neo4j/repositories/impact-repository';
import type { Instant } from '../domain/time-travel/as-of';
import { upstreamAt } from './time-travel';
import { failedChangesOn, freezeWindows, overlappingChanges, type ChangeRecord, type FreezeWindowRecord } from '../neo4j/repositories/itsm-repository';
import { MAX_IMPACT_DEPTH } from './impact';
import type { HeldServiceLevel, UpstreamSource } from './impact-read-model';
import { compareStrings } from '../domain/impact/graph-index';

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
  /** The windows that govern this change's timing, and the one it fits (null: outside all of them). */
  maintenanceWindows: MaintenanceWindow[];
  fitsMaintenanceWindow: MaintenanceWindow | null;
  approvalsNeeded: ApprovalsNeeded;
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

/** The fields of an impacted CI the risk score weighs. */
function riskView(c: ImpactSummary): ImpactedCiRisk {
  const view: ImpactedCiRisk = { id: c.id, name: c.name, className: c.className, criticality: c.criticality, state: c.state, isService: c.isService };
  if (c.environment) view.environment = c.environment;
  if (c.serviceKind) view.serviceKind = c.serviceKind;
  return view;
}

// Rings, risk and scope read every impacted CI but none of their paths: summaries, not report entries.
function ringsOf(report: ImpactReport): BlastRing[] {
  const by = new Map<number, BlastRing>();
  for (const c of [...impactSummaries(report)].sort((a, b) => a.distance - b.distance || compareStrings(a.id, b.id))) {
    const ring = by.get(c.distance) ?? { distance: c.distance, cis: [] };
    ring.cis.push({ id: c.id, name: c.name, className: c.className, state: c.state, isService: c.isService });
    by.set(c.distance, ring);
  }
  return [...by.values()].sort((a, b) => a.distance - b.distance);
}

export function scopeOf(report: ImpactReport, targetIds: string[]): ChangeScope {
  const impacted = impactSummaries(report);
  const environments = impacted.map((c) => c.environment).filter((e): e is string => !!e);
  return { ciIds: [...new Set([...targetIds, ...impacted.map((c) => c.id)])], environments: [...new Set(environments)] };
}

export class ChangeAssessor {
  constructor(
    private readonly model: ClassModel,
    private readonly policy: ApprovalPolicy,
    /** Where the upstream subgraph comes from; without one, the assessment's own transaction walks Neo4j. */
    private readonly source?: UpstreamSource,
  ) {}

  /** The blast radius, and the levels of its services where the read model holds them (as of the same version). */
  private async impactOf(tx: Tx, source: UpstreamSource | undefined, targets: string[], at?: Instant): Promise<{ report: ImpactReport; levels?: HeldServiceLevel[] }> {
    const report = (upstream: Upstream) => upstream.propagate(targets.map((id) => ({ id, state: 'DOWN' as const })), { maxPaths: 2 });
    // The read model remembers the present only; the past is walked in Neo4j.
    if (at === undefined && source?.remember) {
      return source.remember(JSON.stringify(['change', [...targets].sort()]), targets, MAX_IMPACT_DEPTH, (upstream, held) => {
        const r = report(upstream);
        return { report: r, levels: held.serviceLevels(impactSummaries(r).filter((c) => c.isService).map((c) => c.id)) };
      });
    }
    return { report: report(upstreamOfGraph(await upstreamAt(tx, this.model, targets, MAX_IMPACT_DEPTH, at))) };
  }

  /**
   * The records an assessment weighs besides the graph, read at once: none depends on another, and the driver
   * pipelines statements sent together in one transaction, so they cost one round trip rather than four.
   */
  private async recordsAround(tx: Tx, change: ChangeRecord) {
    const since = new Date(Date.now() - 90 * 24 * 3600_000).toISOString();
    const [freezeRecords, windows, failedPast, overlapping] = await Promise.all([
      freezeWindows(tx, change.plannedStart, change.plannedEnd),
      maintenanceWindows(tx),
      failedChangesOn(tx, change.targetIds, since),
      overlappingChanges(tx, change.plannedStart, change.plannedEnd, change.id),
    ]);
    return { freezeRecords, windows, failedPast, overlapping };
  }

  private async conflictsOf(tx: Tx, source: UpstreamSource | undefined, overlapping: ChangeRecord[], report: ImpactReport): Promise<ChangeConflict[]> {
    const impactedIds = new Set(impactSummaries(report).map((c) => c.id));
    // Summaries, not report.services: the services' entries carry explanation paths, thousands on a shared store.
    const serviceIds = new Set(impactSummaries(report).filter((c) => c.isService).map((c) => c.id));
    const conflicts: ChangeConflict[] = [];
    for (const other of overlapping) {
      // Only what the other change can reach can be in its blast radius: when none of that is in ours, there
      // is no conflict and its (possibly huge) propagation is not needed.
      const reachable = source ? await source.upstreamIds(other.targetIds, MAX_IMPACT_DEPTH) : await upstreamIds(tx, this.model, other.targetIds, MAX_IMPACT_DEPTH);
      if (![...impactedIds].some((id) => reachable.has(id))) continue;
      const { report: theirs } = await this.impactOf(tx, source, other.targetIds);
      const sharedCiIds = impactSummaries(theirs).map((c) => c.id).filter((id) => impactedIds.has(id)).sort();
      if (!sharedCiIds.length) continue;
      const { id: changeId, number, title, status, plannedStart, plannedEnd } = other;
      conflicts.push({ changeId, number, title, status, plannedStart, plannedEnd, sharedServiceIds: sharedCiIds.filter((id) => serviceIds.has(id)), sharedCiIds });
    }
    return conflicts;
  }

  private businessOwners(report: ImpactReport): string[] {
    return impactSummaries(report).filter((s) => s.isService && this.model.serviceKind(s.className) === 'business').flatMap((s) => s.ownerTeams);
  }

  /** With `at`, the blast radius is the one the graph had then; windows, conflicts and risk history stay current. */
  async assess(tx: Tx, change: ChangeRecord, at?: Instant): Promise<ChangeAssessment> {
    // One version check for the blast radius and for every overlapping change's, rather than two per change.
    const source = (await this.source?.pinned?.()) ?? this.source;
    const { report, levels } = await this.impactOf(tx, source, change.targetIds, at);
    const { freezeRecords, windows, failedPast, overlapping } = await this.recordsAround(tx, change);
    const scope = scopeOf(report, change.targetIds);
    const freezes = freezesConcerning(freezeRecords, scope, change.plannedStart, change.plannedEnd);
    const fits = fittingWindow(windows, scope, new Date(change.plannedStart), new Date(change.plannedEnd));
    const redundancyLost = report.groups.filter((g) => g.holds && g.lost > 0).map((g) => ({ id: g.id, name: g.name, total: g.total, lost: g.lost }));
    const baseRisk = scoreChangeRisk({
      changeType: change.type.toLowerCase() as ChangeType,
      impacted: impactSummaries(report).map(riskView),
      redundancyLost: redundancyLost.length,
      failedPastChanges: failedPast,
      outOfWindow: change.type !== 'EMERGENCY' && !fits,
      inFreeze: freezes.length > 0,
      targetCount: change.targetIds.length,
    });
    const risk = withServiceLevelFactors(baseRisk, await impactedServiceLevels(tx, report, change, levels), NEARLY_SPENT_PERCENT);
    return {
      assessedAt: new Date().toISOString(),
      rings: ringsOf(report),
      // Built when read: 5,000 services' explanation paths, and owners with their lists, are for the screens
      // that show them.
      get services() {
        return report.services;
      },
      get owners() {
        return report.teams;
      },
      redundancyLost,
      risk,
      conflicts: await this.conflictsOf(tx, source, overlapping, report),
      freezeWindows: freezes,
      impactedCount: impactSummaries(report).length,
      maintenanceWindows: governingWindows(windows, scope),
      fitsMaintenanceWindow: fits,
      approvalsNeeded: approvalsNeeded(this.policy, risk.level, this.businessOwners(report)),
    };
  }
}

export function diffAssessments(before: ChangeAssessment, after: ChangeAssessment): AssessmentDiff {
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
