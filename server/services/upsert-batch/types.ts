// Owns the shapes of a discovery batch and of its per-item outcomes: what importers send and what they get back.
import type { CommonValues } from '../../domain/ci/common-fields';

/** How a batch names a CI: by Ripple id, by the `ref` of an item in the same batch, or by identification. */
export type EndRef =
  | { id: string; ref?: undefined; className?: undefined }
  | { ref: string; id?: undefined; className?: undefined }
  | { className: string; attributes: Record<string, unknown>; parent?: EndRef; id?: undefined; ref?: undefined };

export interface UpsertItem extends CommonValues {
  ref?: string;
  className: string;
  owner?: string | null;
  attributes?: Record<string, unknown> | null;
}

export interface UpsertRelationship {
  type: string;
  from: EndRef;
  to: EndRef;
}

export interface UpsertTeam {
  name: string;
  email?: string | null;
  onCall?: string | null;
  slackChannel?: string | null;
}

export interface UpsertBatchInput {
  source: string;
  teams?: UpsertTeam[];
  items?: UpsertItem[];
  relationships?: UpsertRelationship[];
  dryRun?: boolean;
  /** A running discovery run of the same source: what this batch names counts as seen by that run. */
  runId?: string;
}

export type OutcomeStatus = 'CREATED' | 'UPDATED' | 'UNCHANGED' | 'REJECTED';

export interface ItemOutcome {
  index: number;
  ref: string | null;
  id: string | null;
  status: OutcomeStatus;
  changedFields: string[];
  /** Fields whose value a more trusted source holds, so this source's value was not applied. */
  keptFields: string[];
  errors: { field: string; reason: string }[];
  /** Parts of an accepted item that were not applied, e.g. an owner team that does not exist. */
  warnings: { field: string; reason: string }[];
}

export interface RelationshipOutcome {
  index: number;
  status: 'CREATED' | 'UNCHANGED' | 'REJECTED';
  from: string | null;
  to: string | null;
  errors: { field: string; reason: string }[];
}

export interface UpsertBatchResult {
  dryRun: boolean;
  items: ItemOutcome[];
  relationships: RelationshipOutcome[];
  counts: Record<OutcomeStatus, number>;
}

/** Prefix of the id a dry run reports for a CI it would create: no CI has it, and later chunks may name it. */
export const PLANNED = 'planned:';
