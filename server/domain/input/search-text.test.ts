import { describe, expect, it } from 'vitest';
import { SEARCH_LIMITS, toLuceneQuery } from './search-text';

describe('toLuceneQuery', () => {
  it('requires every word and lets the last one match as a prefix', () => {
    expect(toLuceneQuery('payments api')).toEqual({ ok: true, lucene: '+payments +(api OR api*)' });
  });

  it('takes Lucene operators and syntax as words', () => {
    expect(toLuceneQuery('AND')).toEqual({ ok: true, lucene: '+(and OR and*)' });
    expect(toLuceneQuery('x OR y NOT z')).toEqual({ ok: true, lucene: '+x +or +y +not +(z OR z*)' });
    expect(toLuceneQuery('"db-01" (a:b)')).toEqual({ ok: true, lucene: '+\\"db\\-01\\" +(\\(a\\:b\\) OR \\(a\\:b\\)*)' });
  });

  it('finds nothing to ask for in punctuation alone', () => {
    expect(toLuceneQuery(' " * - ')).toEqual({ ok: true, lucene: undefined });
  });

  it('refuses more words or characters than the limits', () => {
    expect(toLuceneQuery(Array(SEARCH_LIMITS.maxWords + 1).fill('a').join(' '))).toMatchObject({ ok: false, reason: expect.stringMatching(/words/) });
    expect(toLuceneQuery('a'.repeat(SEARCH_LIMITS.maxChars + 1))).toMatchObject({ ok: false, reason: expect.stringMatching(/characters/) });
    expect(toLuceneQuery(Array(SEARCH_LIMITS.maxWords).fill('a').join(' ')).ok).toBe(true);
  });
});
