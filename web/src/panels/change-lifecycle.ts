// The lifecycle controls of one change: a button per step its status allows, a note for the decision, the
// outcome when closing, and the API's refusal (requester approving, a freeze window, a wrong status) shown
// right under the buttons, so the change manager sees why a step did not happen.
import type { ResultOf } from '../api/graphql';
import { api } from '../api/session';
import type { ChangeQuery } from '../api/queries';
import { ApproveChange, AssessChange, CancelChange, CloseChange, ImplementChange, RejectChange, ScheduleChange, SubmitChange } from '../api/workspace-queries';
import { STEP_LABEL, stepsFor, type ChangeStep } from './change-steps';
import { h } from './dom';

type Change = NonNullable<ResultOf<typeof ChangeQuery>['change']>;
export interface StepResult { data?: { r: { __typename: string; message?: string } }; errors?: { message: string }[] }

const NOTED = { assess: AssessChange, submit: SubmitChange, approve: ApproveChange, reject: RejectChange, schedule: ScheduleChange, implement: ImplementChange, cancel: CancelChange } as const;

async function runStep(step: ChangeStep, id: string, note: string, outcome: string, earlyStartReason: string): Promise<StepResult> {
  if (step === 'close') return api(CloseChange, { id, outcome: outcome as 'SUCCESSFUL' | 'FAILED' | 'BACKED_OUT' }) as Promise<StepResult>;
  if (step === 'implement') return api(ImplementChange, { id, note: note || null, earlyStartReason: earlyStartReason || null }) as Promise<StepResult>;
  // The step documents differ only in their success type name; the page reads them all as a StepResult.
  const doc = NOTED[step] as unknown as typeof AssessChange;
  return api(doc, { id, note: note || null }) as Promise<StepResult>;
}

/** Why a step did not happen, or null when it did. */
export function refusal(r: StepResult): string | null {
  if (r.errors?.length) return r.errors.map((e) => e.message).join('; ');
  const res = r.data?.r;
  if (!res) return 'no answer from the API';
  return res.__typename.endsWith('Success') ? null : (res.message ?? res.__typename);
}

export function lifecycleControls(c: Change, after: () => Promise<void>): HTMLElement {
  const steps = stepsFor(c.status, c.type);
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'change-error' });
  const note = h('input', { id: 'change-note', 'data-testid': 'change-note', placeholder: 'note for the record' });
  const outcome = h('select', { id: 'change-outcome', 'data-testid': 'change-outcome' },
    h('option', { value: 'SUCCESSFUL' }, 'successful'), h('option', { value: 'FAILED' }, 'failed'), h('option', { value: 'BACKED_OUT' }, 'backed out'));
  // Implementing before the planned window needs a reason on the record (the API refuses it otherwise).
  const early = h('input', { id: 'change-early', 'data-testid': 'change-early-reason', placeholder: 'why start before the window' });
  const beforeWindow = steps.includes('implement') && Date.now() < Date.parse(c.plannedStart);
  const buttons = steps.map((step) => {
    const b = h('button', { type: 'button', 'data-testid': `change-${step}` }, STEP_LABEL[step]);
    b.addEventListener('click', () => {
      b.disabled = true;
      error.textContent = '';
      void runStep(step, c.id, note.value.trim(), outcome.value, early.value.trim())
        .then(async (r) => {
          const why = refusal(r);
          if (why) error.textContent = `${STEP_LABEL[step]} refused: ${why}`;
          else await after();
        })
        .catch((e: unknown) => (error.textContent = `${STEP_LABEL[step]} failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => (b.disabled = false));
    });
    return b;
  });
  if (!steps.length) return h('p', { class: 'muted', 'data-testid': 'change-steps' }, `No further step: the change is ${c.status.toLowerCase()}.`);
  return h('div', { class: 'steps', 'data-testid': 'change-steps' },
    h('label', {}, 'Note ', note),
    steps.includes('close') ? h('label', {}, 'Outcome ', outcome) : '',
    beforeWindow ? h('label', {}, 'Early start reason ', early) : '',
    h('div', { class: 'step-buttons' }, ...buttons),
    error);
}
