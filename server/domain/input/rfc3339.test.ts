import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339';

describe('parseRfc3339', () => {
  it('reads RFC 3339 instants with any offset as UTC', () => {
    expect(parseRfc3339('2030-02-28T10:00:00Z')).toBe('2030-02-28T10:00:00.000Z');
    expect(parseRfc3339('2030-02-28T10:00:00.5+02:00')).toBe('2030-02-28T08:00:00.500Z');
    expect(parseRfc3339('2028-02-29t00:00:00z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('refuses days the calendar does not have instead of rolling them over', () => {
    expect(parseRfc3339('2030-02-30T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2030-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2030-13-01T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2030-01-01T24:00:00Z')).toBeUndefined();
  });

  it('refuses what Date.parse would guess at', () => {
    for (const text of ["' OR 1=1 //", '2030-02-28', '2030-02-28 10:00:00', 'Tue, 01 Dec 2026 10:00:00 GMT', '1', '2030-02-28T10:00:00']) {
      expect(parseRfc3339(text)).toBeUndefined();
    }
  });
});
