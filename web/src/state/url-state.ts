// The view's state in the URL hash (open CI, expanded nodes, mode, filters), so a shared link reopens it.
import { ENVIRONMENTS, FAMILIES, REL_TYPES } from '../graph/model';

export const MODES = ['explore', 'dependencies', 'dependents', 'impact', 'change', 'health', 'service-levels', 'time-travel', 'audit'] as const;
export type Mode = (typeof MODES)[number];

export interface ViewState {
  ci: string | null;
  mode: Mode;
  depth: number;
  expanded: string[];
  /** Expanded sibling groups (group node ids). */
  groups: string[];
  hiddenFamilies: string[];
  hiddenEnvs: string[];
  hiddenRels: string[];
  /** Impact mode: failed CI ids, `id` or `id:DEGRADED`. */
  failed: string[];
  change: string | null;
  /** Health mode: the figure whose CIs are listed and drawn (see panels/health-model.ts for its ids). */
  figure: string | null;
}

export function emptyState(): ViewState {
  return { ci: null, mode: 'explore', depth: 3, expanded: [], groups: [], hiddenFamilies: [], hiddenEnvs: [], hiddenRels: [], failed: [], change: null, figure: null };
}

const list = (v: string | null) => (v ? v.split(',').map(decodeURIComponent).filter(Boolean) : []);
const only = (v: string[], allowed: readonly string[]) => v.filter((x) => allowed.includes(x));

export function encodeState(s: ViewState): string {
  const p: string[] = [];
  const put = (k: string, v: string | string[] | null | undefined) => {
    const text = Array.isArray(v) ? v.map(encodeURIComponent).join(',') : v ? encodeURIComponent(v) : '';
    if (text) p.push(`${k}=${text}`);
  };
  put('ci', s.ci);
  if (s.mode !== 'explore') put('mode', s.mode);
  if (s.mode === 'dependencies' || s.mode === 'dependents') put('depth', String(s.depth));
  put('exp', s.expanded);
  put('grp', s.groups);
  put('hf', s.hiddenFamilies);
  put('he', s.hiddenEnvs);
  put('hr', s.hiddenRels);
  put('failed', s.failed);
  put('change', s.change);
  if (s.mode === 'health') put('fig', s.figure);
  return p.length ? `#${p.join('&')}` : '';
}

export function decodeState(hash: string): ViewState {
  const s = emptyState();
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const i = part.indexOf('=');
    if (i > 0) params.set(part.slice(0, i), part.slice(i + 1));
  }
  const ci = params.get('ci');
  s.ci = ci ? decodeURIComponent(ci) : null;
  const mode = params.get('mode') ?? 'explore';
  s.mode = (MODES as readonly string[]).includes(mode) ? (mode as Mode) : 'explore';
  const depth = Number(params.get('depth'));
  s.depth = Number.isInteger(depth) && depth >= 1 && depth <= 10 ? depth : 3;
  s.expanded = list(params.get('exp') ?? null);
  s.groups = list(params.get('grp') ?? null);
  s.hiddenFamilies = only(list(params.get('hf') ?? null), FAMILIES);
  s.hiddenEnvs = only(list(params.get('he') ?? null), ENVIRONMENTS);
  s.hiddenRels = only(list(params.get('hr') ?? null), REL_TYPES);
  s.failed = list(params.get('failed') ?? null);
  const change = params.get('change');
  s.change = change ? decodeURIComponent(change) : null;
  const figure = params.get('fig');
  s.figure = figure && s.mode === 'health' ? decodeURIComponent(figure) : null;
  return s;
}
