// The vocabulary of the drawn graph: families, relationship types, and the data carried by nodes and edges.

export const FAMILIES = ['service', 'software', 'data', 'kubernetes', 'virtual', 'hardware', 'cloud', 'network', 'grouping'] as const;
export type Family = (typeof FAMILIES)[number];

export const REL_TYPES = ['DEPENDS_ON', 'RUNS_ON', 'HOSTED_ON', 'HAS_MEMBER', 'CONNECTS_TO'] as const;
export type RelType = (typeof REL_TYPES)[number];

export const ENVIRONMENTS = ['PRODUCTION', 'STAGING', 'TEST', 'DEVELOPMENT', 'DR', 'NONE'] as const;
export type EnvFilter = (typeof ENVIRONMENTS)[number];

/** A CI as the graph needs it (the CiNodeFields fragment). */
export interface CiSummary {
  id: string;
  name: string;
  className: string;
  family?: string | null;
  environment?: string | null;
  lifecycle?: string | null;
  criticality?: number | null;
  stale?: boolean | null;
}

export interface NodeData {
  id: string;
  label: string;
  name: string;
  className: string;
  family: Family;
  environment: EnvFilter;
  stale: boolean;
  /** 1 (most critical) to 4, when known: critical CIs keep their label first in a crowded view. */
  criticality?: number;
  /** Rank for layered layouts (distance, signed by direction in the explorer). */
  rank?: number;
  /** Aggregated sibling group: how many CIs it stands for. */
  count?: number;
  isGroup?: boolean;
  /** Impact state badge, when an impact or blast radius view styled it. */
  state?: string;
}

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  type: RelType | 'GROUP';
  absent?: boolean;
}

export function asFamily(f: string | null | undefined): Family {
  return (FAMILIES as readonly string[]).includes(f ?? '') ? (f as Family) : 'software';
}

export function asEnv(e: string | null | undefined): EnvFilter {
  return (ENVIRONMENTS as readonly string[]).includes(e ?? '') ? (e as EnvFilter) : 'NONE';
}

const STATE_BADGE: Record<string, string> = { DOWN: '✖ DOWN', DEGRADED: '◐ DEGRADED', FAILED: '⚠ FAILED' };

/** Two-line label (name, class) plus a textual state badge so states never rely on colour. */
export function nodeLabel(name: string, className: string, state?: string): string {
  const short = name.length > 34 ? `${name.slice(0, 32)}…` : name;
  const badge = state ? `\n${STATE_BADGE[state] ?? state}` : '';
  return `${short}\n‹${className}›${badge}`;
}

export function nodeData(ci: CiSummary, extra: Partial<NodeData> = {}): NodeData {
  return {
    id: ci.id,
    name: ci.name,
    className: ci.className,
    family: asFamily(ci.family),
    environment: asEnv(ci.environment),
    stale: !!ci.stale,
    ...(ci.criticality ? { criticality: ci.criticality } : {}),
    label: nodeLabel(ci.name, ci.className, extra.state),
    ...extra,
  };
}

export function edgeId(from: string, type: string, to: string): string {
  return `${from}|${type}|${to}`;
}
