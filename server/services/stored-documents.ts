// Owns the documents the use cases store as JSON text on records: a change's assessment snapshot and an incident's
// impact report. Each is written with a version number and read back through a schema, so a snapshot taken by an
// older Ripple is upgraded on read (its missing parts given the values that held when it was taken) and one that
// was altered outside Ripple is a typed CORRUPT_RECORD naming the record, never a half-read object.
import { z } from 'zod';
import type { ImpactReport } from '../domain/impact';
import { checkStored, parseStored } from '../domain/stored-json';
import { CorruptRecordError } from '../errors';
import type { ChangeAssessment } from './change-assessment';

const ASSESSMENT_VERSION = 2;
const IMPACT_VERSION = 1;

const impactState = z.enum(['DOWN', 'DEGRADED']);
const serviceKind = z.enum(['business', 'application', 'technical']);
const riskLevel = z.enum(['LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const redundancy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('any') }),
  z.object({ kind: z.literal('atLeast'), k: z.number() }),
  z.object({ kind: z.literal('percent'), p: z.number() }),
]);

const impactedCi = z.looseObject({
  id: z.string(),
  name: z.string(),
  className: z.string(),
  isService: z.boolean(),
  serviceKind: serviceKind.optional(),
  state: impactState,
  criticality: z.number(),
  environment: z.string().optional(),
  failed: z.boolean(),
  stale: z.boolean(),
  distance: z.number(),
  paths: z.array(z.array(z.string())),
  lowConfidence: z.boolean(),
  staleVia: z.array(z.string()),
  ownerTeams: z.array(z.string()),
  redundancyNotes: z.array(z.string()).optional(),
});

/** `cis` came with owners of plain CIs (issue 16); teams stored before it owned only services in the report. */
const teamImpact = z.looseObject({ team: z.string(), services: z.array(z.string()), cis: z.array(z.string()).default([]) });

const impactReport: z.ZodType<ImpactReport> = z.looseObject({
  impacted: z.array(impactedCi),
  services: z.array(impactedCi),
  teams: z.array(teamImpact),
  groups: z.array(
    z.looseObject({ id: z.string(), name: z.string(), rule: redundancy, total: z.number(), lost: z.number(), degraded: z.number(), holds: z.boolean(), state: impactState }),
  ),
});

const window = { id: z.string(), name: z.string(), serviceIds: z.array(z.string()), environments: z.array(z.string()) };
const maintenanceWindow = z.looseObject({ ...window, dayOfWeek: z.number(), startMinute: z.number(), durationMinutes: z.number() });
const risk = z.looseObject({
  score: z.number(),
  level: riskLevel,
  factors: z.array(z.looseObject({ name: z.string(), weight: z.number(), points: z.number(), detail: z.string() })),
});

const assessmentFields = {
  assessedAt: z.string(),
  rings: z.array(
    z.looseObject({
      distance: z.number(),
      cis: z.array(z.looseObject({ id: z.string(), name: z.string(), className: z.string(), state: z.string(), isService: z.boolean() })),
    }),
  ),
  services: z.array(impactedCi),
  owners: z.array(teamImpact),
  redundancyLost: z.array(z.looseObject({ id: z.string(), name: z.string(), total: z.number(), lost: z.number() })),
  risk,
  conflicts: z.array(
    z.looseObject({
      changeId: z.string(),
      number: z.string(),
      title: z.string(),
      status: z.string(),
      plannedStart: z.string(),
      plannedEnd: z.string(),
      sharedServiceIds: z.array(z.string()),
      sharedCiIds: z.array(z.string()),
    }),
  ),
  freezeWindows: z.array(z.looseObject({ ...window, start: z.string(), end: z.string(), createdBy: z.string().nullable().default(null) })),
  impactedCount: z.number(),
};

const assessmentV2: z.ZodType<ChangeAssessment> = z.looseObject({
  ...assessmentFields,
  maintenanceWindows: z.array(maintenanceWindow),
  fitsMaintenanceWindow: maintenanceWindow.nullable(),
  approvalsNeeded: z.looseObject({ riskLevel, approvers: z.number(), teams: z.array(z.string()) }),
});

/**
 * Snapshots stored before versions (before maintenance windows and the approval policy) were approved under the
 * rule of that time, one approver who is not the requester, and governed by no window Ripple knew of.
 */
const assessmentV1: z.ZodType<ChangeAssessment> = z.looseObject(assessmentFields).transform((a) => ({
  ...a,
  maintenanceWindows: [],
  fitsMaintenanceWindow: null,
  approvalsNeeded: { riskLevel: a.risk.level, approvers: 1, teams: [] },
}));

const versioned = z.looseObject({ v: z.number().int().optional() });

/** The document without its version number, which is storage's business, not the reader's. */
function unversioned<T>(doc: T): T {
  const { v: _v, ...rest } = doc as T & { v?: number };
  return rest as T;
}

export function storeAssessment(a: ChangeAssessment): string {
  return JSON.stringify({ v: ASSESSMENT_VERSION, ...a });
}

/** `change` names the record in the error (its number). */
export function readAssessment(text: string, change: string): ChangeAssessment {
  const what = `assessment of ${change}`;
  const raw = parseStored(versioned, text, what);
  const { v } = raw;
  if (v !== undefined && v > ASSESSMENT_VERSION) throw new CorruptRecordError(what, `version ${v} is newer than this Ripple reads`);
  return unversioned(checkStored(v === undefined ? assessmentV1 : assessmentV2, raw, what));
}

export function storeImpactReport(r: ImpactReport): string {
  return JSON.stringify({ v: IMPACT_VERSION, ...r });
}

export function readImpactReport(text: string, incident: string): ImpactReport {
  return unversioned(parseStored(impactReport, text, `impact of ${incident}`));
}
