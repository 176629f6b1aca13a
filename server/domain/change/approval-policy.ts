// Owns the approval policy: which approvals a change needs from its assessed risk and blast radius, and, given
// the approvals recorded so far, whether it is approved and who is still awaited.
import type { RiskLevel } from './standard-model';

export interface PolicyRule {
  /** Distinct people who must approve. */
  approvers: number;
  /** Each team owning an impacted business service must approve (one approval on its behalf). */
  businessServiceOwners: boolean;
}

export type ApprovalPolicy = Record<RiskLevel, PolicyRule>;

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  LOW: { approvers: 1, businessServiceOwners: false },
  MEDIUM: { approvers: 1, businessServiceOwners: false },
  HIGH: { approvers: 1, businessServiceOwners: true },
  CRITICAL: { approvers: 2, businessServiceOwners: true },
};

export interface Approval {
  actor: string;
  /** The team the approver speaks for, when they approve as an owner. */
  onBehalfOf: string | null;
  at: string;
  note: string | null;
}

export interface ApprovalsNeeded {
  riskLevel: RiskLevel;
  approvers: number;
  teams: string[];
}

export interface ApprovalState extends ApprovalsNeeded {
  approvals: Approval[];
  /** Teams not yet approved for, and how many more distinct approvers are needed. */
  awaitingTeams: string[];
  awaitingApprovers: number;
  satisfied: boolean;
}

/** The approvals a change of this risk needs, given the teams owning the business services it impacts. */
export function approvalsNeeded(policy: ApprovalPolicy, level: RiskLevel, businessServiceOwners: string[]): ApprovalsNeeded {
  const rule = policy[level];
  return {
    riskLevel: level,
    approvers: rule.approvers,
    teams: rule.businessServiceOwners ? [...new Set(businessServiceOwners)].sort() : [],
  };
}

export function approvalState(needed: ApprovalsNeeded, approvals: Approval[]): ApprovalState {
  const people = new Set(approvals.map((a) => a.actor));
  const teamsDone = new Set(approvals.map((a) => a.onBehalfOf).filter((t): t is string => !!t));
  const awaitingTeams = needed.teams.filter((t) => !teamsDone.has(t));
  const awaitingApprovers = Math.max(0, needed.approvers - people.size);
  return { ...needed, approvals, awaitingTeams, awaitingApprovers, satisfied: !awaitingTeams.length && !awaitingApprovers };
}

/** Why this approval adds nothing, or null: the same person twice in one capacity, or a team that is not asked. */
export function approvalProblem(needed: ApprovalsNeeded, approvals: Approval[], next: { actor: string; onBehalfOf: string | null }): string | null {
  if (next.onBehalfOf && !needed.teams.includes(next.onBehalfOf)) {
    return `${next.onBehalfOf} is not among the teams whose approval this change needs (${needed.teams.join(', ') || 'none'})`;
  }
  // Any approval already counts its actor as one of the distinct people, so a personal one after it adds nothing;
  // every earlier approval of the actor is compared, not only the first.
  const again = approvals.some((a) => a.actor === next.actor && (!next.onBehalfOf || a.onBehalfOf === next.onBehalfOf));
  return again ? `${next.actor} has already approved this change` : null;
}

/** The capacities a person may still approve in: personally, and for which awaited teams. */
export interface ApprovalCapacities {
  personally: boolean;
  forTeams: string[];
}

/**
 * What `actor` may still add to a change awaiting approval: nothing to their own change or to one whose policy is
 * met; a team still awaited and not yet approved by them; personally while more people are needed (or when no
 * team is awaited), and only if they have not approved in any capacity yet.
 */
export function approvalCapacities(state: ApprovalState, requestedBy: string, actor: string): ApprovalCapacities {
  if (state.satisfied || requestedBy === actor) return { personally: false, forTeams: [] };
  const forTeams = state.awaitingTeams.filter((t) => !approvalProblem(state, state.approvals, { actor, onBehalfOf: t }));
  const personally = (state.awaitingApprovers > 0 || !forTeams.length) && !approvalProblem(state, state.approvals, { actor, onBehalfOf: null });
  return { personally, forTeams };
}
