import { describe, expect, it } from 'vitest';
import { INCIDENT_STEPS, missingForStep, PROBLEM_STEPS } from './lifecycle';

describe('problem lifecycle', () => {
  it('closes only a resolved problem, and an open incident cannot be closed', () => {
    expect(PROBLEM_STEPS.CLOSED).toEqual(['RESOLVED']);
    expect(INCIDENT_STEPS.CLOSED).not.toContain('OPEN');
  });

  it('asks a known error for its workaround and a root cause, unless one was identified before', () => {
    expect(missingForStep('KNOWN_ERROR', { rootCause: 'disk full' }, { rootCause: null })).toMatchObject({ field: 'workaround' });
    expect(missingForStep('KNOWN_ERROR', { workaround: 'restart' }, { rootCause: null })).toMatchObject({ field: 'rootCause' });
    expect(missingForStep('KNOWN_ERROR', { workaround: 'restart' }, { rootCause: 'disk full' })).toBeNull();
    expect(missingForStep('RESOLVED', { resolution: '  ' }, { rootCause: 'x' })).toMatchObject({ field: 'resolution' });
  });
});
