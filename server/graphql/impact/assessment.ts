// Owns the GraphQL shape of a change's assessment: risk with its factors, blast radius rings, conflicts, freeze
// and maintenance windows, the approvals the policy asks for, and the diff between two assessments.
import type { ApprovalsNeeded as Needed, ApprovalState } from '../../domain/change/approval-policy';
import type { MaintenanceWindow as Window } from '../../domain/change/windows';
import type { FreezeWindowRecord } from '../../neo4j/repositories/itsm-repository';
import type { AssessmentDiff, BlastRing, ChangeAssessment, ChangeConflict } from '../../services/changes';
import type { Builder } from '../builder';
import type { Common } from '../common';
import type { ImpactTypes } from '../impact';

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

export function addWindowTypes(builder: Builder, common: Common) {
  const DayOfWeek = builder.enumType('DayOfWeek', { values: Object.fromEntries(DAYS.map((d, i) => [d, { value: i }])) });
  const environments = { description: 'Environments it applies to (every CI of the change in one of them).', resolve: (w: { environments: string[] }) => w.environments as never };
  const FreezeWindow = builder.objectRef<FreezeWindowRecord>('FreezeWindow').implement({
    description: 'A period when only emergency changes may be approved, for some services, some environments, or (neither named) the whole estate.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      start: t.field({ type: 'DateTime', resolve: (f) => f.start }),
      end: t.field({ type: 'DateTime', resolve: (f) => f.end }),
      serviceIds: t.idList({ description: 'Services (CI ids) it freezes: a change whose blast radius holds one is frozen.', resolve: (f) => f.serviceIds }),
      environments: t.field({ type: [common.Environment], ...environments }),
      wholeEstate: t.boolean({ resolve: (f) => !f.serviceIds.length && !f.environments.length }),
      createdBy: t.exposeString('createdBy', { nullable: true }),
    }),
  });
  const MaintenanceWindow = builder.objectRef<Window>('MaintenanceWindow').implement({
    description: 'A weekly window (UTC) agreed for changes to some services or environments; a change outside its governing windows scores as out of window.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      dayOfWeek: t.field({ type: DayOfWeek, resolve: (w) => w.dayOfWeek as never }),
      startMinute: t.exposeInt('startMinute', { description: 'Minutes past midnight UTC.' }),
      durationMinutes: t.exposeInt('durationMinutes'),
      serviceIds: t.idList({ resolve: (w) => w.serviceIds }),
      environments: t.field({ type: [common.Environment], ...environments }),
      isDefault: t.boolean({ description: 'The built-in Saturday-night window, used where nothing else is configured.', resolve: (w) => w.id === 'default' }),
    }),
  });
  return { DayOfWeek, FreezeWindow, MaintenanceWindow };
}

export type WindowTypes = ReturnType<typeof addWindowTypes>;

