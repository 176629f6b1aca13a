// CMDB health mode: the data-quality figures (completeness per class, stale CIs and absent relationships by
// source, orphans, unowned services, open duplicate conflicts); opening a figure lists the CIs behind it and
// draws them, one row per class (absent relationships drawn dashed to the CI they pointed at).
import { api } from '../api/session';
import { CisByIdsQuery, CmdbHealthQuery, NeighbourhoodQuery } from '../api/queries';
import type { Explorer, SubgraphEdgeIn, SubgraphNodeIn } from '../graph/explorer';
import type { CiSummary } from '../graph/model';
import { showDetails } from './details';
import { breakable, h } from './dom';
import { healthSections, listNote, percent, plural, type Figure } from './health-model';

export interface HealthDeps {
  explorer: Explorer;
  /** Runs a graph operation with the page's busy count and status line. */
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
  getFigure(): string | null;
  setFigure(id: string | null): void;
}

/** Neighbourhood reads for absent relationships are one request per CI: cap them. */
const ABSENT_LOOKUPS = 25;

export function mountHealthPanel(container: HTMLElement, deps: HealthDeps): { render(): Promise<void> } {
  const cy = deps.explorer.cy;
  const live = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'health-status' });
  const say = (msg: string) => (live.textContent = msg);
  let figures = new Map<string, { figure: Figure; button: HTMLButtonElement; list: HTMLElement }>();
  let asked = 0;

  const showCi = (id: string) => {
    const n = cy.getElementById(id);
    if (n.empty()) return void showDetails(id);
    cy.$(':selected').unselect();
    n.select();
    cy.animate({ center: { eles: n } }, { duration: 200 });
  };

  const collapseAll = () => {
    for (const f of figures.values()) {
      f.button.setAttribute('aria-expanded', 'false');
      f.list.hidden = true;
    }
  };

  /** Lists and draws the CIs behind a figure. */
  const open = async (id: string) => {
    const entry = figures.get(id);
    if (!entry) {
      deps.setFigure(null);
      return say('That figure reads none now.');
    }
    const { figure, button, list } = entry;
    const mine = ++asked;
    collapseAll();
    button.setAttribute('aria-expanded', 'true');
    list.hidden = false;
    list.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    deps.setFigure(id);
    say(`Loading the CIs behind ${figure.label}…`);

    const r = await api(CisByIdsQuery, { ids: figure.ciIds, first: Math.max(1, figure.ciIds.length) });
    if (mine !== asked) return;
    if (!r.data) {
      list.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'Could not read the CIs'));
      return say('Could not read the CIs behind the figure.');
    }
    const found = new Map<string, CiSummary>(r.data.cis.nodes.map((c) => [c.id, c]));
    const cis = figure.ciIds.flatMap((i) => found.get(i) ?? []);

    // One row per class, classes in name order, so a mixed figure reads as a small table.
    const classes = [...new Set(cis.map((c) => c.className))].sort();
    // A stale CI also says so in its label: the dotted border alone would be a style-only cue.
    const nodes: SubgraphNodeIn[] = cis.map((ci) => ({ ci, rank: classes.indexOf(ci.className), ...(ci.stale ? { state: 'STALE' } : {}) }));
    const edges = figure.section === 'absent' ? await absentRelationships(cis, nodes) : [];
    if (mine !== asked) return;
    await drawFigure(deps.explorer, nodes, edges);
    if (mine !== asked) return;
    list.replaceChildren(...ciList(figure, cis, showCi));
    say(`${figure.label}: ${plural(cis.length, 'CI')} listed and drawn in the graph.`);
  };

  const figureButton = (f: Figure, listId: string) => {
    const b = h('button', { type: 'button', class: 'figure', 'data-testid': 'health-figure', 'data-figure': f.id, 'data-count': String(f.count), 'aria-expanded': 'false', 'aria-controls': listId },
      // The hidden punctuation keeps the accessible name readable: "k8s: 2 stale CIs. web-1 and web-one".
      h('span', { class: 'figure-label' }, ...breakable(f.label), h('span', { class: 'sr-only' }, ': ')),
      h('span', { class: 'figure-count' }, f.summary, f.detail ? h('span', { class: 'sr-only' }, '. ') : null),
      f.detail ? h('span', { class: 'figure-detail' }, ...breakable(f.detail)) : null);
    if (f.share !== undefined) b.append(figureBar(f.share));
    b.addEventListener('click', () => {
      if (b.getAttribute('aria-expanded') === 'true') {
        collapseAll();
        deps.setFigure(null);
        return;
      }
      void deps.task(`Opening ${f.label}`, () => open(f.id));
    });
    return b;
  };

  const render = async () => {
    const refresh = h('button', { type: 'button', 'data-testid': 'health-refresh' }, 'Refresh');
    refresh.addEventListener('click', () => void deps.task('Refreshing CMDB health', () => render()));
    const body = h('div', { 'data-testid': 'health-sections' }, h('p', { class: 'muted' }, 'Checking…'));
    container.replaceChildren(
      h('div', { class: 'health-head' }, h('h2', {}, 'CMDB health'), refresh),
      live,
      body,
    );
    say('Checking the CMDB…');
    const r = await api(CmdbHealthQuery, {});
    const health = r.data?.health;
    if (!health) {
      body.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'Could not read CMDB health'));
      return void say('Could not read CMDB health.');
    }
    const sections = healthSections(health);
    figures = new Map();
    let n = 0;
    body.replaceChildren(
      summary(health),
      ...sections.map((sec) => sectionEl(sec, (f) => {
        const listId = `health-cis-${n++}`;
        const list = h('div', { id: listId, class: 'figure-cis', hidden: true });
        const button = figureButton(f, listId);
        figures.set(f.id, { figure: f, button, list });
        return h('li', {}, button, list);
      })),
    );
    const issues = sections.reduce((sum, s) => sum + s.figures.length, 0);
    say(`${plural(health.totalCis, 'CI')}, completeness ${percent(health.completenessScore)}, ${issues ? plural(issues, 'figure') + ' to look at' : 'nothing to fix'}.`);
    const current = deps.getFigure();
    if (current) await open(current);
  };

  return { render };
}

