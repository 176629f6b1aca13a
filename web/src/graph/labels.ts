// Readable labels at every zoom: a label is drawn at LABEL_PX on screen whatever the zoom, and only where it
// fits. When a view holds more CIs than there is room to name, the most important ones keep their label (the
// open or selected CI and its neighbours, the hovered one, failed and down CIs, groups, services, critical CIs)
// and the rest are named on hover or when zoomed in. Shrinking every label with the zoom made a 15-CI view
// unreadable (4-6 px text); hiding overlaps keeps what is shown legible.
import type { Core, NodeCollection, NodeSingular } from 'cytoscape';

/** On-screen font size of a node label, in CSS px. */
export const LABEL_PX = 12;
/** Space kept around a fitted view, in CSS px: room for half a label each side, and the lowest labels below. */
const FIT_PADDING = 40;
const LABEL_HALF_WIDTH = 80;
/** Most labels considered at once: more than fit on any screen at LABEL_PX. */
const MAX_CANDIDATES = 400;
const LABEL_ROOM = 3 * LABEL_PX + 8;

export interface Box { x1: number; y1: number; x2: number; y2: number }
export interface LabelCandidate { id: string; priority: number; box: Box }

const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/**
 * The candidates whose label boxes can be drawn without overlapping each other or the obstacles (the drawn nodes
 * other than their own), most important first. A uniform grid keeps it near linear in the number of nodes.
 */
export function pickLabels(cands: LabelCandidate[], obstacles: { id: string; box: Box }[], cell = 80): Set<string> {
  const grid = new Map<string, { id: string; box: Box }[]>();
  const cellsOf = (b: Box) => {
    const keys: string[] = [];
    for (let cx = Math.floor(b.x1 / cell); cx <= Math.floor(b.x2 / cell); cx++) {
      for (let cy = Math.floor(b.y1 / cell); cy <= Math.floor(b.y2 / cell); cy++) keys.push(`${cx},${cy}`);
    }
    return keys;
  };
  const put = (o: { id: string; box: Box }) => {
    for (const k of cellsOf(o.box)) (grid.get(k) ?? grid.set(k, []).get(k)!).push(o);
  };
  obstacles.forEach(put);
  const chosen = new Set<string>();
  for (const c of [...cands].sort((a, b) => b.priority - a.priority)) {
    const blocked = cellsOf(c.box).some((k) => grid.get(k)?.some((o) => o.id !== c.id && overlaps(o.box, c.box)));
    if (blocked) continue;
    chosen.add(c.id);
    put({ id: `label:${c.id}`, box: c.box });
  }
  return chosen;
}

const STATE_PRIORITY: Record<string, number> = { FAILED: 900, DOWN: 800, DEGRADED: 600 };

/** How much a user needs to read this node's name now. */
function priority(n: NodeSingular, focus: Set<string>, near: Set<string>): number {
  let p = 0;
  if (focus.has(n.id())) p += 2000;
  else if (near.has(n.id())) p += 700;
  if (n.hasClass('root')) p += 1000;
  p += STATE_PRIORITY[(n.data('state') as string) ?? ''] ?? 0;
  if (n.data('isGroup')) p += 500;
  if (n.data('family') === 'service') p += 400;
  const crit = n.data('criticality') as number | undefined;
  if (crit) p += Math.max(0, 250 - 50 * crit);
  return p + Math.min(100, n.degree(false));
}

let measure: CanvasRenderingContext2D | null | undefined;
const widths = new Map<string, number>();

/** A line's width at LABEL_PX, measured once per text on a canvas (estimated where there is none). */
function textWidth(line: string): number {
  let w = widths.get(line);
  if (w === undefined) {
    if (measure === undefined) measure = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    if (measure) measure.font = `${LABEL_PX}px system-ui, sans-serif`;
    w = measure ? measure.measureText(line).width : line.length * LABEL_PX * 0.6;
    if (widths.size > 20_000) widths.clear();
    widths.set(line, w);
  }
  return w;
}

/** Where the label of a node lands on screen: centred under it, one line per label line. */
function labelBox(n: NodeSingular, zoom: number): Box {
  const p = n.renderedPosition();
  const lines = String(n.data('label') ?? '').split('\n');
  const w = Math.max(...lines.map(textWidth)) + 6;
  const top = p.y + (n.height() * zoom) / 2 + 2;
  return { x1: p.x - w / 2, y1: top, x2: p.x + w / 2, y2: top + lines.length * LABEL_PX * 1.25 + 4 };
}

