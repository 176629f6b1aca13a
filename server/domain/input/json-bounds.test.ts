import { describe, expect, it } from 'vitest';
import { jsonBoundsViolation } from './json-bounds';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('jsonBoundsViolation', () => {
  it('accepts ordinary attribute values', () => {
    expect(jsonBoundsViolation({ replicas: 3, zones: ['a', 'b'], tls: { enabled: true } })).toBeUndefined();
    expect(jsonBoundsViolation(nested(16))).toBeUndefined();
  });

  it('refuses a value nested ten thousand deep without overflowing the stack', () => {
    expect(jsonBoundsViolation(nested(10_000))).toMatch(/deeper than 16/);
  });

  it('refuses a value larger than the size limit', () => {
    expect(jsonBoundsViolation({ blob: 'x'.repeat(1_001) })).toMatch(/longer than 1000/);
    expect(jsonBoundsViolation(Array(70).fill('x'.repeat(1_000)))).toMatch(/larger than/);
    expect(jsonBoundsViolation(Array(40_000).fill(1))).toMatch(/larger than/);
  });
});
