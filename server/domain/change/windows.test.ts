import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAINTENANCE_WINDOW,
  fittingWindow,
  fitsWeekly,
  freezesConcerning,
  implementationTimingProblem,
  submissionWindowProblem,
  type MaintenanceWindow,
} from './windows';

const at = (s: string) => new Date(s);
// 2030-01-05 is a Saturday.
const SAT_23 = at('2030-01-05T23:00:00Z');
const SUN_02 = at('2030-01-06T02:00:00Z');
const TUE_10 = at('2030-01-08T10:00:00Z');
const TUE_12 = at('2030-01-08T12:00:00Z');
const tuesdayMorning: MaintenanceWindow = { id: 'm1', name: 'orders Tuesday', dayOfWeek: 2, startMinute: 9 * 60, durationMinutes: 4 * 60, serviceIds: ['orders'], environments: [] };

describe('maintenance windows', () => {
  it('fits a Saturday-night change into the default window across midnight, and not a Tuesday one', () => {
    expect(fitsWeekly(DEFAULT_MAINTENANCE_WINDOW, SAT_23, SUN_02)).toBe(true);
    expect(fitsWeekly(DEFAULT_MAINTENANCE_WINDOW, TUE_10, TUE_12)).toBe(false);
    expect(fitsWeekly(DEFAULT_MAINTENANCE_WINDOW, SAT_23, at('2030-01-06T07:00:00Z'))).toBe(false);
  });

  it('governs a change by the window of a service it impacts, and others by the default', () => {
    const orders = { ciIds: ['db', 'orders'], environments: ['production'] };
    expect(fittingWindow([tuesdayMorning], orders, TUE_10, TUE_12)?.id).toBe('m1');
    expect(fittingWindow([tuesdayMorning], orders, SAT_23, SUN_02)).toBeNull();
    expect(fittingWindow([tuesdayMorning], { ciIds: ['other'], environments: [] }, SAT_23, SUN_02)?.id).toBe('default');
  });
});

describe('freeze windows', () => {
  const freeze = (serviceIds: string[], environments: string[] = []) => ({ id: 'f', name: 'f', start: '2030-01-01T00:00:00Z', end: '2030-01-10T00:00:00Z', serviceIds, environments });
  const scope = { ciIds: ['vm', 'shop'], environments: ['production'] };

  it('reaches a change whose blast radius holds its service, or whose environment it names, and not others', () => {
    expect(freezesConcerning([freeze(['shop'])], scope, SAT_23.toISOString(), SUN_02.toISOString())).toHaveLength(1);
    expect(freezesConcerning([freeze(['billing'])], scope, SAT_23.toISOString(), SUN_02.toISOString())).toHaveLength(0);
    expect(freezesConcerning([freeze([], ['PRODUCTION'])], scope, SAT_23.toISOString(), SUN_02.toISOString())).toHaveLength(1);
    expect(freezesConcerning([freeze([])], { ciIds: [], environments: [] }, SAT_23.toISOString(), SUN_02.toISOString())).toHaveLength(1);
  });

  it('does not reach a change outside its dates', () => {
    expect(freezesConcerning([freeze([])], scope, '2030-02-01T00:00:00Z', '2030-02-01T04:00:00Z')).toHaveLength(0);
  });
});

describe('timing checks', () => {
  it('refuses a window in the past at submission', () => {
    expect(submissionWindowProblem('2030-01-05T23:00:00Z', at('2030-01-06T00:00:00Z'))).toContain('past');
    expect(submissionWindowProblem('2030-01-05T23:00:00Z', at('2030-01-05T00:00:00Z'))).toBeNull();
  });

  it('needs a reason to implement before the window, and none within or after it', () => {
    expect(implementationTimingProblem('2030-01-05T23:00:00Z', at('2030-01-01T00:00:00Z'), null)).toContain('earlyStartReason');
    expect(implementationTimingProblem('2030-01-05T23:00:00Z', at('2030-01-01T00:00:00Z'), 'vendor fix ready early')).toBeNull();
    expect(implementationTimingProblem('2030-01-05T23:00:00Z', at('2030-01-06T00:00:00Z'), null)).toBeNull();
  });
});