function nodeBox(n: NodeSingular, zoom: number): Box {
  const p = n.renderedPosition();
  const w = (n.width() * zoom) / 2;
  const h = (n.height() * zoom) / 2;
  return { x1: p.x - w, y1: p.y - h, x2: p.x + w, y2: p.y + h };
}

interface LabelState { hovered: string | null; timer?: ReturnType<typeof setTimeout> }
const states = new WeakMap<Core, LabelState>();

/** The model-unit size that draws LABEL_PX on screen at the current zoom (never smaller than LABEL_PX). */
export function labelFontSize(cy: Core): number {
  return LABEL_PX / Math.min(1, cy.zoom());
}

/** Chooses the labelled nodes for the current viewport and sizes their text for the current zoom. */
export function refreshLabels(cy: Core): void {
  const state = states.get(cy);
  const zoom = cy.zoom();
  const ext = { x1: 0, y1: 0, x2: cy.width(), y2: cy.height() };
  const shown = cy.nodes(':visible').filter((n) => overlaps(nodeBox(n, zoom), ext)) as NodeCollection;
  const focus = new Set(cy.nodes(':selected').map((n) => n.id()));
  if (state?.hovered) focus.add(state.hovered);
  const near = new Set(cy.nodes().filter((n) => focus.has(n.id())).neighborhood('node').map((n) => n.id()));
  const inside = (b: Box) => b.x1 >= 0 && b.y1 >= 0 && b.x2 <= ext.x2 && b.y2 <= ext.y2;
  // Only the most important few hundred are measured: a 1280x800 view holds fewer labels than that, and
  // measuring all of a 5,000-node view on every zoom would cost a long frame.
  const ranked = shown.map((n) => ({ n, priority: priority(n, focus, near) }));
  if (ranked.length > MAX_CANDIDATES) ranked.sort((a, b) => b.priority - a.priority).length = MAX_CANDIDATES;
  // A label cut by the edge of the view reads as another name: only whole labels are drawn.
  const cands = ranked.map(({ n, priority: p }) => ({ id: n.id(), priority: p, box: labelBox(n, zoom) })).filter((c) => inside(c.box));
  const chosen = pickLabels(
    cands,
    shown.map((n) => ({ id: n.id(), box: nodeBox(n, zoom) })),
  );
  cy.batch(() => {
    cy.nodes('.labelled').forEach((n) => {
      if (!chosen.has(n.id())) n.removeClass('labelled');
    });
    for (const id of chosen) cy.getElementById(id).addClass('labelled');
    // The font size is a function of the zoom; labelled nodes are re-styled so it is read again.
    (cy.nodes('.labelled') as unknown as { updateStyle(): void }).updateStyle();
  });
}

/** Keeps the labels readable as the user pans, zooms, hovers and selects. */
export function watchLabels(cy: Core): void {
  if (states.has(cy)) return;
  const state: LabelState = { hovered: null };
  states.set(cy, state);
  const later = (ms: number) => {
    clearTimeout(state.timer);
    state.timer = setTimeout(() => refreshLabels(cy), ms);
  };
  cy.on('viewport', () => later(120));
  cy.on('select unselect', 'node', () => later(0));
  cy.on('mouseover', 'node', (ev) => {
    state.hovered = (ev.target as NodeSingular).id();
    later(30);
  });
  cy.on('mouseout', 'node', () => {
    state.hovered = null;
    later(30);
  });
}

/**
 * Fits the nodes in view (their shapes, not their labels: a label's size depends on the zoom being chosen) and
 * labels what fits at that zoom.
 */
export function fitReadable(cy: Core, eles = cy.nodes(':visible')): void {
  if (eles.empty()) return;
  const bb = eles.boundingBox({ includeLabels: false, includeOverlays: false });
  const w = Math.max(1, bb.w);
  const h = Math.max(1, bb.h);
  const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), 1.5,
    (cy.width() - 2 * LABEL_HALF_WIDTH) / w, (cy.height() - 2 * FIT_PADDING - LABEL_ROOM) / h));
  cy.viewport({
    zoom,
    pan: { x: cy.width() / 2 - zoom * (bb.x1 + w / 2), y: (cy.height() - LABEL_ROOM) / 2 - zoom * (bb.y1 + h / 2) },
  });
  refreshLabels(cy);
}
