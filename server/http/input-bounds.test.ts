import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { bracketNesting, DEFAULT_INPUT_BOUNDS, oversizedValue } from './input-bounds';

describe('bracketNesting', () => {
  it('counts brackets of the query, not those inside strings or comments', () => {
    expect(bracketNesting('{ a { b(x: [1]) } }')).toBe(4);
    expect(bracketNesting('{ a(s: "[[[[[[") # {{{{{{\n }')).toBe(2);
    expect(bracketNesting('{ a(s: """ {{{{ """) }')).toBe(2);
  });

  it('reads a 2,000-deep literal without recursion', () => {
    expect(bracketNesting(`{ a(x: ${'['.repeat(2000)}1${']'.repeat(2000)}) }`)).toBe(2002);
  });

  it('agrees with the parser on a query it accepts', () => {
    const q = 'query ($x: Int) { cis(first: $x) { nodes { id } } }';
    expect(() => parse(q)).not.toThrow();
    expect(bracketNesting(q)).toBe(3);
  });
});

describe('oversizedValue', () => {
  it('names the variable path of an over-long name, a long text or an over-long list', () => {
    expect(oversizedValue({ teams: [{ name: 'x'.repeat(257) }] }, '$input', DEFAULT_INPUT_BOUNDS)?.extensions).toMatchObject({ code: 'VALIDATION', field: '$input.teams[0].name' });
    expect(oversizedValue({ description: 'x'.repeat(4097) }, '$input', DEFAULT_INPUT_BOUNDS)?.message).toMatch(/4096 characters/);
    expect(oversizedValue(Array(5001).fill(1), '$ids', DEFAULT_INPUT_BOUNDS)?.message).toMatch(/5000 entries/);
  });

  it('holds a name to its own limit inside lists, and a key named like an object method to the general one', () => {
    expect(oversizedValue({ filter: { ownerTeamNames: ['ok', 'x'.repeat(257)] } }, '$where', DEFAULT_INPUT_BOUNDS)?.extensions).toMatchObject({ field: '$where.filter.ownerTeamNames[1]' });
    expect(oversizedValue({ attributes: { constructor: 'x'.repeat(4097) } }, '$input', DEFAULT_INPUT_BOUNDS)?.extensions).toMatchObject({ field: '$input.attributes.constructor' });
    expect(oversizedValue({ attributes: { constructor: 'x'.repeat(4096) } }, '$input', DEFAULT_INPUT_BOUNDS)).toBeUndefined();
  });

  it('accepts what is within the bounds', () => {
    expect(oversizedValue({ teams: [{ name: 'payments' }], description: 'x'.repeat(4096) }, '$input', DEFAULT_INPUT_BOUNDS)).toBeUndefined();
  });
});
