// Shared by the CI integration tests: the selection of a mutation's typed error, a typed upsertCis call, and
// clean-up of everything a test file tagged with its isolation key.
import { expect } from 'vitest';
import type { TestRipple } from './ripple';

/** Selects any typed error of a mutation result union. */
export const ERROR_FIELDS = `... on Error { __typename message code field }
  ... on ConflictError { existingId }
  ... on NotFoundError { id }`;

export interface TypedError {
  __typename: 'ValidationError' | 'NotFoundError' | 'ConflictError';
  message: string;
  code: string;
  field: string | null;
  existingId?: string | null;
  id?: string;
}

export interface CiOutcome {
  index: number;
  ref: string | null;
  id: string | null;
  status: 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';
  changedFields: string[];
  keptFields: string[];
  errors: { field: string; reason: string }[];
  warnings: { field: string; reason: string }[];
}

export interface RelOutcome {
  index: number;
  status: 'CREATED' | 'UNCHANGED' | 'REJECTED';
  fromId: string | null;
  toId: string | null;
  errors: { field: string; reason: string }[];
}

export interface UpsertPayload {
  dryRun: boolean;
  counts: { created: number; updated: number; unchanged: number; rejected: number };
  items: CiOutcome[];
  relationships: RelOutcome[];
}

export type UpsertResult = ({ __typename: 'MutationUpsertCisSuccess' } & { data: UpsertPayload }) | TypedError;

const UPSERT = `mutation ($input: UpsertCisInput!) {
  upsertCis(input: $input) {
    __typename
    ... on MutationUpsertCisSuccess {
      data {
        dryRun
        counts { created updated unchanged rejected }
        items { index ref id status changedFields keptFields errors { field reason } warnings { field reason } }
        relationships { index status fromId toId errors { field reason } }
      }
    }
    ${ERROR_FIELDS}
  }
}`;

/** Runs upsertCis and returns its result union (success payload or typed error). */
export async function upsertRaw(app: TestRipple, input: Record<string, unknown>): Promise<UpsertResult> {
  const r = await app.data<{ upsertCis: UpsertResult }>(UPSERT, { input });
  return r.upsertCis;
}

/** Runs upsertCis and fails the test unless it succeeded; returns the payload. */
export async function upsert(app: TestRipple, input: Record<string, unknown>): Promise<UpsertPayload> {
  const r = await upsertRaw(app, input);
  if (r.__typename !== 'MutationUpsertCisSuccess') throw new Error(`upsertCis failed: ${JSON.stringify(r)}`);
  return r.data;
}

/** Ids of an upsert's items by their ref; fails the test when one was not written. */
export function idsByRef(p: UpsertPayload): Record<string, string> {
  const out: Record<string, string> = {};
  for (const it of p.items) {
    expect(it.errors, `item ${it.ref ?? it.index}`).toEqual([]);
    if (it.ref && it.id) out[it.ref] = it.id;
  }
  for (const rel of p.relationships) expect(rel.errors, `relationship ${rel.index}`).toEqual([]);
  return out;
}

/** Deletes the CIs and teams whose names carry the key, their history and the identification keys only they hold. */
export async function deleteTagged(app: TestRipple): Promise<void> {
  const key = app.key;
  await app.db.write(async (tx) => {
    await tx.run(
      `MATCH (h:History)-[:ABOUT]->(n) WHERE (n:CI OR n:Team) AND (n.name STARTS WITH $key OR n.name CONTAINS $key)
       DETACH DELETE h`,
      { key },
    );
    await tx.run(
      `MATCH (ik:IdentKey)-[:IDENTIFIES]->(n:CI) WHERE n.name CONTAINS $key
         AND NOT EXISTS { MATCH (ik)-[:IDENTIFIES]->(o:CI) WHERE NOT o.name CONTAINS $key }
       WITH DISTINCT ik DETACH DELETE ik`,
      { key },
    );
    // Discovery sightings of tagged CIs and of relationships from or to them (one label scan, not one per CI).
    await tx.run(
      `MATCH (n:CI) WHERE n.name CONTAINS $key WITH collect(n.id) AS ids
       MATCH (s:Sighting) WHERE s.key IN ids OR s.from IN ids OR s.to IN ids DELETE s`,
      { key },
    );
    // Retired relationship intervals name their ends by id only: removed with the CIs they name.
    await tx.run(
      `MATCH (n:CI) WHERE n.name CONTAINS $key
       MATCH (v:RelationshipInterval) WHERE v.fromId = n.id OR v.toId = n.id
       WITH DISTINCT v DELETE v`,
      { key },
    );
    await tx.run('MATCH (n:CI) WHERE n.name STARTS WITH $key OR n.name CONTAINS $key DETACH DELETE n', { key });
    await tx.run('MATCH (n:Team) WHERE n.name STARTS WITH $key OR n.name CONTAINS $key DETACH DELETE n', { key });
  });
}
