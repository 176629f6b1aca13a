// Incident impact mode: mark CIs failed (DOWN or DEGRADED), analyse, list impacted services with state,
// distance and an explanation path, and draw the impacted CIs layered by distance from the failure.
import { api } from '../api/session';
import { DependentsQuery, ImpactSummaryQuery } from '../api/queries';
import type { Explorer, SubgraphEdgeIn, SubgraphNodeIn } from '../graph/explorer';
import type { CiSummary } from '../graph/model';
import { h } from './dom';
import { drawImpactPicture } from './impact-drawing';
import { mountIncidents } from './incidents';

export interface ImpactDeps {
  explorer: Explorer;
  /** Runs a graph operation in turn with the others, failures reported (main.ts). */
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
  selected(): { id: string; name: string } | null;
  getFailed(): string[];
  setFailed(f: string[]): void;
  status(msg: string): void;
}

const parse = (f: string) => {
  const [id, st] = f.split(/:(?=DOWN$|DEGRADED$)/);
  return { id: id!, state: st === 'DEGRADED' ? ('DEGRADED' as const) : ('DOWN' as const) };
};

/** Edges among the impacted CIs: what needs each failed CI, to the report's largest distance. */
export async function edgesAmong(rootIds: string[], ids: Set<string>, depth: number): Promise<SubgraphEdgeIn[]> {
  const out: SubgraphEdgeIn[] = [];
  for (const id of rootIds) {
    const r = await api(DependentsQuery, { id, depth: Math.max(1, Math.min(10, depth)), limit: 2000 });
    for (const e of r.data?.ci?.sub.edges ?? []) if (ids.has(e.fromId) && ids.has(e.toId)) out.push(e);
  }
  return out;
}

export interface ReportIn {
  services: readonly { id: string; name: string; className: string; state: string; distance: number; criticality: number; lowConfidence: boolean; ownerTeams: readonly string[]; paths: readonly { cis: readonly { name: string }[] }[] }[];
  impacted: readonly { id: string; name: string; className: string; state: string; distance: number; failed: boolean; ci?: CiSummary | null }[];
  teams: readonly { team: string; serviceIds: readonly string[]; otherCiIds: readonly string[] }[];
  /** When `services` is a first page: how many there are in all. */
  servicesTotal?: number;
}

/** Draws an impact report as rings by distance from the failed CIs (ring 0), with the edges among what it impacts. */
export async function drawReport(explorer: Explorer, failedIds: string[], report: ReportIn): Promise<void> {
  const nodes: SubgraphNodeIn[] = report.impacted.map((i) => ({
    ci: i.ci ?? { id: i.id, name: i.name, className: i.className },
    rank: -i.distance,
    state: i.failed ? 'FAILED' : i.state,
  }));
  const ids = new Set(nodes.map((n) => n.ci.id));
  const maxDistance = Math.max(1, ...report.impacted.map((i) => i.distance));
  const edges = await edgesAmong(failedIds, ids, maxDistance);
  explorer.rootId = null;
  await explorer.drawLayered(nodes, edges, true);
}

/** The impacted services (each a keyboard-reachable row that selects its node) and the teams to notify. */
export function reportSections(explorer: Explorer, report: ReportIn, names = new Map(report.impacted.map((i) => [i.id, i.name]))): HTMLElement[] {
  const firstOnly = report.servicesTotal && report.servicesTotal > report.services.length ? h('p', { class: 'muted' }, `The ${report.services.length} most important are listed.`) : [];
  return [
    h('h3', {}, `Impacted services (${report.servicesTotal ?? report.services.length})`),
    ...[firstOnly].flat(),
    report.services.length
      ? h('ol', { class: 'list', 'data-testid': 'impacted-services' }, ...report.services.map((s) => {
        const path = s.paths[0]?.cis.map((c) => c.name).join(' → ');
        const li = h('li', { 'data-id': s.id, tabindex: '0' },
          h('span', { class: `badge ${s.state}` }, s.state), ' ',
          h('strong', {}, s.name), ` ‹${s.className}› · distance ${s.distance} · criticality ${s.criticality}`,
          s.lowConfidence ? h('span', { class: 'badge' }, 'low confidence') : null,
          s.ownerTeams.length ? h('div', { class: 'muted' }, `Owners: ${s.ownerTeams.join(', ')}`) : null,
          path ? h('div', { class: 'muted' }, `Path: ${path}`) : null);
        const pick = () => explorer.cy.getElementById(s.id).select();
        li.addEventListener('click', pick);
        li.addEventListener('keydown', (ev) => {
          if (ev.key === 'Enter' || ev.key === ' ') {
            ev.preventDefault();
            pick();
          }
        });
        return li;
      }))
      : h('p', {}, 'No service impacted.'),
    h('h3', {}, 'Teams to notify'),
    report.teams.length ? h('ul', { class: 'list', 'data-testid': 'impact-teams' }, ...report.teams.map((t) => h('li', {}, teamLine(t, names)))) : h('p', { class: 'muted' }, 'None'),
  ];
}

