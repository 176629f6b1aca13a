// Owns the plain-data shapes that impact propagation and root-cause ranking read and return.

import type { ImpactRules, ServiceKind } from '../class-model/types.js';
import type { Redundancy } from './redundancy.js';

export type { ImpactRules, ServiceKind };

/** A CI as the upstream (or downstream) reachability query returns it. */
export interface ImpactNode {
  id: string;
  name: string;
  className: string;
  isService: boolean;
  serviceKind?: ServiceKind;
  /** 1 = most critical ... 4. */
  criticality: number;
  environment?: string;
  /** Discovery no longer reports this CI: it is kept, but any impact inferred through it is doubtful. */
  stale?: boolean;
  ownerTeams?: string[];
  /** Only meaningful on groups (nodes with HAS_MEMBER edges); absent means `all`. */
  redundancy?: Redundancy;
}

/** `from` needs `to`: if `to` fails, `from` is impacted. HAS_MEMBER goes group -> member. */
export interface ImpactEdge {
  from: string;
  to: string;
  /** A relationship type; only those in the graph's `rules.impacting` carry impact. */
  type: string;
  /** The source no longer reports this relationship: it still propagates, but is named in `staleVia`. */
  absent?: boolean;
}

export interface ImpactGraph {
  nodes: ImpactNode[];
  edges: ImpactEdge[];
  /** The class model's rules (ClassModel.impactRules()): the walk that read this graph used the same ones. */
  rules: ImpactRules;
}

export type ImpactState = 'DOWN' | 'DEGRADED';

export interface FailedCi {
  id: string;
  state: ImpactState;
}

export interface ImpactedCi {
  id: string;
  name: string;
  className: string;
  isService: boolean;
  serviceKind?: ServiceKind;
  state: ImpactState;
  criticality: number;
  environment?: string;
  /** True for the CIs the caller reported as failed (their state is observed, not inferred). */
  failed: boolean;
  stale: boolean;
  /** Fewest impacting hops down to any failed CI (0 for the failed CIs). */
  distance: number;
  /** Up to maxPaths shortest chains of CI ids, from this CI down to a failed CI; lexicographically first on ties. */
  paths: string[][];
  /** Every explanation path to a failed CI passes through a stale CI or an absent relationship. */
  lowConfidence: boolean;
  /** For low-confidence CIs: the stale CI ids and absent relationships (`from->to`) on its explanation paths. */
  staleVia: string[];
  ownerTeams: string[];
  /** One line per redundant group on this CI's explanation paths that lost or degraded members. */
  redundancyNotes?: string[];
}

/** How a group that had impacted members fared under its redundancy rule. */
export interface GroupOutcome {
  id: string;
  name: string;
  rule: Redundancy;
  total: number;
  /** Members DOWN: they count against the rule. */
  lost: number;
  /** Members DEGRADED: they still count as up for the rule. */
  degraded: number;
  holds: boolean;
  state: ImpactState;
}

/** A team to notify: everything of theirs that is impacted, services first. */
export interface TeamImpact {
  team: string;
  /** Impacted service ids of this team, in the same order as `ImpactReport.services`. */
  services: string[];
  /** The team's other impacted CIs (not services), most important first (DOWN, criticality, distance, name). */
  cis: string[];
}

export interface ImpactReport {
  /** Every DOWN or DEGRADED CI, failed ones included; ordered by distance, then id. */
  impacted: ImpactedCi[];
  /** Impacted services, most important first (DOWN, criticality, business > application > technical, distance, name). */
  services: ImpactedCi[];
  /**
   * Teams owning any impacted CI (failed ones included): with no service class modelled, a team that owns the
   * gateway or the database still has to hear of it. Teams with an impacted service come first, by their most
   * important one; then the rest by their most important CI.
   */
  teams: TeamImpact[];
  /** Groups with impacted members; `holds && lost > 0` is what a change risk calls "redundancy lost". */
  groups: GroupOutcome[];
}
