import { describe, expect, it } from 'vitest';
import { problemStepsFor } from './problem-steps';

describe('problemStepsFor', () => {
  it('lets an open problem take any first step, and a known error only be resolved', () => {
    expect(problemStepsFor('OPEN')).toEqual(['root-cause', 'known-error', 'resolve']);
    expect(problemStepsFor('ROOT_CAUSE_IDENTIFIED')).toEqual(['known-error', 'resolve']);
    expect(problemStepsFor('KNOWN_ERROR')).toEqual(['resolve']);
    expect(problemStepsFor('CLOSED')).toEqual([]);
  });
});
