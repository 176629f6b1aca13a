// The service level block of a service's details: availability against target, budget left and burn this period,
// filled in once measured (the rest of the details does not wait for it). Nothing shows for a CI without a level.
import { api } from '../api/session';
import { ServiceLevelOfQuery } from '../api/service-level-queries';
import { h } from './dom';
import { levelRow, statusWords } from './service-level-model';

/** A block for the details of a service; empty until measured, and stays empty when the service has no level. */
export function serviceLevelBlock(ciId: string, classPath: readonly string[]): HTMLElement {
  const block = h('section', { 'data-testid': 'details-service-level', 'aria-label': 'Service level' });
  if (!classPath.includes('Service')) return block;
  void api(ServiceLevelOfQuery, { id: ciId }).then((r) => {
    const level = r.data?.serviceLevels[0];
    if (!level) return;
    const row = levelRow(level);
    const period = level.period.toLowerCase();
    block.replaceChildren(
      h('h3', {}, `Service level this ${period} `, h('span', { class: `sl-status sl-${row.status.toLowerCase()}` }, statusWords(row.status))),
      h('dl', { class: 'sl-figures' },
        h('div', {}, h('dt', {}, 'Availability'), h('dd', { 'data-testid': 'details-sl-availability' }, row.availability)),
        h('div', {}, h('dt', {}, 'Budget left'), h('dd', { 'data-testid': 'details-sl-budget' }, row.budgetLeft)),
        h('div', {}, h('dt', {}, 'Burn'), h('dd', { 'data-testid': 'details-sl-burn' }, row.burn)),
        h('div', {}, h('dt', {}, 'Cost most'), h('dd', {}, row.worstIncident ?? '—'))),
    );
  });
  return block;
}
