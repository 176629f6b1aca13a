import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseStored } from './stored-json';

const shape = z.object({ field: z.string(), n: z.number() });

describe('parseStored', () => {
  it('returns the document when it has the shape Ripple writes', () => {
    expect(parseStored(shape, '{"field":"a","n":1}', 'thing')).toEqual({ field: 'a', n: 1 });
  });

  it('names the document and what is wrong with it', () => {
    expect(() => parseStored(shape, '{"field":"a"', 'assessment of CHG-0001')).toThrow(/assessment of CHG-0001 cannot be read \(not JSON\)/);
    expect(() => parseStored(shape, '{"field":"a","n":"1"}', 'assessment of CHG-0001')).toThrow(/n: .*number/);
  });

  it('is a typed CORRUPT_RECORD error, not a crash', () => {
    try {
      parseStored(shape, '[]', 'x');
      expect.unreachable();
    } catch (e) {
      expect((e as { code: string }).code).toBe('CORRUPT_RECORD');
    }
  });
});
