// Owns how much of the page the graph gets: a mode that lists rather than draws (CMDB health, service levels,
// the audit trail, the changes before one is opened) gives the graph's width to its panel while nothing is drawn,
// and takes it back the moment something is, before the drawing is laid out at the canvas's size.
import type { Core } from 'cytoscape';

const LIST_MODES = new Set(['health', 'service-levels', 'audit', 'change']);

/** Watches the graph; returns the check to run again when the mode changes. */
export function watchCanvasRoom(cy: Core, layout: HTMLElement, mode: () => string): () => void {
  const update = () => {
    const wide = LIST_MODES.has(mode()) && cy.nodes().empty();
    if (layout.classList.contains('panel-wide') === wide) return;
    layout.classList.toggle('panel-wide', wide);
    // Synchronous on the first node added: the layout that follows reads the canvas's real size.
    if (!wide) cy.resize();
  };
  // Cytoscape emits one event per element: an add checks only while the panel is wide (once), and the removals
  // of a cleared graph are judged once, after the batch.
  cy.on('add', () => {
    if (layout.classList.contains('panel-wide')) update();
  });
  let queued = false;
  cy.on('remove', () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      update();
    });
  });
  return update;
}
