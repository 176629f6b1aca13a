// Owns the plain-data shapes that leave the storage layer (CiRow, TeamRow, EdgeRow) and their mapping from
// Neo4j values, so GraphQL and domain code never see driver types.
import neo4j from 'neo4j-driver';
import type { AttributeValue } from '../../domain/class-model/types';
import { COMMON_FIELDS } from '../../domain/ci/common-fields';
import { readProvenance } from '../../domain/ci/provenance';
import { decodeGroupedProvenance } from '../../domain/ci/provenance-codec';
import { fields } from './fields';

export interface CiRow {
  id: string;
  name: string;
  className: string;
  environment: string | null;
  lifecycle: string;
  criticality: number | null;
  description: string | null;
  stale: boolean;
  createdAt: string;
  updatedAt: string;
  /** Class-specific attributes (hostname, serialNumber, redundancy, ...). */
  attributes: Record<string, AttributeValue>;
  /** Which source set each attribute, and when. */
  provenance: Record<string, { source: string; at: string }>;
  sources: string[];
  /** Set when the row is the CI as it was at this past instant (time travel): its neighbours are read as of then too. */
  asOf?: string;
}

export interface TeamRow {
  id: string;
  name: string;
  email: string | null;
  onCall: string | null;
  slackChannel: string | null;
}

export interface EdgeRow {
  type: string;
  from: string;
  to: string;
  sources: string[];
  absent: boolean;
  createdAt: string | null;
  /** Set when the edge is read as of this past instant: its ends are shown as they were then. */
  asOf?: string;
}

/** Node properties Ripple maintains itself; everything else on a CI node is a class attribute. */
export const RESERVED_PROPERTIES = new Set([
  'id',
  'name',
  'class',
  'environment',
  'lifecycle',
  'criticality',
  'description',
  'createdAt',
  'updatedAt',
  'stale',
  'staleSince',
  'staleBy',
  'staleRun',
  'retiredAt',
  'searchText',
  'sources',
  'provenance',
  'lastSeen',
  'ingestHashes',
]);

export function toIso(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (neo4j.isDateTime(v as never) || neo4j.isDate(v as never) || neo4j.isLocalDateTime(v as never)) {
    return new Date((v as { toString(): string }).toString()).toISOString();
  }
  return String(v);
}

function plain(v: unknown): AttributeValue {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'object') return toIso(v);
  return v as AttributeValue;
}

export function ciRowFrom(props: Record<string, unknown>): CiRow {
  const attributes: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(props)) if (!RESERVED_PROPERTIES.has(k)) attributes[k] = plain(v);
  const updatedAt = toIso(props.updatedAt);
  const valued = () => [...COMMON_FIELDS.filter((f) => props[f] !== null && props[f] !== undefined), ...Object.keys(attributes)];
  // Written grouped by (source, instant) since then; CIs written before hold the per-field form.
  const provenance = decodeGroupedProvenance(props.provenance) ?? readProvenance(props.provenance, valued, updatedAt).provenance;
  const f = fields(props, `CI ${String(props.id)}`);
  return {
    id: f.text('id'),
    name: f.text('name'),
    className: f.text('class'),
    environment: f.textOrNull('environment'),
    lifecycle: f.textOrNull('lifecycle') ?? 'operational',
    criticality: f.numberOrNull('criticality'),
    description: f.textOrNull('description'),
    stale: f.flag('stale'),
    createdAt: toIso(props.createdAt),
    updatedAt,
    attributes,
    provenance,
    sources: f.texts('sources'),
  };
}

export function teamRowFrom(props: Record<string, unknown>): TeamRow {
  const f = fields(props, `team ${String(props.id)}`);
  return { id: f.text('id'), name: f.text('name'), email: f.textOrNull('email'), onCall: f.textOrNull('onCall'), slackChannel: f.textOrNull('slackChannel') };
}
