// Change workspace: the changes by status, a change's whole lifecycle from the page (the API's refusals shown
// beside the step that was asked for), and its assessment with names everywhere: blast radius rings by distance,
// the risk score with its factors, the diff since submission, owners to notify with their contact, conflicts and
// freeze windows.
import type { ResultOf } from '../api/graphql';
import { lookupNames, namer } from '../api/names';
import { ChangeQuery, ChangesQuery, CisByIdsQuery, CreateChangeMutation } from '../api/queries';
import { api } from '../api/session';
import { ChangeDetailQuery, TeamsQuery } from '../api/workspace-queries';
import type { Explorer, SubgraphNodeIn } from '../graph/explorer';
import { mountApprovals } from './approvals';
import { lifecycleControls } from './change-lifecycle';
import { breakable, byId, fmtDate, h } from './dom';
import { edgesAmong } from './impact';
import { standardCatalogue } from './standard-catalogue';

export interface ChangeDeps {
  explorer: Explorer;
  /** Runs a graph operation in turn with the others, failures reported (main.ts). */
  task(label: string, fn: () => Promise<unknown>): Promise<void>;
  selected(): { id: string; name: string } | null;
  getChange(): string | null;
  setChange(id: string | null): void;
  status(msg: string): void;
}

type Change = NonNullable<ResultOf<typeof ChangeQuery>['change']>;
type Assessment = Change['currentAssessment'];
type Detail = NonNullable<ResultOf<typeof ChangeDetailQuery>['change']>;
type Team = ResultOf<typeof TeamsQuery>['teams'][number];

const STATUS_ORDER = ['DRAFT', 'ASSESSED', 'AWAITING_APPROVAL', 'APPROVED', 'SCHEDULED', 'IMPLEMENTED', 'CLOSED', 'REJECTED', 'CANCELLED'];
const statusText = (s: string) => s.toLowerCase().replace(/_/g, ' ');
const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/** Draws the blast radius: rings by distance from the changed CIs (ring 0), edges among them. */
async function drawBlastRadius(explorer: Explorer, c: Change): Promise<void> {
  const a = c.currentAssessment;
  const ringIds = a.blastRadius.flatMap((ring) => ring.cis.map((x) => x.id));
  const fields = await api(CisByIdsQuery, { ids: ringIds.slice(0, 500), first: 500 });
  const known = new Map((fields.data?.cis.nodes ?? []).map((n) => [n.id, n]));
  const nodes: SubgraphNodeIn[] = a.blastRadius.flatMap((ring) =>
    ring.cis.map((x) => ({
      ci: known.get(x.id) ?? { id: x.id, name: x.name, className: x.className, family: x.isService ? 'service' : null },
      rank: ring.distance,
      state: ring.distance === 0 ? 'FAILED' : x.state,
    })),
  );
  const maxD = Math.max(1, ...a.blastRadius.map((r) => r.distance));
  const edges = await edgesAmong(c.targets.map((t) => t.id), new Set(nodes.map((n) => n.ci.id)), maxD);
  explorer.rootId = null;
  await explorer.drawLayered(nodes, edges, true);
}

function riskTable(a: Assessment, name: (t: string) => string): HTMLElement {
  return h('table', { class: 'factors', 'data-testid': 'risk-factors' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'factor'), h('th', { scope: 'col', class: 'num' }, 'points'), h('th', { scope: 'col' }, 'why'))),
    h('tbody', {}, ...a.risk.factors.map((f) =>
      h('tr', {}, h('td', {}, f.name), h('td', { class: 'num' }, `${f.points.toFixed(1)} / ${f.weight}`), h('td', {}, ...breakable(name(f.detail)))))));
}

/** Who did what to the change and when, oldest first: the record a change manager reads back. */
function timelineSection(events: Detail['timeline']): HTMLElement {
  const step = (e: Detail['timeline'][number]) =>
    `${fmtDate(e.at)} · ${e.actor} · ${e.toStatus ? `${statusText(e.fromStatus ?? '')} → ${statusText(e.toStatus)}`.replace(/^ → /, '') : e.action.toLowerCase()}${e.note ? ` · “${e.note}”` : ''}`;
  return h('section', { 'data-testid': 'change-timeline' },
    h('h3', {}, 'Timeline'),
    h('ol', { class: 'list' }, ...events.map((e) => h('li', {}, step(e)))));
}

function diffSection(d: Detail['sinceSubmission'], names: Map<string, string>): HTMLElement | string {
  if (!d) return '';
  const list = (label: string, ids: readonly string[]) => (ids.length ? h('li', {}, `${label}: ${ids.map((i) => names.get(i) ?? i).join(', ')}`) : null);
  const moved = [list('services added', d.servicesAdded), list('services no longer impacted', d.servicesRemoved), list('services changing state', d.servicesChangedState)].filter(Boolean);
  return h('section', { 'data-testid': 'change-diff' },
    h('h3', {}, 'Since submission'),
    h('p', {}, `risk ${d.riskBefore.toFixed(1)} → ${d.riskAfter.toFixed(1)}; ${d.conflictsAdded.length} conflicts added, ${d.conflictsRemoved.length} removed`),
    moved.length ? h('ul', { class: 'list' }, ...moved) : h('p', { class: 'muted' }, 'No service moved.'));
}

