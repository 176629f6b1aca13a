// Cytoscape setup: one instance for the view, with the options that keep large graphs responsive switched on
// as the element count grows (design/web-performance.md: texture on viewport, hidden edges, haystack edges).
import cytoscape, { type Core } from 'cytoscape';
import { buildStylesheet } from './styles';

export const LARGE_NODES = 500;
export const HAYSTACK_EDGES = 1000;

export function createCy(container: HTMLElement): Core {
  return cytoscape({
    container,
    style: buildStylesheet(),
    pixelRatio: 1,
    motionBlur: false,
    textureOnViewport: false,
    hideEdgesOnViewport: false,
    minZoom: 0.05,
    maxZoom: 4,
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
  });
}

interface RendererFlags { textureOnViewport: boolean; hideEdgesOnViewport: boolean }

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
}