export function mountImpactPanel(container: HTMLElement, deps: ImpactDeps): { render(): void; analyse(): Promise<void> } {
  const names = new Map<string, string>();
  const results = h('div', { 'data-testid': 'impact-results' });
  const incidents = mountIncidents({ explorer: deps.explorer, task: deps.task, failed: () => deps.getFailed().map(parse) });

  const render = () => {
    const failed = deps.getFailed().map(parse);
    const mark = (state: 'DOWN' | 'DEGRADED') => {
      const sel = deps.selected();
      if (!sel) return deps.status('Select a CI first.');
      names.set(sel.id, sel.name);
      const rest = deps.getFailed().filter((f) => parse(f).id !== sel.id);
      deps.setFailed([...rest, state === 'DOWN' ? sel.id : `${sel.id}:DEGRADED`]);
      render();
    };
    const btn = (label: string, testid: string, fn: () => void) => {
      const b = h('button', { type: 'button', 'data-testid': testid }, label);
      b.addEventListener('click', fn);
      return b;
    };
    container.replaceChildren(
      h('h2', {}, 'Incident impact'),
      h('p', { class: 'muted' }, 'Mark the selected CI failed, then analyse what it takes down. Nothing is written.'),
      h('div', {}, btn('Mark selected DOWN', 'mark-down', () => mark('DOWN')), ' ', btn('Mark selected DEGRADED', 'mark-degraded', () => mark('DEGRADED'))),
      h('h3', {}, 'Failed CIs'),
      failed.length
        ? h('ul', { class: 'list', 'data-testid': 'failed-list' }, ...failed.map((f) => {
          const rm = h('button', { type: 'button', 'aria-label': `Remove ${names.get(f.id) ?? f.id}` }, '✕');
          rm.addEventListener('click', () => {
            deps.setFailed(deps.getFailed().filter((x) => parse(x).id !== f.id));
            render();
          });
          return h('li', {}, h('span', { class: `badge ${f.state}` }, f.state), ` ${names.get(f.id) ?? f.id} `, rm);
        }))
        : h('p', { class: 'muted' }, 'None yet.'),
      h('div', {}, btn('Analyse impact', 'analyse-impact', () => void deps.task('Analysing impact', analyse))),
      results,
      incidents,
    );
  };

  const analyse = async () => {
    const failed = deps.getFailed().map(parse);
    if (!failed.length) return deps.status('Mark at least one CI failed.');
    // Two bounded requests at any estate size: the list's first page with totals, and the aggregated drawing.
    deps.explorer.clear();
    const [r, drawn] = await Promise.all([api(ImpactSummaryQuery, { failed, first: LISTED }), drawImpactPicture(deps.explorer, failed, deps.status).catch((e: unknown) => e)]);
    const report = r.data?.report;
    if (!report) {
      results.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'Impact analysis failed'));
      throw new Error(r.errors?.[0]?.message ?? 'no report');
    }
    if (drawn instanceof Error) throw drawn;
    const services = report.servicePage.nodes;
    for (const [id, name] of [...(drawn as Map<string, string>), ...services.map((s) => [s.id, s.name] as const)]) names.set(id, name);
    results.replaceChildren(...reportSections(deps.explorer, { services, impacted: [], teams: report.teams, servicesTotal: report.servicePage.totalCount }, names));
  };

  render();
  return { render, analyse };
}

const MAX_NAMED = 5;
/** Services listed in the panel; the count says how many more there are. */
const LISTED = 100;

/** A team to notify and why: how many services of theirs, and by name the other CIs of theirs it takes down. */
function teamLine(t: ReportIn['teams'][number], names: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  if (t.serviceIds.length) parts.push(`${t.serviceIds.length} service${t.serviceIds.length === 1 ? '' : 's'}`);
  if (t.otherCiIds.length) {
    // A large report lists names only of what the view holds (drawn one by one or listed); the rest is counted.
    const named = t.otherCiIds.filter((id) => names.has(id)).slice(0, MAX_NAMED).map((id) => names.get(id)!);
    const more = t.otherCiIds.length - named.length;
    if (!named.length) parts.push(`${more} other CI${more === 1 ? '' : 's'}`);
    else parts.push(`${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  return `${t.team}: ${parts.join('; ') || 'nothing impacted'}`;
}
