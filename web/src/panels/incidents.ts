// The incident workspace inside the impact mode: open an incident on the CIs marked failed, the list of open
// incidents with how many services each takes down, an incident's stored impact drawn and listed, refresh,
// resolve and close, grouping incidents into a problem, and root-cause suggestions across open incidents with
// the share of the impact each explains (the suggested CI selected on the graph when drawn).
import { api } from '../api/session';
import { CloseIncident, CreateProblem, IncidentQuery, OpenIncident, OpenIncidentsQuery, RefreshIncident, ResolveIncident, RootCausesQuery } from '../api/workspace-queries';
import type { Explorer } from '../graph/explorer';
import { fmtDate, h } from './dom';
import { drawReport, reportSections } from './impact';
import { mountProblems } from './problems';

export interface IncidentDeps {
  explorer: Explorer;
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
  /** The CIs marked failed in the impact panel. */
  failed(): { id: string; state: 'DOWN' | 'DEGRADED' }[];
}

interface Outcome { data?: { r: { __typename: string; message?: string } } | null; errors?: { message: string }[] }

/** Why a mutation did not happen, or null when it did. */
function refusal(r: Outcome): string | null {
  if (r.errors?.length) return r.errors.map((e) => e.message).join('; ');
  const res = r.data?.r;
  if (!res) return 'no answer from the API';
  return res.__typename.endsWith('Success') ? null : (res.message ?? res.__typename);
}

