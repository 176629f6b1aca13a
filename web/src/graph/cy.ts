// Cytoscape setup (default wheel sensitivity: a custom one logs a warning on every load): one instance for the view, with the options that keep large graphs responsive switched on
// as the element count grows (design/web-performance.md: texture on viewport, hidden edges, haystack edges) and
// plain edge lines while a large graph is zoomed too far out to tell dash patterns apart.
import cytoscape, { type Core } from 'cytoscape';
import { watchLabels } from './labels';
import { buildStylesheet } from './styles';

export const LARGE_NODES = 500;
export const HAYSTACK_EDGES = 1000;
/**
 * Below this zoom a graph with haystack edges draws them as plain lines (class `far`). Their dashes, dots and
 * double lines are then a pixel or less and cannot be told apart, yet a software canvas spent most of a 1,000-node
 * redraw rasterising them (~400 ms of ~550 ms); zoomed in, the relationship types show again.
 */
export const DETAIL_ZOOM = 0.5;

export function createCy(container: HTMLElement): Core {
  const cy = cytoscape({
    container,
    style: buildStylesheet(),
    pixelRatio: 1,
    motionBlur: false,
    textureOnViewport: false,
    hideEdgesOnViewport: false,
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
  });
  watchLabels(cy);
  return cy;
}

interface RendererFlags { textureOnViewport: boolean; hideEdgesOnViewport: boolean }
interface SizeState { haystack: boolean; far: boolean }
const sizeState = new WeakMap<Core, SizeState>();

/** Whether edges are drawn plain at this zoom, for the element count tuneForSize last saw. */
export function edgesFarAt(cy: Core, zoom: number): boolean {
  return !!sizeState.get(cy)?.haystack && zoom < DETAIL_ZOOM;
}

function applyEdgeDetail(cy: Core, state: SizeState, far: boolean): void {
  state.far = far;
  cy.batch(() => {
    if (far) cy.edges().addClass('far');
    else cy.edges('.far').removeClass('far');
  });
}

/**
 * Sets the edges' level of detail for a zoom level: the current one, or the one a layout is about to fit to (so
 * the style changes before the positions land, not in an extra redraw after them).
 */
export function tuneForZoom(cy: Core, zoom = cy.zoom()): void {
  const state = sizeState.get(cy);
  if (state && edgesFarAt(cy, zoom) !== state.far) applyEdgeDetail(cy, state, edgesFarAt(cy, zoom));
}

/** Switches the large-graph options on or off for the current element count. */
export function tuneForSize(cy: Core): void {
  const big = cy.nodes().length > LARGE_NODES;
  const r = (cy as unknown as { renderer(): RendererFlags | undefined }).renderer();
  if (r) {
    r.textureOnViewport = big;
    r.hideEdgesOnViewport = big;
  }
  const haystack = cy.edges().length > HAYSTACK_EDGES;
  cy.batch(() => {
    if (haystack) cy.edges().addClass('haystack');
    else cy.edges('.haystack').removeClass('haystack');
  });
  let state = sizeState.get(cy);
  if (!state) {
    const s: SizeState = (state = { haystack, far: false });
    sizeState.set(cy, s);
    // Only a crossing of DETAIL_ZOOM restyles the edges; every other zoom step costs one comparison.
    cy.on('zoom', () => tuneForZoom(cy));
  }
  state.haystack = haystack;
  // Re-applied to every edge, since edges added since the last call have no class yet.
  applyEdgeDetail(cy, state, edgesFarAt(cy, cy.zoom()));
}
