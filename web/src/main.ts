// Entry of the web view: wires the graph, the panels and the URL state of the explorer.
import './style.css';
import type { Core, NodeSingular } from 'cytoscape';
import { mountSignIn } from './auth/sign-in';
import { createCy } from './graph/cy';
import { Explorer } from './graph/explorer';
import { fitReadable } from './graph/labels';
import { mountChangePanel } from './panels/change';
import { showDetails, showGroupDetails } from './panels/details';
import { byId, h } from './panels/dom';
import { mountHealthPanel } from './panels/health';
import { mountImpactPanel } from './panels/impact';
import { mountLegendAndFilters } from './panels/legend';
import { mountSearch } from './panels/search';
import { mountServiceLevelsPanel } from './panels/service-levels';
import { mountTimeTravelPanel } from './panels/time-travel';
import { mountAuditPanel } from './panels/audit';
import { watchSeeding } from './panels/seeding';
import { watchCanvasRoom } from './panels/canvas-room';
import { decodeState, encodeState, type Mode, type ViewState } from './state/url-state';

declare global {
  interface Window {
    __ripple: { cy: Core; explorer: Explorer; busy: number; state: () => ViewState };
  }
}

// Signing in as someone else reloads the page, so every panel reads the graph as that identity.
void mountSignIn(document.querySelector<HTMLElement>('header.top')!, () => location.reload());

const cy = createCy(byId('cy'));
const explorer = new Explorer(cy);
let state: ViewState = decodeState(location.hash);
let writtenHash = location.hash;
window.__ripple = { cy, explorer, busy: 0, state: () => state };

const statusLine = byId('status');
const status = (msg: string) => (statusLine.textContent = msg);
const graphStatus = () => {
  const l = explorer.lastLayout;
  status(`${cy.nodes().length} nodes, ${cy.edges().length} edges${l ? ` · layout ${l.ms.toFixed(0)} ms in ${l.where}` : ''}${explorer.note ? ` · ${explorer.note}` : ''}`);
};

let lastTask: Promise<void> = Promise.resolve();

/**
 * Runs a graph operation with a busy count (tests wait for 0) and reports failures in the status line. One at a
 * time, in the order asked: an open, an expand and a health figure started together would otherwise clear and
 * fill the one graph in turns and leave a mix of their nodes. A task must not await another task.
 */
function task(label: string, fn: () => Promise<unknown>): Promise<void> {
  window.__ripple.busy++;
  document.body.setAttribute('aria-busy', 'true');
  const run = lastTask.then(() => runTask(label, fn));
  lastTask = run;
  return run;
}