export function addAssessmentTypes(builder: Builder, impact: ImpactTypes, windows: WindowTypes) {
  const { ImpactState, ImpactedCiType, TeamImpactType } = impact;
  const { FreezeWindow, MaintenanceWindow } = windows;
  const RiskLevel = builder.enumType('RiskLevel', { values: ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const });
  const RiskFactor = builder.objectRef<ChangeAssessment['risk']['factors'][number]>('RiskFactor').implement({
    fields: (t) => ({ name: t.exposeString('name'), points: t.exposeFloat('points'), weight: t.exposeFloat('weight'), detail: t.exposeString('detail') }),
  });
  const Risk = builder.objectRef<ChangeAssessment['risk']>('ChangeRisk').implement({
    description: 'A score from 0 to 100 and the factors that add up to it; never a bare number.',
    fields: (t) => ({
      score: t.exposeFloat('score'),
      level: t.field({ type: RiskLevel, resolve: (r) => r.level }),
      factors: t.field({ type: [RiskFactor], resolve: (r) => r.factors }),
    }),
  });
  const RingCi = builder.objectRef<BlastRing['cis'][number]>('BlastRadiusCi').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      className: t.exposeString('className'),
      isService: t.exposeBoolean('isService'),
      state: t.field({ type: ImpactState, resolve: (c) => c.state as 'DOWN' }),
    }),
  });
  const Ring = builder.objectRef<BlastRing>('BlastRadiusRing').implement({
    fields: (t) => ({ distance: t.exposeInt('distance'), cis: t.field({ type: [RingCi], resolve: (r) => r.cis }) }),
  });
  const Conflict = builder.objectRef<ChangeConflict>('ChangeConflict').implement({
    description: 'Another change whose window overlaps and whose blast radius shares CIs or services.',
    fields: (t) => ({
      changeId: t.exposeID('changeId'),
      number: t.exposeString('number'),
      title: t.exposeString('title'),
      status: t.exposeString('status'),
      plannedStart: t.field({ type: 'DateTime', resolve: (c) => c.plannedStart }),
      plannedEnd: t.field({ type: 'DateTime', resolve: (c) => c.plannedEnd }),
      sharedServiceIds: t.idList({ resolve: (c) => c.sharedServiceIds }),
      sharedCiIds: t.idList({ resolve: (c) => c.sharedCiIds }),
    }),
  });
  const ApprovalsNeeded = builder.objectRef<Needed>('ApprovalsNeeded').implement({
    fields: (t) => ({
      riskLevel: t.field({ type: RiskLevel, resolve: (n) => n.riskLevel }),
      approvers: t.exposeInt('approvers', { description: 'Distinct people who must approve.' }),
      teams: t.exposeStringList('teams', { description: 'Teams owning impacted business services: each must approve (approveChange onBehalfOf).' }),
    }),
  });
  const Approval = builder.objectRef<ApprovalState['approvals'][number]>('ChangeApproval').implement({
    fields: (t) => ({
      actor: t.exposeString('actor'),
      onBehalfOf: t.exposeString('onBehalfOf', { nullable: true }),
      at: t.field({ type: 'DateTime', resolve: (a) => a.at }),
      note: t.exposeString('note', { nullable: true }),
    }),
  });
  const Approvals = builder.objectRef<ApprovalState>('ChangeApprovals').implement({
    description: 'The approvals this submission needs (from its assessed risk and blast radius), who has approved and who is awaited.',
    fields: (t) => ({
      needed: t.field({ type: ApprovalsNeeded, resolve: (s) => s }),
      approvals: t.field({ type: [Approval], resolve: (s) => s.approvals }),
      awaitingTeams: t.exposeStringList('awaitingTeams'),
      awaitingApprovers: t.exposeInt('awaitingApprovers', { description: 'More distinct people needed.' }),
      satisfied: t.exposeBoolean('satisfied'),
    }),
  });
  const Assessment = builder.objectRef<ChangeAssessment>('ChangeAssessment').implement({
    fields: (t) => ({
      assessedAt: t.field({ type: 'DateTime', resolve: (a) => a.assessedAt }),
      blastRadius: t.field({ type: [Ring], description: 'Impacted CIs grouped by distance from the targets.', resolve: (a) => a.rings }),
      services: t.field({ type: [ImpactedCiType], resolve: (a) => a.services }),
      impactedCount: t.exposeInt('impactedCount'),
      ownersToNotify: t.field({ type: [TeamImpactType], resolve: (a) => a.owners }),
      redundancyLost: t.field({
        type: [builder.objectRef<ChangeAssessment['redundancyLost'][number]>('RedundancyLost').implement({
          fields: (f) => ({ id: f.exposeID('id'), name: f.exposeString('name'), total: f.exposeInt('total'), lost: f.exposeInt('lost') }),
        })],
        resolve: (a) => a.redundancyLost,
      }),
      risk: t.field({ type: Risk, resolve: (a) => a.risk }),
      conflicts: t.field({ type: [Conflict], resolve: (a) => a.conflicts }),
      freezeWindows: t.field({ type: [FreezeWindow], description: 'Freezes overlapping the window that reach its blast radius, its environments, or the whole estate.', resolve: (a) => a.freezeWindows }),
      maintenanceWindows: t.field({
        type: [MaintenanceWindow],
        description: 'The maintenance windows that govern this change: those of the services and environments it reaches, else the estate-wide ones.',
        resolve: (a) => a.maintenanceWindows ?? [],
      }),
      fitsMaintenanceWindow: t.field({ type: MaintenanceWindow, nullable: true, description: 'The governing window the change fits; null: it is out of window (a risk factor).', resolve: (a) => a.fitsMaintenanceWindow ?? null }),
      approvalsNeeded: t.field({ type: ApprovalsNeeded, nullable: true, description: 'What the approval policy asks of a change assessed like this.', resolve: (a) => a.approvalsNeeded ?? null }),
    }),
  });
  const Diff = builder.objectRef<AssessmentDiff>('AssessmentDiff').implement({
    description: 'What moved between the submitted snapshot and an assessment now.',
    fields: (t) => ({
      servicesAdded: t.idList({ resolve: (d) => d.servicesAdded }),
      servicesRemoved: t.idList({ resolve: (d) => d.servicesRemoved }),
      servicesChangedState: t.idList({ resolve: (d) => d.servicesChangedState }),
      riskBefore: t.exposeFloat('riskBefore'),
      riskAfter: t.exposeFloat('riskAfter'),
      conflictsAdded: t.idList({ resolve: (d) => d.conflictsAdded }),
      conflictsRemoved: t.idList({ resolve: (d) => d.conflictsRemoved }),
    }),
  });
  return { Assessment, Diff, Approvals, RiskLevel };
}
