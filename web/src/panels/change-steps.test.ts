import { describe, expect, it } from 'vitest';
import { stepsFor } from './change-steps';

describe('change lifecycle steps', () => {
  it('walks a normal change from draft to closed one offered step at a time', () => {
    expect(stepsFor('DRAFT', 'NORMAL')).toEqual(['assess', 'submit', 'cancel']);
    expect(stepsFor('AWAITING_APPROVAL', 'NORMAL')).toEqual(['approve', 'reject', 'cancel']);
    expect(stepsFor('APPROVED', 'NORMAL')).toEqual(['schedule', 'cancel']);
    expect(stepsFor('SCHEDULED', 'NORMAL')).toEqual(['implement', 'cancel']);
    expect(stepsFor('IMPLEMENTED', 'NORMAL')).toEqual(['close']);
  });

  it('lets an approved emergency change be implemented without scheduling', () => {
    expect(stepsFor('APPROVED', 'EMERGENCY')).toEqual(['schedule', 'implement', 'cancel']);
  });

  it('offers nothing on a closed, rejected or cancelled change', () => {
    for (const s of ['CLOSED', 'REJECTED', 'CANCELLED']) expect(stepsFor(s, 'NORMAL')).toEqual([]);
  });
});