function ownersSection(a: Assessment, teams: Team[], names: Map<string, string>): HTMLElement {
  const byName = new Map(teams.map((t) => [t.name, t]));
  const contact = (t?: Team) => [t?.email, t?.onCall && `on call: ${t.onCall}`, t?.slackChannel && `chat: ${t.slackChannel}`].filter(Boolean).join(' · ') || 'no contact recorded';
  return a.ownersToNotify.length
    ? h('ul', { class: 'list', 'data-testid': 'change-owners' }, ...a.ownersToNotify.map((o) =>
      h('li', {}, h('strong', {}, o.team), ` (${o.serviceIds.map((i) => names.get(i) ?? i).join(', ')})`, h('div', { class: 'muted' }, contact(byName.get(o.team))))))
    : h('p', { class: 'muted' }, 'None');
}

function conflictsSection(a: Assessment): (HTMLElement | string)[] {
  return [
    h('h3', {}, 'Conflicts'),
    a.conflicts.length
      ? h('ul', { class: 'list', 'data-testid': 'change-conflicts' }, ...a.conflicts.map((x) =>
        h('li', {}, `${x.number} ${x.title} (${statusText(x.status)}, ${fmtDate(x.plannedStart)} → ${fmtDate(x.plannedEnd)}), shares ${x.sharedCiIds.length} CIs / ${x.sharedServiceIds.length} services`)))
      : h('p', { class: 'muted' }, 'None'),
    h('h3', {}, 'Freeze windows'),
    a.freezeWindows.length
      ? h('ul', { class: 'list error', 'data-testid': 'change-freezes' }, ...a.freezeWindows.map((w) => h('li', {}, `${w.name}: ${fmtDate(w.start)} → ${fmtDate(w.end)}`)))
      : h('p', { class: 'muted' }, 'None in the planned window'),
  ];
}

