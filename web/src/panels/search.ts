// Type-ahead search over CIs and services: debounced `search`, an ARIA combobox with arrow-key navigation.
import { api } from '../api/session';
import { SearchQuery } from '../api/queries';
import type { CiSummary } from '../graph/model';
import { byId, h } from './dom';

export function mountSearch(onChoose: (ci: CiSummary) => void, debounceMs = 200): void {
  const input = byId<HTMLInputElement>('search');
  const list = byId<HTMLUListElement>('search-results');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  let hits: CiSummary[] = [];
  let active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (i: number) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', `search-hit-${i}`);
  };
  const choose = (i: number) => {
    const ci = hits[i];
    if (!ci) return;
    close();
    input.value = ci.name;
    onChoose(ci);
  };
  const render = () => {
    list.replaceChildren(
      ...hits.map((ci, i) => {
        const li = h('li', { id: `search-hit-${i}`, role: 'option', 'aria-selected': 'false', 'data-testid': 'search-hit', 'data-id': ci.id },
          h('span', {}, ci.name), h('small', {}, `${ci.className} · ${ci.family ?? ''}${ci.environment ? ` · ${ci.environment.toLowerCase()}` : ''}`));
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          choose(i);
        });
        return li;
      }),
    );
    if (hits.length === 0 && input.value.trim()) list.replaceChildren(h('li', { role: 'option', 'aria-disabled': 'true' }, 'No match'));
    list.hidden = !input.value.trim();
    input.setAttribute('aria-expanded', String(!list.hidden));
    active = -1;
  };
  const ask = async (text: string) => {
    const mine = ++asked;
    const r = await api(SearchQuery, { text, first: 15 });
    if (mine !== asked) return;
    hits = r.data?.search.map((s) => s.ci) ?? [];
    render();
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) {
      hits = [];
      close();
      return;
    }
    timer = setTimeout(() => void ask(text).catch(() => undefined), debounceMs);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && hits.length) {
      e.preventDefault();
      list.hidden = false;
      highlight(Math.min(hits.length - 1, active + 1));
    } else if (e.key === 'ArrowUp' && hits.length) {
      e.preventDefault();
      highlight(Math.max(0, active - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(active >= 0 ? active : 0);
    } else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}
