// Owns the impact, incident, problem and change API. Each part lives in impact/, one type family per file; this
// function wires them in order: the impact report, records' timelines, incidents, problems, then change
// enablement (windows, assessment, the standard-change catalogue, change requests).
import type { Builder } from './builder';
import type { CiTypes } from './ci';
import type { Common } from './common';
import { addAssessmentTypes, addWindowTypes } from './impact/assessment';
import { addChangeTypes } from './impact/change';
import { addImpactDrawingTypes } from './impact/drawing';
import { addCatalogueTypes } from './impact/change-catalogue';
import { addIncidentTypes } from './impact/incident';
import { addProblemTypes } from './impact/problem';
import { addRecordTypes } from './impact/record';
import { addImpactReportTypes, ci } from './impact/report';

export type ImpactTypes = ReturnType<typeof addImpactReportTypes> & ReturnType<typeof addIncidentTypes> & { ci: typeof ci };

export function addImpactTypes(builder: Builder, types: CiTypes, common: Common) {
  const report = addImpactReportTypes(builder, types);
  addImpactDrawingTypes(builder, report);
  const records = addRecordTypes(builder);
  const impact: ImpactTypes = { ...report, ...addIncidentTypes(builder, types, report, records), ci };
  addProblemTypes(builder, types, impact, records);
  const windows = addWindowTypes(builder, common);
  const assessment = addAssessmentTypes(builder, impact, windows);
  addChangeTypes(builder, types, impact, assessment, addCatalogueTypes(builder, common, windows, assessment), records);
}
