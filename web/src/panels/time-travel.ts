// Time travel mode: a chosen past instant, and the selected CI's dependents or the impact of its failure drawn on
// the graph as it was then. While the past is drawn, the graph carries a dashed amber frame and the panel a
// banner naming the instant, so nobody takes it for now.
import { api } from '../api/session';
import { DependentsAsOfQuery, ImpactAsOfQuery } from '../api/time-travel-queries';
import type { Explorer, SubgraphEdgeIn, SubgraphNodeIn } from '../graph/explorer';
import { byId, fmtDate, h } from './dom';
import { reportSections } from './impact';

export interface TimeTravelDeps {
  explorer: Explorer;
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
  selected(): { id: string; name: string } | null;
  status(msg: string): void;
}

const DEPTH = 10;
const LIMIT = 2000;

/** The value of a datetime-local input (the browser's time zone) as an instant, or null when empty or invalid. */
export function instantOf(local: string): string | null {
  const t = Date.parse(local);
  return local && !Number.isNaN(t) ? new Date(t).toISOString() : null;
}

export function mountTimeTravelPanel(container: HTMLElement, deps: TimeTravelDeps): { render(): void; leave(): void } {
  const when = h('input', { type: 'datetime-local', step: '1', 'data-testid': 'tt-at', 'aria-label': 'As of (your local time)' });
  const banner = h('p', { class: 'tt-banner', role: 'status', 'data-testid': 'tt-banner', hidden: true });
  const results = h('div', { 'data-testid': 'tt-results' });
  const graph = () => byId('cy');

  const markPast = (at: string, what: string) => {
    banner.textContent = `The past: ${what} as of ${fmtDate(at)} UTC, not the graph now.`;
    banner.hidden = false;
    graph().classList.add('cy-past');
  };
  const leave = () => {
    banner.hidden = true;
    graph().classList.remove('cy-past');
  };

  const chosen = (): { at: string; ci: { id: string; name: string } } | null => {
    const at = instantOf(when.value);
    const ci = deps.selected();
    if (!at) deps.status('Choose an instant in the past.');
    else if (!ci) deps.status('Select a CI in the graph first.');
    return at && ci ? { at, ci } : null;
  };

  const dependents = async () => {
    const c = chosen();
    if (!c) return;
    const r = await api(DependentsAsOfQuery, { id: c.ci.id, at: c.at, depth: DEPTH, limit: LIMIT });
    const sub = r.data?.ci?.sub;
    if (!sub) throw new Error(r.errors?.[0]?.message ?? `${c.ci.name} did not exist then`);
    const nodes: SubgraphNodeIn[] = [{ ci: sub.root, rank: 0 }, ...sub.nodes.map((n) => ({ ci: n.ci, rank: -n.distance }))];
    deps.explorer.rootId = c.ci.id;
    await deps.explorer.drawLayered(nodes, sub.edges);
    results.replaceChildren(h('p', {}, `${sub.nodes.length} CIs needed ${c.ci.name} then.`));
    markPast(c.at, `what needed ${c.ci.name}`);
  };

  const impact = async () => {
    const c = chosen();
    if (!c) return;
    const [r, sub] = await Promise.all([
      api(ImpactAsOfQuery, { failed: [{ id: c.ci.id, state: 'DOWN' }], at: c.at }),
      api(DependentsAsOfQuery, { id: c.ci.id, at: c.at, depth: DEPTH, limit: LIMIT }),
    ]);
    const report = r.data?.report;
    if (!report) throw new Error(r.errors?.[0]?.message ?? 'Impact analysis failed');
    const nodes: SubgraphNodeIn[] = report.impacted.map((i) => ({ ci: i.ci ?? { id: i.id, name: i.name, className: i.className }, rank: -i.distance, state: i.failed ? 'FAILED' : i.state }));
    const ids = new Set(nodes.map((n) => n.ci.id));
    // The edges of then, among what was impacted then.
    const edges: SubgraphEdgeIn[] = (sub.data?.ci?.sub.edges ?? []).filter((e) => ids.has(e.fromId) && ids.has(e.toId));
    deps.explorer.rootId = null;
    await deps.explorer.drawLayered(nodes, edges, false);
    results.replaceChildren(...reportSections(deps.explorer, report));
    markPast(c.at, `the impact of ${c.ci.name} failing`);
  };

  const button = (label: string, testid: string, label2: string, fn: () => Promise<void>) => {
    const b = h('button', { type: 'button', 'data-testid': testid }, label);
    b.addEventListener('click', () => void deps.task(label2, fn));
    return b;
  };

  const render = () => {
    if (!when.value) when.value = new Date(Date.now() - 3600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    container.replaceChildren(
      h('h2', {}, 'Time travel'),
      h('p', { class: 'muted' }, 'Read the graph as it was at a past instant: relationships, values and owners then.'),
      h('label', {}, 'As of ', when),
      h('div', { class: 'tt-actions' },
        button('Dependents then', 'tt-dependents', 'Reading the past', dependents),
        button('Impact then', 'tt-impact', 'Analysing the past', impact)),
      banner,
      results,
    );
  };

  return { render, leave };
}
