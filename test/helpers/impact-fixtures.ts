// Shared by the impact and change integration tests: the selections of an impact report and of a change request,
// a typed mutation call with an actor, planned windows far in the future, and clean-up of the incidents,
// problems, changes and freeze windows a test file tagged with its isolation key.
import { expect } from 'vitest';
import { deleteTagged, ERROR_FIELDS, type TypedError } from './ci-fixtures';
import type { TestRipple } from './ripple';

export interface Path {
  ciIds: string[];
  length: number;
}

export interface ImpactedCi {
  id: string;
  name: string;
  className: string;
  isService: boolean;
  state: 'DOWN' | 'DEGRADED';
  criticality: number;
  environment: string | null;
  distance: number;
  failed: boolean;
  lowConfidence: boolean;
  staleVia: string[];
  ownerTeams: string[];
  redundancyNotes: string[];
  paths: Path[];
}

export interface GroupOutcome {
  id: string;
  name: string;
  total: number;
  lost: number;
  holds: boolean;
  state: 'DOWN' | 'DEGRADED';
}

export interface ImpactReport {
  services: ImpactedCi[];
  impacted: ImpactedCi[];
  teams: { team: string; serviceIds: string[]; otherCiIds: string[] }[];
  groups: GroupOutcome[];
}

const IMPACTED = `id name className isService state criticality environment distance failed lowConfidence staleVia
  ownerTeams redundancyNotes paths { ciIds length }`;

/** The whole of an ImpactReport. */
export const IMPACT_REPORT = `services { ${IMPACTED} } impacted { ${IMPACTED} } teams { team serviceIds otherCiIds }
  groups { id name total lost holds state }`;

export interface RiskFactor {
  name: string;
  points: number;
  weight: number;
  detail: string;
}

export interface Assessment {
  assessedAt: string;
  blastRadius: { distance: number; cis: { id: string; name: string; className: string; isService: boolean; state: string }[] }[];
  services: ImpactedCi[];
  impactedCount: number;
  ownersToNotify: { team: string; serviceIds: string[]; otherCiIds: string[] }[];
  redundancyLost: { id: string; name: string; total: number; lost: number }[];
  risk: { score: number; level: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'; factors: RiskFactor[] };
  conflicts: { changeId: string; number: string; title: string; status: string; sharedServiceIds: string[]; sharedCiIds: string[] }[];
  freezeWindows: { id: string; name: string; start: string; end: string }[];
}

export const ASSESSMENT = `assessedAt blastRadius { distance cis { id name className isService state } }
  services { ${IMPACTED} } impactedCount ownersToNotify { team serviceIds otherCiIds } redundancyLost { id name total lost }
  risk { score level factors { name points weight detail } }
  conflicts { changeId number title status sharedServiceIds sharedCiIds } freezeWindows { id name start end }`;

export interface Change {
  id: string;
  number: string;
  title: string;
  type: 'STANDARD' | 'NORMAL' | 'EMERGENCY';
  status: string;
  outcome: string | null;
  requestedBy: string;
  approvedBy: string | null;
  plannedStart: string;
  plannedEnd: string;
  targets: { id: string }[];
  submittedAssessment: Assessment | null;
  currentAssessment: Assessment;
  sinceSubmission: {
    servicesAdded: string[];
    servicesRemoved: string[];
    servicesChangedState: string[];
    riskBefore: number;
    riskAfter: number;
    conflictsAdded: string[];
    conflictsRemoved: string[];
  } | null;
}

/** A change request with both assessments and the diff since submission. */
export const CHANGE = `id number title type status outcome requestedBy approvedBy plannedStart plannedEnd targets { id }
  submittedAssessment { ${ASSESSMENT} } currentAssessment { ${ASSESSMENT} }
  sinceSubmission { servicesAdded servicesRemoved servicesChangedState riskBefore riskAfter conflictsAdded conflictsRemoved }`;

export type Result<T> = ({ __typename: `Mutation${string}Success`; data: T } & Partial<TypedError>) | (TypedError & { data?: undefined });

/**
 * Runs a mutation returning a result union as `actor` (app.headersAs); fails the test on a GraphQL
 * error, not on a typed one. `field` is the mutation's name, `args` its argument list, `selection` the success data.
 */
export async function mutate<T>(
  app: TestRipple,
  actor: string,
  field: string,
  args: string,
  selection: string,
  variables: Record<string, unknown> = {},
  varDefs = '',
): Promise<Result<T>> {
  const success = `Mutation${field[0]!.toUpperCase()}${field.slice(1)}Success`;
  const r = await app.gql<Record<string, Result<T>>>(
    `mutation ${varDefs ? `(${varDefs})` : ''} { ${field}(${args}) { __typename ... on ${success} { data { ${selection} } } ${ERROR_FIELDS} } }`,
    variables,
    await app.headersAs(actor),
  );
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data![field]!;
}

/** Like mutate, but fails the test unless the mutation succeeded; returns its data. */
export async function mutateOk<T>(...a: Parameters<typeof mutate>): Promise<T> {
  const r = await mutate<T>(...a);
  expect(r.__typename, JSON.stringify(r)).toMatch(/^Mutation.*Success$/);
  return r.data as T;
}

const DAY = 24 * 3600_000;

/**
 * Planned windows for one test file: week `i` starts on a Saturday at 22:00 UTC (inside the maintenance window),
 * far in the future and at a random week, so that time-based checks (overlaps, freezes) meet only this file's data.
 */
export function windows(seed = Math.floor(Math.random() * 20_000)) {
  const jan1 = Date.UTC(2300, 0, 1, 22);
  const firstSat = jan1 + ((6 - new Date(jan1).getUTCDay() + 7) % 7) * DAY;
  const base = firstSat + seed * 7 * DAY;
  return (i: number, fromHour = 0, hours = 4) => ({
    plannedStart: new Date(base + i * 7 * DAY + fromHour * 3600_000).toISOString(),
    plannedEnd: new Date(base + i * 7 * DAY + (fromHour + hours) * 3600_000).toISOString(),
  });
}

/** Deletes the incidents, problems, changes and freeze windows whose title or name carries the key. */
export async function deleteItsmTagged(app: TestRipple): Promise<void> {
  await app.db.write(async (tx) => {
    await tx.run(
      `MATCH (n) WHERE (n:Incident OR n:Change OR n:Problem OR n:FreezeWindow) AND (n.title CONTAINS $key OR n.name CONTAINS $key)
       DETACH DELETE n`,
      { key: app.key },
    );
  });
}

/** A test file's afterAll: its ITSM records, then its CIs and teams, then the app (if it started at all). */
export async function closeTagged(app: TestRipple | undefined): Promise<void> {
  if (!app) return;
  await deleteItsmTagged(app);
  await deleteTagged(app);
  await app.close();
}
