// Audit trail mode: every write across the estate (people, discovery, imports, incidents, changes) and every state
// a discovery run changed, newest first, with the before and after of each field; filtered by actor, source,
// class, kind of change and time range, a page at a time. Choosing a CI's name selects it in the graph.
import { AuditTrailQuery } from '../api/audit-queries';
import { api } from '../api/session';
import { fmtDate, h } from './dom';
import { changeLine, toFilter, type AuditEntry, type FilterForm } from './audit-model';

const PAGE = 50;
const ACTIONS = ['CREATE', 'UPDATE', 'RETIRE', 'SET_OWNER', 'RELATE', 'UNRELATE', 'STALE', 'FRESH', 'ABSENT', 'PRESENT'];

function entryOf(e: AuditEntry, showCi: (id: string) => void): HTMLElement {
  const subject = e.subject.kind === 'CI' ? h('button', { type: 'button', class: 'sl-open' }, e.subject.name) : h('span', {}, e.subject.name);
  if (e.subject.kind === 'CI') subject.addEventListener('click', () => showCi(e.subject.id));
  return h('li', { class: 'audit-entry', 'data-testid': 'audit-entry', 'data-action': e.action },
    h('div', {}, h('span', { class: 'muted' }, `${fmtDate(e.at)} `), h('strong', {}, e.action), ' ', subject,
      e.subject.className ? h('span', { class: 'muted' }, ` ‹${e.subject.className}›`) : null),
    h('div', { class: 'muted', 'data-testid': 'audit-who' }, `by ${e.actor} from ${e.source}`),
    h('ul', {}, ...e.changes.map((c) => h('li', { 'data-testid': 'audit-change' }, changeLine(c)))));
}

export function mountAuditPanel(container: HTMLElement, showCi: (id: string) => void): { render(): Promise<void> } {
  const input = (label: string, testid: string, type = 'text') => {
    const el = h('input', { type, 'data-testid': testid, ...(type === 'datetime-local' ? { step: '1' } : {}) });
    return { el, label: h('label', {}, label, ' ', el) };
  };
  const actor = input('Actor', 'audit-actor');
  const source = input('Source', 'audit-source');
  const className = input('Class', 'audit-class');
  const from = input('From', 'audit-from', 'datetime-local');
  const to = input('Before', 'audit-to', 'datetime-local');
  const action = h('select', { 'data-testid': 'audit-action' }, h('option', { value: '' }, 'any'), ...ACTIONS.map((a) => h('option', { value: a }, a)));
  const apply = h('button', { type: 'submit', 'data-testid': 'audit-apply' }, 'Show');
  const form = h('form', { class: 'audit-filters' }, actor.label, source.label, className.label, h('label', {}, 'Change ', action), from.label, to.label, apply);
  const list = h('ol', { class: 'list', 'data-testid': 'audit-entries' });
  const more = h('button', { type: 'button', 'data-testid': 'audit-more', hidden: true }, 'Older');
  const live = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'audit-status' });
  let cursor: string | null = null;

  const values = (): FilterForm => ({ actor: actor.el.value, source: source.el.value, className: className.el.value, action: action.value, from: from.el.value, to: to.el.value });

  const load = async (append: boolean) => {
    live.textContent = 'Reading the trail…';
    const r = await api(AuditTrailQuery, { filter: toFilter(values()), first: PAGE, after: append ? cursor : null });
    const page = r.data?.auditTrail;
    if (!page) {
      live.textContent = r.errors?.[0]?.message ?? 'Could not read the audit trail.';
      return;
    }
    cursor = page.nextCursor ?? null;
    const items = page.entries.map((e) => entryOf(e, showCi));
    if (append) list.append(...items);
    else list.replaceChildren(...items);
    more.hidden = !cursor;
    live.textContent = list.children.length ? `${list.children.length} ${list.children.length === 1 ? "entry" : "entries"}, newest first${cursor ? '; older ones below' : ''}.` : 'Nothing matches.';
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void load(false);
  });
  more.addEventListener('click', () => void load(true));

  const render = async () => {
    container.replaceChildren(h('h2', {}, 'Audit trail'), form, live, list, more);
    await load(false);
  };
  return { render };
}
