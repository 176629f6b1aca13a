// The standard-change catalogue in the change form: with the type "standard", pick a pre-authorised model, read
// what it allows (classes, environments, risk ceiling) and fill its template fields. A standard change that stays
// within its model is approved on submission (the API decides and refuses one that does not fit).
import type { ResultOf } from '../api/graphql';
import { StandardModelsQuery } from '../api/approval-queries';
import { api } from '../api/session';
import { h } from './dom';

type Model = ResultOf<typeof StandardModelsQuery>['standardChangeModels'][number];

export interface StandardChoice { standardModelId: string; templateValues: Record<string, string> }

export function standardCatalogue(): { element: HTMLElement; load(): Promise<void>; show(on: boolean): void; choice(): StandardChoice | null; model(): Model | null } {
  let models: Model[] = [];
  const pick = h('select', { id: 'change-model', 'data-testid': 'change-model' });
  const about = h('p', { class: 'muted', 'data-testid': 'change-model-about' });
  const fields = h('div', { 'data-testid': 'change-template-fields' });
  const element = h('fieldset', { class: 'catalogue', 'data-testid': 'standard-catalogue', hidden: true },
    h('legend', {}, 'Standard change'), h('label', {}, 'Model ', pick), about, fields);

  const current = () => models.find((m) => m.id === pick.value) ?? null;
  const describe = () => {
    const m = current();
    about.textContent = m
      ? `${m.description ? `${m.description} ` : ''}Targets ${m.classes.join(', ')}${m.environments.length ? ` in ${m.environments.join(', ').toLowerCase()}` : ''}, risk up to ${m.riskCeiling.toLowerCase()}. Pre-approved: submitting it within the model approves it.`
      : 'No standard-change model in the catalogue: ask a change manager to add one, or raise a normal change.';
    fields.replaceChildren(...(m?.templateFields ?? []).map((f) =>
      h('label', {}, `${f.name} `, h('input', { 'data-field': f.name, 'data-testid': 'template-field', value: f.defaultValue ?? '' }))));
  };
  pick.addEventListener('change', describe);

  const load = async () => {
    const r = await api(StandardModelsQuery, {});
    models = (r.data?.standardChangeModels ?? []).filter((m) => m.active).sort((a, b) => a.name.localeCompare(b.name));
    pick.replaceChildren(...models.map((m) => h('option', { value: m.id }, m.name)));
    describe();
  };

  const choice = (): StandardChoice | null => {
    const m = current();
    if (element.hidden || !m) return null;
    const values = [...fields.querySelectorAll<HTMLInputElement>('input[data-field]')].map((i) => [i.dataset.field!, i.value.trim()] as const);
    return { standardModelId: m.id, templateValues: Object.fromEntries(values) };
  };

  return { element, load, show: (on) => (element.hidden = !on), choice, model: current };
}
