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

/** Why this approval adds nothing, or null: the same person twice, or a team that is not asked. */
export function approvalProblem(needed: ApprovalsNeeded, approvals: Approval[], next: { actor: string; onBehalfOf: string | null }): string | null {
  if (next.onBehalfOf && !needed.teams.includes(next.onBehalfOf)) {
    return `${next.onBehalfOf} is not among the teams whose approval this change needs (${needed.teams.join(', ') || 'none'})`;
  }
  const again = approvals.find((a) => a.actor === next.actor);
  if (again && (!next.onBehalfOf || again.onBehalfOf === next.onBehalfOf)) return `${next.actor} has already approved this change`;
  return null;
}
