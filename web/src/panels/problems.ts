// Problems in the incident workspace: each problem not yet resolved with its incidents, root cause and known
// error (workaround), and the steps its status allows (record the root cause, record the known error, resolve)
// with the API's refusal, which names the missing field, shown beside the problem.
import type { ResultOf } from '../api/graphql';
import { IdentifyRootCause, ProblemsQuery, RecordKnownError, ResolveProblem } from '../api/problem-queries';
import { api } from '../api/session';
import { refusal, type StepResult } from './change-lifecycle';
import { fmtDate, h } from './dom';
import { PROBLEM_STEP_LABEL, problemStepsFor, type ProblemStep } from './problem-steps';

type Problem = ResultOf<typeof ProblemsQuery>['problems'][number];

export interface ProblemsDeps {
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
}

const statusText = (s: string) => s.toLowerCase().replace(/_/g, ' ');

function knownErrorText(p: Problem): HTMLElement {
  return h('dl', { class: 'known-error', 'data-testid': 'known-error' },
    h('dt', {}, 'Root cause'), h('dd', {}, p.rootCause ? `${p.rootCause}${p.rootCauseCi ? ` (${p.rootCauseCi.name})` : ''}` : 'not identified yet'),
    h('dt', {}, 'Workaround'), h('dd', {}, p.workaround ? `${p.workaround}${p.knownErrorAt ? ` · known error since ${fmtDate(p.knownErrorAt)}` : ''}` : 'none recorded'));
}

/** The form of the steps `p` may take; `send` runs one and reports a refusal in the form's error line. */
function stepForm(p: Problem, send: (step: ProblemStep, form: Record<string, string>, error: HTMLElement) => void): HTMLElement | string {
  const steps = problemStepsFor(p.status);
  if (!steps.length) return '';
  const input = (name: string, label: string, value = '') => h('label', {}, `${label} `, h('textarea', { name, rows: '2', 'data-testid': `problem-${name}`, 'aria-label': `${label} of ${p.number}` }, value));
  const cause = h('select', { name: 'rootCauseCiId', 'data-testid': 'problem-rootCauseCiId' }, h('option', { value: '' }, '—'),
    ...p.rootCauses.map((c) => h('option', { value: c.ciId, selected: c.ciId === p.rootCauseCi?.id }, c.name)));
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'problem-error' });
  const form = h('form', { class: 'steps', 'data-testid': 'problem-form' },
    steps.includes('root-cause') || steps.includes('known-error') ? input('rootCause', 'Root cause', p.rootCause ?? '') : '',
    steps.includes('root-cause') ? h('label', {}, 'Root-cause CI ', cause) : '',
    steps.includes('known-error') ? input('workaround', 'Workaround') : '',
    steps.includes('resolve') ? input('resolution', 'Resolution') : '');
  const buttons = steps.map((step) => {
    const b = h('button', { type: 'button', 'data-testid': `problem-${step}` }, PROBLEM_STEP_LABEL[step]);
    b.addEventListener('click', () => send(step, Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()])), error));
    return b;
  });
  form.append(h('div', { class: 'step-buttons' }, ...buttons), error);
  return form;
}

function call(step: ProblemStep, id: string, f: Record<string, string>): Promise<StepResult> {
  const rootCause = f.rootCause || null;
  if (step === 'root-cause') return api(IdentifyRootCause, { id, rootCause, rootCauseCiId: f.rootCauseCiId || null }) as Promise<StepResult>;
  if (step === 'known-error') return api(RecordKnownError, { id, workaround: f.workaround ?? '', rootCause }) as Promise<StepResult>;
  return api(ResolveProblem, { id, resolution: f.resolution ?? '' }) as Promise<StepResult>;
}

export function mountProblems(deps: ProblemsDeps): { element: HTMLElement; refresh(): Promise<void> } {
  const list = h('ul', { class: 'list problems', 'data-testid': 'problem-list' });

  const refresh = async () => {
    const problems = (await api(ProblemsQuery, {})).data?.problems ?? [];
    list.replaceChildren(...problems.map((p) => h('li', { 'data-id': p.id },
      h('strong', { 'data-testid': 'problem-heading' }, `${p.number} ${p.title}`), ' ', h('span', { class: 'badge', 'data-testid': 'problem-status' }, statusText(p.status)),
      h('div', { class: 'muted' }, `incidents: ${p.incidents.map((i) => i.number).join(', ') || 'none'}`),
      knownErrorText(p),
      stepForm(p, (step, form, error) => void deps.task(`${PROBLEM_STEP_LABEL[step]} on ${p.number}`, async () => {
        error.textContent = '';
        const why = refusal(await call(step, p.id, form));
        if (why) error.textContent = `${PROBLEM_STEP_LABEL[step]} refused: ${why}`;
        else await refresh();
      })))));
    if (!problems.length) list.replaceChildren(h('li', { class: 'muted' }, 'No open problem.'));
  };

  return { element: h('section', { 'aria-label': 'Problems' }, h('h3', {}, 'Problems and known errors'), list), refresh };
}
