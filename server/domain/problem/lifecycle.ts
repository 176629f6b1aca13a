// Owns the lifecycles of problems and incidents as ITIL problem management runs them: which status may follow
// which, and what each step must carry (a root cause, a workaround, a resolution).

export const PROBLEM_STATUSES = ['OPEN', 'ROOT_CAUSE_IDENTIFIED', 'KNOWN_ERROR', 'RESOLVED', 'CLOSED'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** The statuses each step may start from. A known error may be recorded before the root cause is confirmed. */
export const PROBLEM_STEPS: Record<Exclude<ProblemStatus, 'OPEN'>, ProblemStatus[]> = {
  ROOT_CAUSE_IDENTIFIED: ['OPEN'],
  KNOWN_ERROR: ['OPEN', 'ROOT_CAUSE_IDENTIFIED'],
  RESOLVED: ['OPEN', 'ROOT_CAUSE_IDENTIFIED', 'KNOWN_ERROR'],
  CLOSED: ['RESOLVED'],
};

export interface ProblemStepInput {
  rootCause?: string | null;
  workaround?: string | null;
  resolution?: string | null;
}

/** The field a step needs and lacks, or null. */
export function missingForStep(to: Exclude<ProblemStatus, 'OPEN'>, input: ProblemStepInput, has: { rootCause: string | null }): { field: string; reason: string } | null {
  const blank = (s: string | null | undefined) => !s?.trim();
  if (to === 'ROOT_CAUSE_IDENTIFIED' && blank(input.rootCause)) return { field: 'rootCause', reason: 'say what the root cause is' };
  if (to === 'KNOWN_ERROR' && blank(input.workaround)) return { field: 'workaround', reason: 'a known error is recorded with its workaround' };
  if (to === 'KNOWN_ERROR' && blank(input.rootCause) && blank(has.rootCause)) return { field: 'rootCause', reason: 'a known error names its root cause' };
  if (to === 'RESOLVED' && blank(input.resolution)) return { field: 'resolution', reason: 'say how the problem was resolved' };
  return null;
}

export const INCIDENT_STEPS: Record<'RESOLVED' | 'CLOSED', string[]> = {
  RESOLVED: ['OPEN'],
  // An open incident is resolved first: closing confirms a resolution, it does not replace one.
  CLOSED: ['RESOLVED'],
};
