// Change mode: open or create a change for the selected CI and show its assessment: blast radius rings by
// distance, the risk score with its factors, owners to notify, conflicts and freeze windows.
import { api } from '../api/session';
import { ChangeQuery, ChangesQuery, CisByIdsQuery, CreateChangeMutation } from '../api/queries';
import type { Explorer, SubgraphNodeIn } from '../graph/explorer';
import { byId, fmtDate, h } from './dom';
import { edgesAmong } from './impact';

export interface ChangeDeps {
  explorer: Explorer;
  selected(): { id: string; name: string } | null;
  getChange(): string | null;
  setChange(id: string | null): void;
  status(msg: string): void;
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

export function mountChangePanel(container: HTMLElement, deps: ChangeDeps): { render(): Promise<void>; open(id: string): Promise<void> } {
  const assessment = h('div', { 'data-testid': 'change-assessment' });

  const open = async (id: string) => {
    deps.status('Loading change…');
    const r = await api(ChangeQuery, { id });
    const c = r.data?.change;
    if (!c) {
      assessment.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'Change not found'));
      return;
    }
    deps.setChange(id);
    const a = c.currentAssessment;
    const ringIds = a.blastRadius.flatMap((ring) => ring.cis.map((x) => x.id));
    const fields = await api(CisByIdsQuery, { ids: ringIds, first: 500 });
    const byId2 = new Map((fields.data?.cis.nodes ?? []).map((n) => [n.id, n]));
    const nodes: SubgraphNodeIn[] = a.blastRadius.flatMap((ring) =>
      ring.cis.map((x) => ({
        ci: byId2.get(x.id) ?? { id: x.id, name: x.name, className: x.className, family: x.isService ? 'service' : null },
        rank: ring.distance,
        state: ring.distance === 0 ? 'FAILED' : x.state,
      })),
    );
    const ids = new Set(nodes.map((n) => n.ci.id));
    const maxD = Math.max(1, ...a.blastRadius.map((r2) => r2.distance));
    const edges = await edgesAmong(c.targets.map((t) => t.id), ids, maxD);
    deps.explorer.rootId = null;
    await deps.explorer.drawLayered(nodes, edges, true);
    assessment.replaceChildren(
      h('h3', {}, `${c.number}: ${c.title}`),
      h('p', {}, `${c.type.toLowerCase()} · ${c.status.toLowerCase().replace(/_/g, ' ')} · ${fmtDate(c.plannedStart)} → ${fmtDate(c.plannedEnd)}`),
      h('p', { 'data-testid': 'change-risk' }, h('span', { class: 'badge' }, `risk ${a.risk.level}`), ` score ${a.risk.score.toFixed(1)}`),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'factor'), h('th', {}, 'points'), h('th', {}, 'why'))),
        h('tbody', {}, ...a.risk.factors.map((f) => h('tr', {}, h('td', {}, f.name), h('td', {}, f.points.toFixed(1)), h('td', {}, f.detail))))),
      h('h3', {}, `Blast radius (${a.impactedCount} CIs)`),
      h('ol', { class: 'list', 'data-testid': 'blast-rings' }, ...a.blastRadius.map((ring) =>
        h('li', {}, `ring ${ring.distance}: ${ring.cis.length} CIs${ring.cis.some((x) => x.isService) ? ` (services: ${ring.cis.filter((x) => x.isService).map((x) => x.name).join(', ')})` : ''}`))),
      h('h3', {}, 'Owners to notify'),
      a.ownersToNotify.length ? h('ul', { class: 'list' }, ...a.ownersToNotify.map((o) => h('li', {}, `${o.team} (${o.serviceIds.length} services)`))) : h('p', { class: 'muted' }, 'None'),
      h('h3', {}, 'Conflicts'),
      a.conflicts.length ? h('ul', { class: 'list' }, ...a.conflicts.map((x) => h('li', {}, `${x.number} ${x.title} (${x.status.toLowerCase()}), shares ${x.sharedCiIds.length} CIs / ${x.sharedServiceIds.length} services`))) : h('p', { class: 'muted' }, 'None'),
      a.freezeWindows.length ? h('p', { class: 'error' }, `In freeze window: ${a.freezeWindows.map((w) => w.name).join(', ')}`) : '',
      a.redundancyLost.length ? h('p', {}, `Redundancy lost: ${a.redundancyLost.map((g) => `${g.name} ${g.lost}/${g.total}`).join(', ')}`) : '',
    );
    deps.status(`Change ${c.number}: ${a.impactedCount} CIs in the blast radius.`);
  };

  const render = async () => {
    const form = h('form', { class: 'change', 'data-testid': 'change-form' },
      h('label', {}, 'Title ', h('input', { id: 'change-title', 'data-testid': 'change-title', required: true })),
      h('label', {}, 'Type ', h('select', { id: 'change-type' }, h('option', { value: 'NORMAL' }, 'normal'), h('option', { value: 'STANDARD' }, 'standard'), h('option', { value: 'EMERGENCY' }, 'emergency'))),
      h('label', {}, 'Start ', h('input', { id: 'change-start', type: 'datetime-local', value: localInput(new Date(Date.now() + 3_600_000)) })),
      h('label', {}, 'End ', h('input', { id: 'change-end', type: 'datetime-local', value: localInput(new Date(Date.now() + 3 * 3_600_000)) })),
      h('button', { type: 'submit', 'data-testid': 'create-change' }, 'Create change on selected CI'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const sel = deps.selected();
      if (!sel) return deps.status('Select the CI to change first.');
      const val = (id: string) => byId<HTMLInputElement>(id).value;
      void api(CreateChangeMutation, {
        input: {
          title: val('change-title'),
          type: val('change-type') as 'NORMAL' | 'STANDARD' | 'EMERGENCY',
          plannedStart: new Date(val('change-start')).toISOString(),
          plannedEnd: new Date(val('change-end')).toISOString(),
          targetIds: [sel.id],
        },
      }).then(async (r) => {
        const res = r.data?.createChange;
        if (res?.__typename === 'MutationCreateChangeSuccess') await open(res.data.id);
        else deps.status(`Could not create the change: ${(res && 'message' in res ? res.message : r.errors?.[0]?.message) ?? 'unknown error'}`);
        await listChanges();
      });
    });
    const list = h('ul', { class: 'list', 'data-testid': 'change-list' });
    const listChanges = async () => {
      const r = await api(ChangesQuery, {});
      const changes = (r.data?.changes ?? []).slice(-30).reverse();
      list.replaceChildren(...changes.map((c) => {
        const b = h('button', { type: 'button', 'data-testid': 'open-change', 'data-id': c.id }, `${c.number} ${c.title}`);
        b.addEventListener('click', () => void open(c.id));
        return h('li', {}, b, ` ${c.status.toLowerCase()}`);
      }));
      if (!changes.length) list.replaceChildren(h('li', { class: 'muted' }, 'No changes yet.'));
    };
    container.replaceChildren(h('h2', {}, 'Change blast radius'), form, h('h3', {}, 'Changes'), list, assessment);
    await listChanges();
    const current = deps.getChange();
    if (current) await open(current);
  };

  return { render, open };
}