export function mountChangePanel(container: HTMLElement, deps: ChangeDeps): { render(): Promise<void>; open(id: string, opts?: { reveal?: boolean }): Promise<void> } {
  const assessment = h('div', { 'data-testid': 'change-assessment' });
  const list = h('ul', { class: 'list', 'data-testid': 'change-list' });
  const statusFilter = h('select', { id: 'change-status-filter', 'data-testid': 'change-status-filter' },
    h('option', { value: '' }, 'all statuses'), ...STATUS_ORDER.map((s) => h('option', { value: s }, statusText(s))));

  const open = async (id: string, { reveal = true }: { reveal?: boolean } = {}) => {
    deps.status('Loading change…');
    const [r, detail, teams] = await Promise.all([api(ChangeQuery, { id }), api(ChangeDetailQuery, { id }), api(TeamsQuery, {})]);
    const c = r.data?.change;
    if (!c) {
      assessment.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'Change not found'));
      return;
    }
    deps.setChange(id);
    await drawBlastRadius(deps.explorer, c);
    const a = c.currentAssessment;
    const d = detail.data?.change;
    const name = await namer(a.risk.factors.map((f) => f.detail));
    const diff = d?.sinceSubmission;
    const names = await lookupNames([...a.ownersToNotify.flatMap((o) => o.serviceIds), ...(diff ? [...diff.servicesAdded, ...diff.servicesRemoved, ...diff.servicesChangedState] : [])]);
    const reopen = () => deps.task(`Reloading ${c.number}`, async () => {
      await open(id);
      await listChanges();
      await approvals.refresh();
    });
    assessment.replaceChildren(
      h('h3', { 'data-testid': 'change-heading' }, `${c.number}: ${c.title}`),
      h('p', { 'data-testid': 'change-status' }, `${c.type.toLowerCase()} · ${statusText(c.status)} · ${fmtDate(c.plannedStart)} → ${fmtDate(c.plannedEnd)}`),
      d ? h('p', { class: 'muted' }, `requested by ${d.requestedBy}${d.approvedBy ? ` · approved by ${d.approvedBy}` : ''}${d.decisionNote ? ` · “${d.decisionNote}”` : ''}${d.outcome ? ` · outcome ${d.outcome.toLowerCase()}` : ''}`) : '',
      lifecycleControls(c, reopen),
      h('p', { 'data-testid': 'change-risk' }, h('span', { class: 'badge' }, `risk ${a.risk.level}`), ` score ${a.risk.score.toFixed(1)}`),
      riskTable(a, name),
      diffSection(diff ?? null, names),
      d?.timeline.length ? timelineSection(d.timeline) : '',
      h('h3', {}, `Blast radius (${a.impactedCount} CIs)`),
      h('ol', { class: 'list', 'data-testid': 'blast-rings' }, ...a.blastRadius.map((ring) =>
        h('li', {}, `ring ${ring.distance}: ${ring.cis.length} CIs${ring.cis.some((x) => x.isService) ? ` (services: ${ring.cis.filter((x) => x.isService).map((x) => x.name).join(', ')})` : ''}`))),
      h('h3', {}, 'Owners to notify'),
      ownersSection(a, teams.data?.teams ?? [], names),
      ...conflictsSection(a),
      a.redundancyLost.length ? h('p', {}, `Redundancy lost: ${a.redundancyLost.map((g) => `${g.name} ${g.lost}/${g.total}`).join(', ')}`) : '',
    );
    // The assessment sits below the form, the pending approvals and the list: a change manager who opens or
    // creates a change sees it, not the form. Coming back to Changes starts at the top, where approvals wait.
    if (reveal) assessment.scrollIntoView({ block: 'start' });
    deps.status(`Change ${c.number}: ${a.impactedCount} CIs in the blast radius.`);
  };

  const listChanges = async () => {
    const want = statusFilter.value;
    const r = await api(ChangesQuery, {});
    const changes = (r.data?.changes ?? [])
      .filter((c) => !want || c.status === want)
      .sort((x, y) => STATUS_ORDER.indexOf(x.status) - STATUS_ORDER.indexOf(y.status) || y.number.localeCompare(x.number))
      .slice(0, 40);
    list.replaceChildren(...changes.map((c) => {
      const b = h('button', { type: 'button', class: 'link', 'data-testid': 'open-change', 'data-id': c.id }, `${c.number} ${c.title}`);
      b.addEventListener('click', () => void deps.task(`Opening ${c.number}`, () => open(c.id)));
      return h('li', {}, h('span', { class: 'badge' }, statusText(c.status)), ' ', b);
    }));
    if (!changes.length) list.replaceChildren(h('li', { class: 'muted' }, 'No changes yet.'));
  };
  statusFilter.addEventListener('change', () => void listChanges().catch((e: unknown) => deps.status(`Could not list the changes: ${String(e)}`)));

  const approvals = mountApprovals({ task: deps.task, open: (id) => open(id), decided: () => listChanges() });
  const catalogue = standardCatalogue();

  const create = async () => {
    const sel = deps.selected();
    if (!sel) throw new Error('select the CI to change first');
    const val = (id: string) => byId<HTMLInputElement>(id).value;
    const r = await api(CreateChangeMutation, {
      input: {
        title: val('change-title'),
        type: val('change-type') as 'NORMAL' | 'STANDARD' | 'EMERGENCY',
        plannedStart: new Date(val('change-start')).toISOString(),
        plannedEnd: new Date(val('change-end')).toISOString(),
        targetIds: [sel.id],
        ...catalogue.choice(),
      },
    });
    const res = r.data?.createChange;
    await listChanges();
    if (res?.__typename === 'MutationCreateChangeSuccess') await open(res.data.id);
    else throw new Error((res && 'message' in res ? res.message : r.errors?.[0]?.message) ?? 'unknown error');
  };

  const render = async () => {
    const form = h('form', { class: 'change', 'data-testid': 'change-form' },
      h('label', {}, 'Title ', h('input', { id: 'change-title', 'data-testid': 'change-title', required: true })),
      h('label', {}, 'Type ', h('select', { id: 'change-type', 'data-testid': 'change-type' }, h('option', { value: 'NORMAL' }, 'normal'), h('option', { value: 'STANDARD' }, 'standard'), h('option', { value: 'EMERGENCY' }, 'emergency'))),
      h('label', {}, 'Start ', h('input', { id: 'change-start', type: 'datetime-local', value: localInput(new Date(Date.now() + 3_600_000)) })),
      h('label', {}, 'End ', h('input', { id: 'change-end', type: 'datetime-local', value: localInput(new Date(Date.now() + 3 * 3_600_000)) })),
      h('button', { type: 'submit', 'data-testid': 'create-change' }, 'Create change on selected CI'),
    );
    const type = form.querySelector<HTMLSelectElement>('#change-type')!;
    type.closest('label')!.after(catalogue.element);
    const showCatalogue = () => catalogue.show(type.value === 'STANDARD');
    type.addEventListener('change', showCatalogue);
    showCatalogue();
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void deps.task('Creating the change', create);
    });
    container.replaceChildren(h('h2', {}, 'Changes'), form, approvals.element, h('h3', {}, 'Changes by status'), h('label', {}, 'Show ', statusFilter), list, assessment);
    await Promise.all([listChanges(), approvals.refresh(), catalogue.load()]);
    const current = deps.getChange();
    if (current) await open(current, { reveal: false });
  };

  return { render, open };
}