async function runTask(label: string, fn: () => Promise<unknown>): Promise<void> {
  status(`${label}…`);
  try {
    await fn();
    graphStatus();
  } catch (e) {
    status(`${label} failed: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    window.__ripple.busy--;
    if (!window.__ripple.busy) document.body.removeAttribute('aria-busy');
    syncUrl();
    refreshControls();
  }
}

function syncUrl(): void {
  if (state.mode === 'explore') {
    state.expanded = explorer.expanded;
    state.groups = [...explorer.expandedGroups];
  } else if (state.mode === 'dependencies' || state.mode === 'dependents') {
    state.expanded = [];
    state.groups = [...explorer.expandedGroups];
  }
  const hash = encodeState(state);
  if (hash !== writtenHash) {
    writtenHash = hash;
    history.replaceState(null, '', hash || location.pathname + location.search);
  }
}

const selectedNode = (): NodeSingular | null => {
  const s = cy.$('node:selected');
  return s.nonempty() ? (s.first() as NodeSingular) : null;
};
const selected = () => {
  const n = selectedNode();
  return n && !n.data('isGroup') ? { id: n.id(), name: n.data('name') as string } : null;
};

// --- toolbar -------------------------------------------------------------------------------------------
const btn = (id: string) => byId<HTMLButtonElement>(id);
const depthInput = byId<HTMLInputElement>('depth');
depthInput.value = String(state.depth);
const nodeList = byId<HTMLSelectElement>('node-list');

function refreshControls(): void {
  const n = selectedNode();
  const real = n && !n.data('isGroup');
  btn('expand').disabled = !n;
  btn('collapse').disabled = !n || !explorer.addedBy.has(n.id()) || n.id() === explorer.rootId;
  btn('load-deps').disabled = !real;
  btn('load-dependents').disabled = !real;
  for (const b of document.querySelectorAll<HTMLButtonElement>('.modes button')) {
    const m = b.dataset.mode;
    const active = m === state.mode || (m === 'explore' && (state.mode === 'dependencies' || state.mode === 'dependents'));
    b.setAttribute('aria-pressed', String(active));
  }
}

let listTimer: ReturnType<typeof setTimeout> | undefined;
cy.on('add remove', () => {
  clearTimeout(listTimer);
  listTimer = setTimeout(() => {
    const nodes = cy.nodes().sort((a, b) => String(a.data('name')).localeCompare(String(b.data('name')))).slice(0, 1000);
    nodeList.replaceChildren(h('option', { value: '' }, '—'), ...nodes.map((n) => h('option', { value: n.id() }, `${n.data('name')} (${n.data('className')})`)));
    const s = selectedNode();
    if (s) nodeList.value = s.id();
  }, 100);
});
nodeList.addEventListener('change', () => {
  const n = cy.getElementById(nodeList.value);
  if (n.empty()) return;
  cy.$(':selected').unselect();
  n.select();
  cy.animate({ center: { eles: n } }, { duration: 200 });
});

btn('expand').addEventListener('click', () => {
  const n = selectedNode();
  if (n) void task('Expanding', () => explorer.expand(n.id()));
});
btn('collapse').addEventListener('click', () => {
  const n = selectedNode();
  if (n) void task('Collapsing', () => explorer.collapse(n.id()));
});
const loadSub = (kind: 'dependencies' | 'dependents') => {
  const n = selected();
  if (!n) return;
  state.mode = kind;
  state.ci = n.id;
  state.depth = Math.min(10, Math.max(1, Number(depthInput.value) || 3));
  showModePanel();
  void task(`Loading ${kind}`, async () => {
    const r = await explorer.loadSubgraph(kind, n.id, state.depth);
    if (r.truncated) status(`Truncated at ${r.nodes} CIs`);
  });
};
btn('load-deps').addEventListener('click', () => loadSub('dependencies'));
btn('load-dependents').addEventListener('click', () => loadSub('dependents'));
btn('fit').addEventListener('click', () => fitReadable(cy));
const zoomBy = (f: number) => cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
btn('zoom-in').addEventListener('click', () => zoomBy(1.25));
btn('zoom-out').addEventListener('click', () => zoomBy(0.8));
btn('export-png').addEventListener('click', () => {
  const blob = cy.png({ output: 'blob', bg: '#ffffff', full: true, scale: 1, maxWidth: 6000, maxHeight: 6000 });
  const a = h('a', { href: URL.createObjectURL(blob), download: `ripple-${state.ci ?? 'graph'}.png` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
});

// --- graph events ----------------------------------------------------------------------------------------
cy.on('select', 'node', (ev) => {
  const n = ev.target as NodeSingular;
  nodeList.value = n.id();
  if (n.data('isGroup')) showGroupDetails(n.data('name') as string, n.data('count') as number);
  else void showDetails(n.id());
  refreshControls();
});
cy.on('unselect', 'node', () => refreshControls());
cy.on('tap', 'node', (ev) => {
  const n = ev.target as NodeSingular;
  if (n.data('isGroup')) void task('Expanding group', () => explorer.expandGroup(n.id()));
});
cy.on('dbltap', 'node', (ev) => {
  const n = ev.target as NodeSingular;
  if (!n.data('isGroup') && state.mode === 'explore') void task('Expanding', () => explorer.expand(n.id()));
});

// --- panels ------------------------------------------------------------------------------------------------
const setFilters = mountLegendAndFilters(state, (f) => {
  state = { ...state, ...f };
  explorer.applyFilters(f);
  syncUrl();
});
explorer.filters = { hiddenFamilies: state.hiddenFamilies, hiddenEnvs: state.hiddenEnvs, hiddenRels: state.hiddenRels };

const modePanel = byId('mode-panel');
const fitCanvasRoom = watchCanvasRoom(cy, document.querySelector<HTMLElement>('main.layout')!, () => state.mode);
const impactPanel = h('div');
const changePanel = h('div');
const healthPanel = h('div');
const impact = mountImpactPanel(impactPanel, {
  explorer,
  task,
  selected,
  status,
  getFailed: () => state.failed,
  setFailed: (f) => {
    state.failed = f;
    syncUrl();
  },
});
const change = mountChangePanel(changePanel, {
  explorer,
  task,
  selected,
  status,
  getChange: () => state.change,
  setChange: (id) => {
    state.change = id;
    syncUrl();
  },
});

const health = mountHealthPanel(healthPanel, {
  explorer,
  task,
  getFigure: () => state.figure,
  setFigure: (f) => {
    state.figure = f;
    syncUrl();
  },
});

const serviceLevelsPanel = h('div');
const serviceLevels = mountServiceLevelsPanel(serviceLevelsPanel, { explorer, task });

const auditPanel = h('div');
const audit = mountAuditPanel(auditPanel, (id) => void task('Opening', () => explorer.open(id)));
const timeTravelPanel = h('div');
const timeTravel = mountTimeTravelPanel(timeTravelPanel, { explorer, task, selected, status });

const PANELS: Partial<Record<Mode, HTMLElement>> = {
  impact: impactPanel,
  change: changePanel,
  health: healthPanel,
  'service-levels': serviceLevelsPanel,
  'time-travel': timeTravelPanel,
  audit: auditPanel,
};
/**
 * Modes that work on the CI selected in the graph (mark it failed, change it, read its past) keep the graph; any
 * other mode starts from an empty graph and details, not the last mode's picture under its own panel.
 */
const KEEPS_GRAPH: Mode[] = ['explore', 'dependencies', 'dependents', 'impact', 'change', 'time-travel'];
function showModePanel(): void {
  const panel = PANELS[state.mode];
  if (panel) modePanel.replaceChildren(panel);
  modePanel.hidden = !panel;
  fitCanvasRoom();
  refreshControls();
}

for (const b of document.querySelectorAll<HTMLButtonElement>('.modes button')) {
  b.addEventListener('click', () => {
    const mode = b.dataset.mode as Mode;
    const wasLayered = state.mode !== 'explore';
    state.mode = mode;
    // Leaving time travel takes the past's frame off the graph the next mode draws.
    if (mode !== 'time-travel') timeTravel.leave();
    if (!KEEPS_GRAPH.includes(mode)) {
      explorer.clear();
      void showDetails(null);
    }
    showModePanel();
    if (mode === 'impact') impact.render();
    else if (mode === 'change') void task('Loading changes', () => change.render());
    else if (mode === 'health') void task('Checking CMDB health', () => health.render());
    else if (mode === 'service-levels') void task('Measuring service levels', () => serviceLevels.render());
    else if (mode === 'time-travel') timeTravel.render();
    else if (mode === 'audit') void task('Reading the audit trail', () => audit.render());
    else if (mode === 'explore' && wasLayered && state.ci) {
      const id = state.ci;
      void task('Opening', () => explorer.open(id));
    }
    syncUrl();
  });
}

mountSearch((ci) => {
  state = { ...state, ci: ci.id, mode: state.mode === 'impact' || state.mode === 'change' || state.mode === 'health' ? state.mode : 'explore', expanded: [], groups: [] };
  showModePanel();
  void task(`Opening ${ci.name}`, () => explorer.open(ci.id));
});

// --- restore from the URL ------------------------------------------------------------------------------------
async function restore(s: ViewState): Promise<void> {
  state = s;
  setFilters(s);
  explorer.filters = { hiddenFamilies: s.hiddenFamilies, hiddenEnvs: s.hiddenEnvs, hiddenRels: s.hiddenRels };
  depthInput.value = String(s.depth);
  showModePanel();
  const want = { expanded: [...s.expanded], groups: [...s.groups] };
  await task('Restoring view', async () => {
    if (s.mode === 'dependencies' || s.mode === 'dependents') {
      if (!s.ci) return;
      await explorer.loadSubgraph(s.mode, s.ci, s.depth);
      for (const g of want.groups) await explorer.expandGroup(g);
    } else if (s.mode === 'impact') {
      impact.render();
      if (s.failed.length) await impact.analyse();
    } else if (s.mode === 'change') {
      await change.render();
    } else if (s.mode === 'health') {
      await health.render();
    } else if (s.mode === 'service-levels') {
      await serviceLevels.render();
    } else if (s.mode === 'time-travel') {
      timeTravel.render();
    } else if (s.mode === 'audit') {
      await audit.render();
    } else if (s.ci) {
      if (!(await explorer.open(s.ci))) return status('The CI in the link no longer exists.');
      for (const id of want.expanded) if (cy.getElementById(id).nonempty()) await explorer.expand(id);
      for (const g of want.groups) if (cy.getElementById(g).nonempty()) await explorer.expandGroup(g);
    }
  });
}

window.addEventListener('hashchange', () => {
  if (location.hash !== writtenHash) {
    writtenHash = location.hash;
    void restore(decodeState(location.hash));
  }
});

// A narrower window (or the panels taking more room) would clip the graph under them: re-fit once it settles.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    cy.resize();
    fitReadable(cy);
  }, 150);
});

void restore(state);
void watchSeeding(document.querySelector<HTMLElement>('header.top')!);
