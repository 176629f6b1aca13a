// Which problem steps the page offers in each status and what each must carry, as the API enforces them
// (server/domain/problem/lifecycle.ts); once recorded, a known error changes only by resolving the problem. What a
// step must carry (a workaround, a root cause) is the API's to check: its refusal names the field.

export type ProblemStep = 'root-cause' | 'known-error' | 'resolve';

const BY_STATUS: Record<string, ProblemStep[]> = {
  OPEN: ['root-cause', 'known-error', 'resolve'],
  ROOT_CAUSE_IDENTIFIED: ['known-error', 'resolve'],
  KNOWN_ERROR: ['resolve'],
};

export function problemStepsFor(status: string): ProblemStep[] {
  return BY_STATUS[status] ?? [];
}

export const PROBLEM_STEP_LABEL: Record<ProblemStep, string> = {
  'root-cause': 'Record root cause',
  'known-error': 'Record known error',
  resolve: 'Resolve problem',
};

