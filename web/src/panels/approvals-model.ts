// Which changes wait for the signed-in person's decision: the API says, per change, what they may still approve it
// as (ChangeRequest.yourApproval, from server/domain/change/approval-policy.ts); this orders them and turns each
// answer into the choices the approve button offers.

/** A capacity to approve in: personally (null) or for one of the teams still awaited. */
export type Capacity = string | null;

export interface AwaitingChange {
  plannedStart: string;
  yourApproval: { personally: boolean; forTeams: readonly string[] };
}

/** The capacities offered for one change, personal first. */
export function capacitiesOf(c: AwaitingChange): Capacity[] {
  return [...(c.yourApproval.personally ? [null] : []), ...c.yourApproval.forTeams];
}

/** The changes awaiting me, oldest planned start first (the nearest window needs a decision soonest). */
export function awaitingMe<C extends AwaitingChange>(changes: readonly C[]): { change: C; capacities: Capacity[] }[] {
  return changes
    .map((change) => ({ change, capacities: capacitiesOf(change) }))
    .filter((x) => x.capacities.length > 0)
    .sort((x, y) => x.change.plannedStart.localeCompare(y.change.plannedStart));
}
