// Legend and filters: family -> shape and colour, relationship type -> line style, state -> border and badge.
// Each legend row is also a filter checkbox, so what is hidden is named where it is explained.
import { ENVIRONMENTS, FAMILIES, REL_TYPES } from '../graph/model';
import { FAMILY_STYLE, REL_STYLE, STATE_STYLE } from '../graph/styles';
import { byId, h } from './dom';

const SVG = 'http://www.w3.org/2000/svg';

function svg(w: number, hgt: number, ...kids: SVGElement[]): SVGSVGElement {
  const s = document.createElementNS(SVG, 'svg');
  s.setAttribute('width', String(w));
  s.setAttribute('height', String(hgt));
  s.setAttribute('aria-hidden', 'true');
  s.append(...kids);
  return s;
}
function el(tag: string, attrs: Record<string, string>): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

const SHAPE_POINTS: Record<string, string> = {
  'round-pentagon': '9,1 17,7 14,17 4,17 1,7',
  hexagon: '4,1 14,1 18,9 14,17 4,17 0,9',
  diamond: '9,0 18,9 9,18 0,9',
  'round-octagon': '5,1 13,1 17,5 17,13 13,17 5,17 1,13 1,5',
  'cut-rectangle': '4,1 14,1 17,4 17,14 14,17 4,17 1,14 1,4',
};

function shapeIcon(shape: string, fill: string, stroke: string): SVGSVGElement {
  const common = { fill, stroke, 'stroke-width': '2' };
  if (shape === 'ellipse') return svg(18, 18, el('ellipse', { cx: '9', cy: '9', rx: '8', ry: '8', ...common }));
  if (shape === 'rectangle') return svg(18, 18, el('rect', { x: '1', y: '1', width: '16', height: '16', ...common }));
  if (shape === 'round-rectangle' || shape === 'barrel') return svg(18, 18, el('rect', { x: '1', y: '1', width: '16', height: '16', rx: shape === 'barrel' ? '7' : '4', ...common }));
  return svg(18, 18, el('polygon', { points: SHAPE_POINTS[shape] ?? SHAPE_POINTS.diamond!, ...common }));
}

function lineIcon(line: string, dash?: number[], width = 2): SVGSVGElement {
  const dasharray = line === 'dotted' ? '2,3' : dash ? dash.join(',') : '';
  const stroke = { stroke: '#333', 'stroke-width': String(width), ...(dasharray ? { 'stroke-dasharray': dasharray } : {}) };
  return svg(32, 18, el('line', { x1: '0', y1: '9', x2: '30', y2: '9', ...stroke }));
}

export interface FilterState { hiddenFamilies: string[]; hiddenEnvs: string[]; hiddenRels: string[] }

export function mountLegendAndFilters(initial: FilterState, onChange: (f: FilterState) => void): (f: FilterState) => void {
  const filters = byId('filters');
  const legend = byId('legend');
  const boxes: { kind: keyof FilterState; value: string; input: HTMLInputElement }[] = [];
  const emit = () => {
    const f: FilterState = { hiddenFamilies: [], hiddenEnvs: [], hiddenRels: [] };
    for (const b of boxes) if (!b.input.checked) f[b.kind].push(b.value);
    onChange(f);
  };
  const box = (kind: keyof FilterState, value: string, label: string, icon: SVGSVGElement | null, testid: string) => {
    const input = h('input', { type: 'checkbox', 'data-testid': testid });
    input.checked = !initial[kind].includes(value);
    input.addEventListener('change', emit);
    boxes.push({ kind, value, input });
    return h('label', { class: 'legend-row' }, input, icon, label);
  };

  filters.replaceChildren(
    h('h2', {}, 'Show'),
    h('fieldset', {}, h('legend', {}, 'Class family (shape)'),
      ...FAMILIES.map((f) => box('hiddenFamilies', f, `${f} — ${FAMILY_STYLE[f].shape}`, shapeIcon(FAMILY_STYLE[f].shape, FAMILY_STYLE[f].color, FAMILY_STYLE[f].border), `filter-family-${f}`))),
    h('fieldset', {}, h('legend', {}, 'Relationship (line)'),
      ...REL_TYPES.map((r) => box('hiddenRels', r, r, lineIcon(REL_STYLE[r].line, REL_STYLE[r].dash, REL_STYLE[r].width), `filter-rel-${r}`))),
    h('fieldset', {}, h('legend', {}, 'Environment'),
      ...ENVIRONMENTS.map((e) => box('hiddenEnvs', e, e === 'NONE' ? 'none set' : e.toLowerCase(), null, `filter-env-${e}`))),
  );
  legend.replaceChildren(
    h('h2', {}, 'Legend'),
    h('ul', { class: 'list' },
      ...REL_TYPES.map((r) => h('li', {}, `${r}: ${REL_STYLE[r].description}`)),
      h('li', {}, 'Arrows point from the dependent to what it needs.'),
      ...Object.entries(STATE_STYLE).map(([k, s]) => h('li', {}, `${k}: ${s.description}`)),
      h('li', {}, 'Stale CI: faded, dotted border, "STALE" under its name.'),
      h('li', {}, 'Absent relationship (its source no longer reports it): faded, labelled "absent".'),
      h('li', {}, 'Group: "N × Class", double border; click to expand.'),
    ),
  );
  return (f: FilterState) => {
    for (const b of boxes) b.input.checked = !f[b.kind].includes(b.value);
  };
}