export function mountIncidents(deps: IncidentDeps): HTMLElement {
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'incident-error' });
  const list = h('ul', { class: 'list', 'data-testid': 'incident-list' });
  const detail = h('div', { 'data-testid': 'incident-detail' });
  const causes = h('div', { 'data-testid': 'root-causes' });
  const title = h('input', { id: 'incident-title', 'data-testid': 'incident-title', placeholder: 'what users see' });
  const severity = h('select', { id: 'incident-severity', 'data-testid': 'incident-severity' }, ...['SEV1', 'SEV2', 'SEV3', 'SEV4'].map((s) => h('option', { value: s }, s)));
  const problemTitle = h('input', { id: 'problem-title', 'data-testid': 'problem-title', placeholder: 'problem title' });
  const checked = new Set<string>();
  const problems = mountProblems({ task: deps.task });

  /** Runs a mutation as a graph task; a refusal is shown in place and stops the follow-up. */
  const act = (label: string, call: () => Promise<Outcome>, then: () => Promise<unknown>) => deps.task(label, async () => {
    error.textContent = '';
    const why = refusal(await call());
    if (why) {
      error.textContent = `${label} refused: ${why}`;
      return;
    }
    await then();
  });

  const listOpen = async () => {
    const r = await api(OpenIncidentsQuery, {});
    const incidents = r.data?.incidents ?? [];
    list.replaceChildren(...incidents.map((i) => {
      const open = h('button', { type: 'button', class: 'link', 'data-testid': 'open-incident-record', 'data-id': i.id }, `${i.number} ${i.title}`);
      open.addEventListener('click', () => void deps.task(`Opening ${i.number}`, () => show(i.id)));
      const box = h('input', { type: 'checkbox', 'aria-label': `Group ${i.number} into a problem` });
      box.checked = checked.has(i.id);
      box.addEventListener('change', () => (box.checked ? checked.add(i.id) : checked.delete(i.id)));
      return h('li', { 'data-id': i.id }, box, ' ', h('span', { class: 'badge' }, i.severity), ' ', open,
        h('div', { class: 'muted' }, `${i.impact?.services.length ?? 0} services impacted · opened ${fmtDate(i.openedAt)}${i.problemId ? ' · in a problem' : ''}`));
    }));
    if (!incidents.length) list.replaceChildren(h('li', { class: 'muted' }, 'No open incident.'));
  };

  const show = async (id: string) => {
    const r = await api(IncidentQuery, { id });
    const i = r.data?.incident;
    if (!i) throw new Error(r.errors?.[0]?.message ?? 'incident not found');
    const failedIds = i.affected.flatMap((a) => (a.ci ? [a.ci.id] : []));
    if (i.impact) await drawReport(deps.explorer, failedIds, i.impact);
    const btn = (label: string, testid: string, fn: () => void) => {
      const b = h('button', { type: 'button', 'data-testid': testid }, label);
      b.addEventListener('click', fn);
      return b;
    };
    const after = async () => {
      await show(id);
      await listOpen();
    };
    detail.replaceChildren(
      h('h3', { 'data-testid': 'incident-heading' }, `${i.number}: ${i.title}`),
      h('p', { 'data-testid': 'incident-status' }, `${i.severity} · ${i.status.toLowerCase()} · failed: ${i.affected.map((a) => `${a.ci?.name ?? 'a deleted CI'} (${a.state})`).join(', ')}`),
      h('p', { class: 'muted' }, `impact computed ${i.impactComputedAt ? fmtDate(i.impactComputedAt) : 'never'}`),
      i.knownErrors.length
        ? h('ul', { class: 'list known-errors', 'data-testid': 'incident-known-errors', 'aria-label': 'Known errors on these CIs' }, ...i.knownErrors.map((k) =>
          h('li', {}, h('strong', {}, `Known error ${k.number}: `), `${k.title}. Workaround: ${k.workaround ?? 'none'}${k.rootCause ? ` (root cause: ${k.rootCause})` : ''}`)))
        : '',
      h('div', { class: 'step-buttons' },
        btn('Refresh impact', 'incident-refresh', () => void act('Refresh', () => api(RefreshIncident, { id }), after)),
        i.status === 'OPEN' ? btn('Resolve', 'incident-resolve', () => void act('Resolve', () => api(ResolveIncident, { id }), after)) : '',
        i.status !== 'CLOSED' ? btn('Close', 'incident-close', () => void act('Close', () => api(CloseIncident, { id }), after)) : ''),
      ...(i.impact ? reportSections(deps.explorer, i.impact) : [h('p', { class: 'muted' }, 'No stored impact.')]),
    );
  };

  const openNew = async () => {
    const failed = deps.failed();
    if (!failed.length) throw new Error('mark at least one CI failed first');
    const r = await api(OpenIncident, { input: { title: title.value.trim(), severity: severity.value as 'SEV1', failed } });
    const why = refusal(r);
    if (why) {
      error.textContent = `Open incident refused: ${why}`;
      return;
    }
    const res = r.data?.r;
    if (res?.__typename === 'MutationOpenIncidentSuccess') await show(res.data.id);
    await listOpen();
  };

  const suggest = async () => {
    const r = await api(RootCausesQuery, {});
    const list2 = r.data?.rootCauseSuggestions ?? [];
    causes.replaceChildren(h('h3', {}, 'Root-cause suggestions'), list2.length
      ? h('ol', { class: 'list' }, ...list2.map((c) => {
        const pick = h('button', { type: 'button', class: 'link' }, c.name);
        pick.addEventListener('click', () => deps.explorer.cy.getElementById(c.ciId).select());
        return h('li', {}, pick, ` explains ${Math.round(c.explainedShare * 100)} % of open incidents (${c.explainsIncidentIds.length}), ${c.impactedCount} CIs impacted`);
      }))
      : h('p', { class: 'muted' }, 'No shared dependency across the open incidents.'));
    const best = list2[0] && deps.explorer.cy.getElementById(list2[0].ciId);
    if (best && best.nonempty()) best.select();
  };

  const openBtn = h('button', { type: 'button', 'data-testid': 'open-incident' }, 'Open incident on the failed CIs');
  openBtn.addEventListener('click', () => void deps.task('Opening an incident', openNew));
  const groupBtn = h('button', { type: 'button', 'data-testid': 'create-problem' }, 'Group checked into a problem');
  groupBtn.addEventListener('click', () => void act('Group into a problem', () => api(CreateProblem, { incidentIds: [...checked], title: problemTitle.value.trim() }), async () => {
    await listOpen();
    await problems.refresh();
  }));
  const suggestBtn = h('button', { type: 'button', 'data-testid': 'suggest-root-causes' }, 'Suggest root causes');
  suggestBtn.addEventListener('click', () => void deps.task('Suggesting root causes', suggest));

  void Promise.all([listOpen(), problems.refresh()]).catch((e: unknown) => (error.textContent = `Could not list the incidents: ${String(e)}`));
  return h('section', { class: 'incidents', 'aria-label': 'Incidents' },
    h('h2', {}, 'Incidents'),
    h('div', { class: 'steps' }, h('label', {}, 'Title ', title), h('label', {}, 'Severity ', severity), openBtn),
    error,
    h('h3', {}, 'Open incidents'),
    list,
    h('div', { class: 'steps' }, h('label', {}, 'Problem ', problemTitle), h('div', { class: 'step-buttons' }, groupBtn, suggestBtn)),
    causes,
    detail,
    problems.element,
  );
}
