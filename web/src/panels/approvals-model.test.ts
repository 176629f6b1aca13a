import { describe, expect, it } from 'vitest';
import { awaitingMe, capacitiesOf } from './approvals-model';

const change = (id: string, plannedStart: string, personally: boolean, forTeams: string[] = []) => ({ id, plannedStart, yourApproval: { personally, forTeams } });

describe('capacitiesOf', () => {
  it('offers a personal approval first, then each team the API says is still theirs to approve for', () => {
    expect(capacitiesOf(change('c', '2026-12-03T10:00:00Z', true, ['dba', 'orders']))).toEqual([null, 'dba', 'orders']);
    expect(capacitiesOf(change('c', '2026-12-03T10:00:00Z', false, ['orders']))).toEqual(['orders']);
  });
});

describe('awaitingMe', () => {
  it('lists only the changes this person can act on, nearest window first', () => {
    const later = change('later', '2026-12-05T00:00:00Z', true);
    const sooner = change('sooner', '2026-12-04T00:00:00Z', false, ['dba']);
    const notMine = change('own', '2026-12-01T00:00:00Z', false);
    expect(awaitingMe([later, notMine, sooner]).map((x) => x.change.id)).toEqual(['sooner', 'later']);
  });
});