/** The absent relationships of (up to ABSENT_LOOKUPS of) the listed CIs, adding what they pointed at one row below. */
async function absentRelationships(cis: CiSummary[], nodes: SubgraphNodeIn[]): Promise<SubgraphEdgeIn[]> {
  const edges: SubgraphEdgeIn[] = [];
  const drawn = new Set(nodes.map((n) => n.ci.id));
  for (const n of nodes) n.rank = 0;
  const hoods = await Promise.all(cis.slice(0, ABSENT_LOOKUPS).map((c) => api(NeighbourhoodQuery, { id: c.id })));
  for (const hood of hoods) {
    for (const rel of hood.data?.ci?.relationships ?? []) {
      if (!rel.absent || rel.from.id !== hood.data?.ci?.id) continue;
      edges.push({ type: rel.type, fromId: rel.from.id, toId: rel.to.id, absent: true });
      if (!drawn.has(rel.to.id)) {
        drawn.add(rel.to.id);
        nodes.push({ ci: rel.to, rank: 1, ...(rel.to.stale ? { state: 'STALE' } : {}) });
      }
    }
  }
  return edges;
}

/** Draws a figure's CIs; the list holds at most a sample of 50, so each is drawn rather than folded into a group. */
async function drawFigure(ex: Explorer, nodes: SubgraphNodeIn[], edges: SubgraphEdgeIn[]): Promise<void> {
  ex.clear();
  for (const n of nodes) ex.expandedGroups.add(`group:rank${n.rank}:${n.ci.className}`);
  await ex.drawLayered(nodes, edges, false);
}

/** The note and the keyboard-reachable list of the CIs behind a figure. */
function ciList(figure: Figure, cis: CiSummary[], showCi: (id: string) => void): HTMLElement[] {
  if (!cis.length) return [h('p', { class: 'muted' }, listNote(figure, 0)), h('p', {}, 'These CIs no longer exist; refresh the figures.')];
  return [
    h('p', { class: 'muted' }, listNote(figure, cis.length)),
    h('ul', { class: 'list health-cis', 'data-testid': 'health-cis', 'aria-label': `CIs behind ${figure.label}` }, ...cis.map((ci) => {
      const b = h('button', { type: 'button', class: 'link', 'data-testid': 'health-ci', 'data-id': ci.id },
        h('span', { class: 'name' }, ci.name), ' ', h('span', { class: 'muted' }, `‹${ci.className}›`),
        ci.stale ? h('span', { class: 'badge' }, 'stale') : null);
      b.addEventListener('click', () => showCi(ci.id));
      return h('li', {}, b);
    })),
  ];
}

/** The bar repeats a figure's words for a quick scan; hidden from assistive tech, which reads the words. */
function figureBar(share: number): HTMLElement {
  const fill = h('span');
  fill.style.width = `${Math.max(2, Math.round(share * 100))}%`;
  return h('span', { class: 'figure-bar', 'aria-hidden': 'true' }, fill);
}

function summary(health: { totalCis: number; completenessScore: number }): HTMLElement {
  return h('dl', { class: 'health-summary', 'data-testid': 'health-summary' },
    h('div', {}, h('dt', {}, 'CIs'), h('dd', { 'data-testid': 'health-total' }, String(health.totalCis))),
    h('div', {}, h('dt', {}, 'Completeness'), h('dd', { 'data-testid': 'health-score' }, percent(health.completenessScore))));
}

type Section = ReturnType<typeof healthSections>[number];

/** One section of figures (each made by `item`), or what it says when it has none. */
function sectionEl(s: Section, item: (f: Figure) => HTMLElement): HTMLElement {
  const headingId = `health-h-${s.id}`;
  return h('section', { class: 'health-section', 'data-testid': `health-${s.id}`, 'aria-labelledby': headingId },
    h('h3', { id: headingId }, s.title, ' ', h('span', { class: 'count' }, `(${s.tally})`)),
    h('p', { class: 'muted help' }, s.help),
    s.figures.length ? h('ul', { class: 'figures' }, ...s.figures.map(item)) : h('p', { class: 'none', 'data-testid': 'health-none' }, s.none));
}
