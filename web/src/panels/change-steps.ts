// Which lifecycle steps a change offers in each status, as the API enforces them (server/services/changes.ts).
// The page offers what the status allows and leaves the rules about people (who may approve) and freeze windows
// to the API, whose refusal is shown where the step was asked for.

export type ChangeStep = 'assess' | 'submit' | 'approve' | 'reject' | 'schedule' | 'implement' | 'close' | 'cancel';

const CANCELLABLE = new Set(['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'SCHEDULED']);

const BY_STATUS: Record<string, ChangeStep[]> = {
  DRAFT: ['assess', 'submit'],
  ASSESSED: ['assess', 'submit'],
  AWAITING_APPROVAL: ['approve', 'reject'],
  APPROVED: ['schedule'],
  SCHEDULED: ['implement'],
  IMPLEMENTED: ['close'],
};

/** The steps a change in this status can take, cancel last; an emergency change may skip scheduling. */
export function stepsFor(status: string, type: string): ChangeStep[] {
  const steps = [...(BY_STATUS[status] ?? [])];
  if (status === 'APPROVED' && type === 'EMERGENCY') steps.push('implement');
  if (CANCELLABLE.has(status)) steps.push('cancel');
  return steps;
}

export const STEP_LABEL: Record<ChangeStep, string> = {
  assess: 'Re-assess',
  submit: 'Submit for approval',
  approve: 'Approve',
  reject: 'Reject',
  schedule: 'Schedule',
  implement: 'Mark implemented',
  close: 'Close',
  cancel: 'Cancel change',
};
