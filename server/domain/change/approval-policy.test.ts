import { describe, expect, it } from 'vitest';
import { approvalCapacities, approvalProblem, approvalsNeeded, approvalState, DEFAULT_APPROVAL_POLICY } from './approval-policy';

const approval = (actor: string, onBehalfOf: string | null = null) => ({ actor, onBehalfOf, at: '2030-01-01T00:00:00Z', note: null });

describe('approval policy', () => {
  it('needs one approver for a LOW change and nobody else', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'LOW', ['shop-team']);
    expect(needed.teams).toEqual([]);
    expect(approvalState(needed, []).satisfied).toBe(false);
    expect(approvalState(needed, [approval('bob')]).satisfied).toBe(true);
  });

  it('keeps a HIGH change awaiting the owners of impacted business services', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'HIGH', ['shop-team', 'shop-team', 'pay-team']);
    const one = approvalState(needed, [approval('bob', 'shop-team')]);
    expect(one).toMatchObject({ satisfied: false, awaitingTeams: ['pay-team'], awaitingApprovers: 0 });
    expect(approvalState(needed, [approval('bob', 'shop-team'), approval('carol', 'pay-team')]).satisfied).toBe(true);
  });

  it('needs two distinct people for a CRITICAL change', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'CRITICAL', []);
    expect(approvalState(needed, [approval('bob')]).awaitingApprovers).toBe(1);
    expect(approvalProblem(needed, [approval('bob')], { actor: 'bob', onBehalfOf: null })).toContain('already approved');
    expect(approvalState(needed, [approval('bob'), approval('carol')]).satisfied).toBe(true);
  });

  it('refuses an approval on behalf of a team that is not asked', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'HIGH', ['shop-team']);
    expect(approvalProblem(needed, [], { actor: 'bob', onBehalfOf: 'dba-team' })).toContain('dba-team');
  });

  it('refuses a second approval for a team from someone whose first approval was personal', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'CRITICAL', ['shop-team']);
    const given = [approval('bob'), approval('bob', 'shop-team')];
    expect(approvalProblem(needed, given, { actor: 'bob', onBehalfOf: 'shop-team' })).toContain('already approved');
  });

  it('offers each person only the capacities that still add something', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'CRITICAL', ['shop-team', 'pay-team']);
    const state = approvalState(needed, [approval('bob', 'shop-team')]);
    expect(approvalCapacities(state, 'alice', 'bob')).toEqual({ personally: false, forTeams: ['pay-team'] });
    expect(approvalCapacities(state, 'alice', 'carol')).toEqual({ personally: true, forTeams: ['pay-team'] });
    expect(approvalCapacities(state, 'carol', 'carol')).toEqual({ personally: false, forTeams: [] });
    const met = approvalState(needed, [approval('bob', 'shop-team'), approval('carol', 'pay-team')]);
    expect(approvalCapacities(met, 'alice', 'dave')).toEqual({ personally: false, forTeams: [] });
  });

  it('offers a personal approval when only teams are awaited and the person has none of them left', () => {
    const needed = approvalsNeeded(DEFAULT_APPROVAL_POLICY, 'LOW', []);
    expect(approvalCapacities(approvalState(needed, []), 'alice', 'bob')).toEqual({ personally: true, forTeams: [] });
  });
});
