// Service levels mode: every service with a level, at risk first (budget spent, then at risk, then met), each
// with its availability against target, error budget left and burn, and the incident that cost most. Choosing a
// service opens it in the graph.
import { api } from '../api/session';
import { ServiceLevelsQuery } from '../api/service-level-queries';
import type { Explorer } from '../graph/explorer';
import { h } from './dom';
import { levelRow, statusWords, type LevelRow } from './service-level-model';

export interface ServiceLevelsDeps {
  explorer: Explorer;
  /** Runs a graph operation with the page's busy count and status line. */
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
}

/** Rows drawn at most: the report is ordered by risk, so the first ones are those that matter. */
const SHOWN = 200;

// A card per service rather than a table row: the side panel is a third of the window, too narrow for six columns.
function rowOf(r: LevelRow, open: (r: LevelRow) => void): HTMLElement {
  const bar = h('span', { class: 'sl-bar', role: 'presentation' }, h('span', { class: 'sl-bar-left', style: `width: ${(r.budgetShare * 100).toFixed(1)}%` }));
  const name = h('button', { type: 'button', class: 'sl-open', 'data-testid': 'sl-open' }, r.name);
  name.addEventListener('click', () => open(r));
  const item = (label: string, testid: string, ...value: (Node | string)[]) => h('div', {}, h('dt', {}, label), h('dd', { 'data-testid': testid }, ...value));
  return h('li', { class: 'sl-card', 'data-testid': 'sl-row', 'data-service': r.serviceId, 'data-status': r.status },
    h('div', { class: 'sl-head' }, name, h('span', { 'data-testid': 'sl-status', class: `sl-status sl-${r.status.toLowerCase()}` }, statusWords(r.status))),
    h('dl', { class: 'sl-figures' },
      item('Availability', 'sl-availability', r.availability),
      item('Budget left', 'sl-budget', bar, ' ', r.budgetLeft),
      item('Burn', 'sl-burn', r.burn),
      item('Cost most', 'sl-incident', r.worstIncident ?? '—')));
}

export function mountServiceLevelsPanel(container: HTMLElement, deps: ServiceLevelsDeps): { render(): Promise<void> } {
  const live = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'sl-summary' });
  const atRiskOnly = h('input', { type: 'checkbox', 'data-testid': 'sl-at-risk-only' });
  const body = h('div', { 'data-testid': 'sl-table' });
  const open = (r: LevelRow) => void deps.task(`Opening ${r.name}`, () => deps.explorer.open(r.serviceId));

  const render = async () => {
    container.replaceChildren(
      h('h2', {}, 'Service levels'),
      h('label', {}, atRiskOnly, ' Only services at risk'),
      live,
      body,
    );
    live.textContent = 'Measuring…';
    const r = await api(ServiceLevelsQuery, { atRiskOnly: atRiskOnly.checked, limit: SHOWN });
    const levels = r.data?.serviceLevels;
    if (!levels) {
      body.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'Could not measure service levels'));
      live.textContent = 'Could not measure service levels.';
      return;
    }
    const rows = levels.map(levelRow);
    const risky = rows.filter((x) => x.status !== 'MET').length;
    live.textContent = rows.length
      ? `${rows.length} service${rows.length === 1 ? '' : 's'} with a level; ${risky ? `${risky} at risk or spent` : 'all within budget'}.`
      : 'No service has a level yet.';
    body.replaceChildren(
      rows.length
        ? h('ul', { class: 'sl-list' }, ...rows.map((x) => rowOf(x, open)))
        : h('p', { class: 'none' }, 'Set a level on a business or application service (setServiceLevel) to measure it here.'),
    );
  };
  atRiskOnly.addEventListener('change', () => void render());
  return { render };
}
