// Owns the impact and change API: impact analysis and what-if, incidents, problems and root-cause suggestions,
// change requests with their assessment, lifecycle and freeze windows. Resolvers only map onto the services.
// Each part lives in impact/, one type family per file; this function wires them in order.
import type { Builder } from './builder';
import type { CiTypes } from './ci';
import { addAssessmentTypes } from './impact/assessment';
import { addChangeTypes } from './impact/change';
import { addIncidentTypes } from './impact/incident';
import { addImpactReportTypes } from './impact/report';

export function addImpactTypes(builder: Builder, types: CiTypes) {
  const report = addImpactReportTypes(builder, types);
  addIncidentTypes(builder, types, report);
  addChangeTypes(builder, types, addAssessmentTypes(builder, report));
}
