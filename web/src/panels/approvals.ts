// Pending approvals in the change workspace: the changes awaiting the signed-in person's decision, each with
// approve (personally or for an awaited team) and reject in place, a note, and the API's refusal beside the
// change it concerns. Deciding one refreshes this list and the changes by status.
import type { ResultOf } from '../api/graphql';
import { ApproveChangeFor, AwaitingApprovalQuery } from '../api/approval-queries';
import { api } from '../api/session';
import { RejectChange } from '../api/workspace-queries';
import { awaitingMe, type Capacity } from './approvals-model';
import { refusal, type StepResult } from './change-lifecycle';
import { fmtDate, h } from './dom';

type Awaiting = ResultOf<typeof AwaitingApprovalQuery>['changes'][number];

export interface ApprovalsDeps {
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
  /** Opens a change's assessment in the workspace. */
  open(id: string): Promise<void>;
  /** After a decision: the changes by status move too. */
  decided(): Promise<void>;
}

const capacityText = (c: Capacity) => (c ? `for ${c}` : 'personally');

function decisionRow(c: Awaiting, capacities: Capacity[], decide: (call: () => Promise<StepResult>, error: HTMLElement) => void): HTMLElement {
  const note = h('input', { 'data-testid': 'approval-note', 'aria-label': `Note on ${c.number}`, placeholder: 'note for the record' });
  const as = h('select', { 'data-testid': 'approval-capacity', 'aria-label': `Approve ${c.number} as` },
    ...capacities.map((cap, i) => h('option', { value: String(i) }, capacityText(cap))));
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'approval-error' });
  const approve = h('button', { type: 'button', 'data-testid': 'approval-approve' }, 'Approve');
  const reject = h('button', { type: 'button', 'data-testid': 'approval-reject' }, 'Reject');
  const noted = () => note.value.trim() || null;
  approve.addEventListener('click', () => decide(() => api(ApproveChangeFor, { id: c.id, note: noted(), onBehalfOf: capacities[Number(as.value)] ?? null }) as Promise<StepResult>, error));
  reject.addEventListener('click', () => decide(() => api(RejectChange, { id: c.id, note: noted() }) as Promise<StepResult>, error));
  return h('div', { class: 'step-buttons' }, note, capacities.length > 1 ? as : h('span', { class: 'muted' }, capacityText(capacities[0] ?? null)), approve, reject, error);
}

export function mountApprovals(deps: ApprovalsDeps): { element: HTMLElement; refresh(): Promise<void> } {
  const list = h('ul', { class: 'list approvals', 'data-testid': 'pending-approvals' });

  const refresh = async () => {
    const r = await api(AwaitingApprovalQuery, {});
    const me = r.data?.me;
    const pending = me ? awaitingMe(r.data?.changes ?? []) : [];
    list.replaceChildren(...pending.map(({ change: c, capacities }) => {
      const open = h('button', { type: 'button', class: 'link', 'data-testid': 'approval-open' }, `${c.number} ${c.title}`);
      open.addEventListener('click', () => void deps.task(`Opening ${c.number}`, () => deps.open(c.id)));
      const a = c.submittedAssessment;
      const awaited = c.approvals?.awaitingTeams.length ? ` · awaiting ${c.approvals.awaitingTeams.join(', ')}` : '';
      return h('li', { 'data-id': c.id }, open,
        h('div', { class: 'muted' }, `${c.type.toLowerCase()} · requested by ${c.requestedBy} · ${fmtDate(c.plannedStart)}${a ? ` · risk ${a.risk.level.toLowerCase()}, ${a.impactedCount} CIs` : ''}${awaited}`),
        decisionRow(c, capacities, (call, error) => void deps.task(`Deciding ${c.number}`, async () => {
          const why = refusal(await call());
          if (why) {
            error.textContent = `Refused: ${why}`;
            return;
          }
          await refresh();
          await deps.decided();
        })));
    }));
    if (!pending.length) list.replaceChildren(h('li', { class: 'muted' }, me ? 'Nothing awaits your approval.' : 'Sign in to see what awaits your approval.'));
  };

  return { element: h('section', { 'aria-label': 'Awaiting your approval' }, h('h3', {}, 'Awaiting your approval'), list), refresh };
}
