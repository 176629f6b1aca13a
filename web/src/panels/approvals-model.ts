// Which changes wait for the signed-in person's approval, and in which capacities they may still give it, as the
// API's approval policy decides (server/domain/change/approval-policy.ts): never one's own change, never twice in
// the same capacity, and only while the policy is unmet.

export interface ApprovalEntry { actor: string; onBehalfOf: string | null }
export interface AwaitingChange {
  id: string;
  requestedBy: string;
  approvals: { satisfied: boolean; awaitingApprovers: number; awaitingTeams: readonly string[]; approvals: readonly ApprovalEntry[] } | null;
}
export interface Viewer { subject: string; roles: readonly string[] }

/** A capacity to approve in: personally (null) or for one of the teams still awaited. */
export type Capacity = string | null;

/** The capacities `me` may still approve this change in; empty when it is not theirs to approve. */
export function capacitiesFor(c: AwaitingChange, me: Viewer): Capacity[] {
  const a = c.approvals;
  if (!a || a.satisfied || c.requestedBy === me.subject || !me.roles.includes('CHANGE_MANAGER')) return [];
  const mine = a.approvals.filter((x) => x.actor === me.subject);
  const teams = a.awaitingTeams.filter((t) => !mine.some((x) => x.onBehalfOf === t));
  const personally = !mine.length && (a.awaitingApprovers > 0 || !teams.length);
  return [...(personally ? [null] : []), ...teams];
}

/** The changes awaiting `me`, oldest planned start first (the nearest window needs a decision soonest). */
export function awaitingMe<C extends AwaitingChange & { plannedStart: string }>(changes: readonly C[], me: Viewer): { change: C; capacities: Capacity[] }[] {
  return changes
    .map((change) => ({ change, capacities: capacitiesFor(change, me) }))
    .filter((x) => x.capacities.length > 0)
    .sort((x, y) => x.change.plannedStart.localeCompare(y.change.plannedStart));
}
