// The Cytoscape stylesheet and the legend's source of truth: family -> shape and colour, relationship type ->
// line style and arrow, impact state -> border style and a text badge (never colour alone).
import type { EdgeSingular, NodeSingular, StylesheetJson } from 'cytoscape';
import { LABEL_PX, labelFontSize } from './labels';
import type { Family, RelType } from './model';

export interface FamilyStyle { shape: string; color: string; border: string }
export const FAMILY_STYLE: Record<Family, FamilyStyle> = {
  service: { shape: 'round-pentagon', color: '#cfe2ff', border: '#1c4e9a' },
  software: { shape: 'ellipse', color: '#d7f0dd', border: '#1d6b34' },
  data: { shape: 'barrel', color: '#ffe8c2', border: '#8a5200' },
  kubernetes: { shape: 'hexagon', color: '#d9dcff', border: '#3b3f9e' },
  virtual: { shape: 'round-rectangle', color: '#e6e6e6', border: '#4a4a4a' },
  hardware: { shape: 'rectangle', color: '#f0d9c9', border: '#6b3b1a' },
  cloud: { shape: 'round-octagon', color: '#d4f1f4', border: '#0b5e68' },
  network: { shape: 'diamond', color: '#f6d6f0', border: '#7a2469' },
  grouping: { shape: 'cut-rectangle', color: '#fff6bf', border: '#6b5d00' },
};

// Cytoscape draws edges solid, dashed or dotted only (no double line), so membership is told by a thick line.
export interface RelStyle { line: 'solid' | 'dashed' | 'dotted'; arrow: string; dash?: number[]; width?: number; description: string }
export const REL_STYLE: Record<RelType, RelStyle> = {
  DEPENDS_ON: { line: 'solid', arrow: 'triangle', description: 'solid line, filled arrow' },
  RUNS_ON: { line: 'dashed', arrow: 'vee', dash: [8, 4], description: 'long dashes, open arrow' },
  HOSTED_ON: { line: 'dotted', arrow: 'square', description: 'dotted line, square head' },
  HAS_MEMBER: { line: 'solid', arrow: 'diamond', width: 5, description: 'thick line, diamond head' },
  CONNECTS_TO: { line: 'dashed', arrow: 'tee', dash: [2, 6], description: 'short dashes, bar head' },
};

export const STATE_STYLE = {
  FAILED: { color: '#b00020', border: 'double', description: 'double border, ⚠ FAILED' },
  DOWN: { color: '#b00020', border: 'solid', description: 'thick border, ✖ DOWN' },
  DEGRADED: { color: '#a65b00', border: 'dashed', description: 'dashed border, ◐ DEGRADED' },
} as const;

/**
 * Impact states, pushed after the family and selection rules: in Cytoscape the last matching rule wins, and a
 * family's border colour must never hide that a CI failed (the state's colour and its border shape together).
 */
function stateRules(): StylesheetJson {
  return [
    { selector: 'node.state-DEGRADED', style: { 'border-color': STATE_STYLE.DEGRADED.color, 'border-style': 'dashed', 'border-width': 5 } },
    { selector: 'node.state-DOWN', style: { 'border-color': STATE_STYLE.DOWN.color, 'border-style': 'solid', 'border-width': 6 } },
    { selector: 'node.state-FAILED', style: { 'border-color': STATE_STYLE.FAILED.color, 'border-style': 'double', 'border-width': 8 } },
  ];
}

export function buildStylesheet(): StylesheetJson {
  const s: StylesheetJson = [
    {
      selector: 'node',
      style: {
        'text-wrap': 'wrap',
        'text-valign': 'bottom',
        'text-halign': 'center',
        'text-margin-y': 2,
        'font-family': 'system-ui, sans-serif',
        color: '#111',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.85,
        'text-background-padding': '2px',
        // A safety net under labels.ts, which sizes labels to LABEL_PX on screen: nothing smaller is ever drawn.
        'min-zoomed-font-size': 10,
        width: 34,
        height: 34,
        'border-width': 2,
      },
    },
    {
      selector: 'edge',
      style: {
        width: 1.6,
        'curve-style': 'bezier',
        'line-color': '#555',
        'target-arrow-color': '#555',
        'arrow-scale': 1.1,
      },
    },
    // Only the nodes labels.ts chose carry a label, sized for the zoom so it reads at LABEL_PX on screen.
    {
      selector: 'node.labelled',
      style: {
        label: 'data(label)',
        'font-size': (n: NodeSingular) => labelFontSize(n.cy()),
        'text-max-width': (n: NodeSingular) => `${(220 * labelFontSize(n.cy())) / LABEL_PX}px`,
      },
    },
    { selector: 'edge.haystack', style: { 'curve-style': 'haystack', 'haystack-radius': 0, width: 1 } },
    // An edge with a route (edge-routes.ts) follows its points, measured from the node centres.
    {
      selector: 'edge.routed',
      style: {
        'curve-style': 'segments',
        'edge-distances': 'node-position',
        'segment-weights': ((e: EdgeSingular) => e.data('segW') as string) as never,
        'segment-distances': ((e: EdgeSingular) => e.data('segD') as string) as never,
      },
    },
    // Not told by fading alone: an absent relationship is labelled so.
    {
      selector: 'edge[?absent]',
      style: { opacity: 0.55, label: 'absent', 'font-size': 12, 'min-zoomed-font-size': 10, color: '#333', 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-rotation': 'autorotate' },
    },
    // An edge standing for several relationships (between groups) says how many, at a size that reads.
    {
      selector: 'edge[countLabel]',
      style: { label: 'data(countLabel)', 'font-size': (e: EdgeSingular) => labelFontSize(e.cy()), 'min-zoomed-font-size': 10, color: '#222', 'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-rotation': 'autorotate' },
    },
    { selector: 'node[?stale]', style: { opacity: 0.6, 'border-style': 'dotted' } },
    {
      selector: 'node[?isGroup]',
      style: { shape: 'round-rectangle', width: 70, height: 38, 'border-width': 3, 'border-style': 'double', 'font-weight': 'bold' },
    },
    { selector: 'node.root', style: { 'border-width': 4, width: 44, height: 44 } },
    {
      selector: 'node:selected',
      style: { 'overlay-color': '#0050c8', 'overlay-opacity': 0.18, 'overlay-padding': 6, 'border-color': '#0050c8', 'border-width': 4 },
    },
    { selector: '.filtered', style: { display: 'none' } },
    { selector: 'node.dim', style: { opacity: 0.3 } },
  ];
  for (const [family, f] of Object.entries(FAMILY_STYLE)) {
    s.push({
      selector: `node[family = "${family}"]`,
      style: { shape: f.shape as never, 'background-color': f.color, 'border-color': f.border },
    });
  }
  for (const [type, r] of Object.entries(REL_STYLE)) {
    s.push({
      selector: `edge[type = "${type}"]`,
      style: {
        'line-style': r.line,
        'target-arrow-shape': r.arrow as never,
        ...(r.dash ? { 'line-dash-pattern': r.dash } : {}),
        ...(r.width ? { width: r.width } : {}),
      },
    });
  }
  s.push(...stateRules());
  s.push({ selector: 'edge[type = "GROUP"]', style: { 'line-style': 'dashed', 'target-arrow-shape': 'none', 'line-color': '#888' } });
  // A large graph zoomed far out (cy.ts, DETAIL_ZOOM): plain lines, last so they win over the per-type styles.
  s.push({ selector: 'edge.far', style: { 'line-style': 'solid' } });
  return s;
}
