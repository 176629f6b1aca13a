// Owns a change's assessment as the API shows it: blast radius by distance, services and owners, lost
// redundancy, the risk score with its factors, conflicting changes, freeze windows, and what moved since submission.
import type { FreezeWindowRecord } from '../../neo4j/repositories/itsm-repository';
import type { AssessmentDiff, BlastRing, ChangeAssessment, ChangeConflict } from '../../services/changes';
import type { Builder } from '../builder';
import type { addImpactReportTypes } from './report';

export function addAssessmentTypes(builder: Builder, report: ReturnType<typeof addImpactReportTypes>) {
  const { ImpactState, ImpactedCiType, TeamImpactType } = report;
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
  const FreezeWindow = builder.objectRef<FreezeWindowRecord>('FreezeWindow').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      start: t.field({ type: 'DateTime', resolve: (f) => f.start }),
      end: t.field({ type: 'DateTime', resolve: (f) => f.end }),
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
      freezeWindows: t.field({ type: [FreezeWindow], resolve: (a) => a.freezeWindows }),
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
  return { FreezeWindow, Assessment, Diff };
}
