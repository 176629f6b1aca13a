// The details panel of the selected CI: class, badges, owner, attributes, provenance and history.
import type { ResultOf } from '../api/graphql';
import { namer } from '../api/names';
import { DetailsQuery } from '../api/queries';
import { api } from '../api/session';
import { byId, fmtDate, fmtJson, h } from './dom';
import { serviceLevelBlock } from './service-level-details';

let asked = 0;

export function showGroupDetails(name: string, count: number): void {
  byId('details').replaceChildren(
    h('h2', {}, name),
    h('p', {}, `A group of ${count} sibling CIs of one class, drawn as one node. Click it, press Expand or double-click to draw each.`),
  );
}

export async function showDetails(id: string | null): Promise<void> {
  const panel = byId('details');
  const mine = ++asked;
  if (!id) {
    panel.replaceChildren(h('p', { class: 'muted' }, 'Select a node to see its details.'));
    return;
  }
  panel.setAttribute('aria-busy', 'true');
  try {
    const r = await api(DetailsQuery, { id });
    const ci = r.data?.ci;
    if (!ci) {
      if (mine === asked) panel.replaceChildren(h('p', { class: 'error' }, r.errors?.[0]?.message ?? 'CI not found'));
      return;
    }
    // History fields name relationships by the other CI's id (DEPENDS_ON->ci_...): shown by name.
    const name = await namer(ci.history.flatMap((e) => e.changes.flatMap((c) => [c.field, fmtJson(c.before), fmtJson(c.after)])));
    if (mine === asked) panel.replaceChildren(...detailsOf(ci, name));
  } catch (e) {
    if (mine === asked) panel.replaceChildren(h('p', { class: 'error' }, `Could not load the details: ${e instanceof Error ? e.message : String(e)}`));
  } finally {
    if (mine === asked) panel.removeAttribute('aria-busy');
  }
}

type Details = NonNullable<ResultOf<typeof DetailsQuery>['ci']>;

function detailsOf(ci: Details, name: (text: string) => string): (HTMLElement | string)[] {
  const attrs = Object.entries((ci.attributes ?? {}) as Record<string, unknown>);
  return [
    h('h2', { 'data-testid': 'details-name' }, ci.name),
    h('p', { class: 'muted' }, ci.classPath.join(' › ')),
    h('div', { class: 'badges' },
      h('span', {}, `family: ${ci.family ?? '—'}`),
      h('span', {}, `env: ${ci.environment?.toLowerCase() ?? '—'}`),
      h('span', {}, `lifecycle: ${ci.lifecycle.toLowerCase()}`),
      h('span', {}, `criticality: ${ci.criticality ?? '—'}`),
      ci.stale && h('span', {}, 'STALE'),
    ),
    ci.description ? h('p', {}, ci.description) : '',
    serviceLevelBlock(ci.id, ci.classPath),
    h('h3', {}, 'Owner'),
    h('p', { 'data-testid': 'details-owner' }, ci.owner ? `${ci.owner.name}${ci.owner.email ? ` <${ci.owner.email}>` : ''}${ci.owner.onCall ? ` · on call: ${ci.owner.onCall}` : ''}` : 'No owning team'),
    h('h3', {}, 'Attributes'),
    attrs.length
      ? h('table', { 'data-testid': 'details-attributes' }, h('tbody', {}, ...attrs.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, fmtJson(v))))))
      : h('p', { class: 'muted' }, 'None'),
    h('h3', {}, 'Provenance'),
    ci.provenance.length
      ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'field'), h('th', {}, 'source'), h('th', {}, 'at'))),
        h('tbody', {}, ...ci.provenance.map((p) => h('tr', {}, h('td', {}, p.field), h('td', {}, p.source), h('td', {}, fmtDate(p.at))))))
      : h('p', { class: 'muted' }, `Sources: ${ci.sources.join(', ') || '—'}`),
    h('h3', {}, 'History'),
    ci.history.length
      ? h('ol', { class: 'list', 'data-testid': 'details-history' }, ...ci.history.map((e) =>
        h('li', {}, `${fmtDate(e.at)} ${e.action} by ${e.actor} (${e.source})`, historyChanges(e.changes, name))))
      : h('p', { class: 'muted' }, 'No history'),
  ];
}

const SHOWN_CHANGES = 8;

/** An entry's changes: the first few listed, the rest (one batch may set many fields, an owner and relationships) one click away. */
function historyChanges(changes: readonly { field: string; before: unknown; after: unknown }[], name: (text: string) => string): HTMLElement | null {
  if (!changes.length) return null;
  const item = (c: { field: string; before: unknown; after: unknown }) => h('li', {}, name(`${c.field}: ${fmtJson(c.before)} → ${fmtJson(c.after)}`));
  const rest = changes.slice(SHOWN_CHANGES);
  return h('ul', { 'data-testid': 'history-changes' },
    ...changes.slice(0, SHOWN_CHANGES).map(item),
    rest.length ? h('li', {}, h('details', {}, h('summary', {}, `${rest.length} more`), h('ul', {}, ...rest.map(item)))) : null,
  );
}
