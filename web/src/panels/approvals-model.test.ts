import { describe, expect, it } from 'vitest';
import { awaitingMe, capacitiesFor, type AwaitingChange } from './approvals-model';

const marco = { subject: 'marco', roles: ['CHANGE_MANAGER'] };
const change = (over: Partial<AwaitingChange['approvals'] & object> = {}, requestedBy = 'dana'): AwaitingChange & { plannedStart: string } => ({
  id: 'c1',
  requestedBy,
  plannedStart: '2026-12-03T10:00:00Z',
  approvals: { satisfied: false, awaitingApprovers: 1, awaitingTeams: [], approvals: [], ...over },
});

describe('capacitiesFor', () => {
  it('offers a personal approval to a change manager on someone else’s change', () => {
    expect(capacitiesFor(change(), marco)).toEqual([null]);
  });

  it('offers nothing on one’s own change, to someone without the role, or once the policy is met', () => {
    expect(capacitiesFor(change({}, 'marco'), marco)).toEqual([]);
    expect(capacitiesFor(change(), { subject: 'vera', roles: ['VIEWER', 'EDITOR'] })).toEqual([]);
    expect(capacitiesFor(change({ satisfied: true, awaitingApprovers: 0 }), marco)).toEqual([]);
  });

  it('offers each awaited team not yet approved for by this person, and no second personal approval', () => {
    const c = change({ awaitingApprovers: 1, awaitingTeams: ['dba', 'orders'], approvals: [{ actor: 'marco', onBehalfOf: 'dba' }] });
    expect(capacitiesFor(c, marco)).toEqual(['orders']);
  });

  it('offers the awaited teams alone when only teams are awaited', () => {
    expect(capacitiesFor(change({ awaitingApprovers: 0, awaitingTeams: ['dba'] }), marco)).toEqual(['dba']);
  });
});

describe('awaitingMe', () => {
  it('lists only the changes this person can act on, nearest window first', () => {
    const later = { ...change(), id: 'later', plannedStart: '2026-12-05T00:00:00Z' };
    const sooner = { ...change(), id: 'sooner', plannedStart: '2026-12-04T00:00:00Z' };
    const own = { ...change({}, 'marco'), id: 'own' };
    expect(awaitingMe([later, own, sooner], marco).map((x) => x.change.id)).toEqual(['sooner', 'later']);
  });
});
