// Owns how a person's search text becomes a full-text (Lucene) query: plain words only, a bounded number of
// them, every operator and special character taken literally.

export const SEARCH_LIMITS = { maxChars: 500, maxWords: 16 } as const;

export type SearchQuery = { ok: true; lucene: string | undefined } | { ok: false; reason: string };

// Lucene's classic query parser gives these characters meaning; escaped, they are only text.
const SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/**
 * Every word must match, the last one also as a prefix so type-ahead works while typing. Each word is one
 * Lucene clause, so the number of words is what bounds Neo4j's work: one request of a million words once
 * exhausted its heap. `lucene` is undefined when no word has a letter or digit (nothing can match).
 */
export function toLuceneQuery(text: string): SearchQuery {
  if (text.length > SEARCH_LIMITS.maxChars) return { ok: false, reason: `must be at most ${SEARCH_LIMITS.maxChars} characters` };
  const words = text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length > SEARCH_LIMITS.maxWords) return { ok: false, reason: `must have at most ${SEARCH_LIMITS.maxWords} words` };
  if (!words.length) return { ok: true, lucene: undefined };
  // Lower case: AND, OR and NOT in capitals are operators to Lucene; the index's analyzer lower-cases anyway.
  const terms = words.map((w) => w.toLowerCase().replace(SPECIAL, '\\$&'));
  const last = terms.length - 1;
  return { ok: true, lucene: terms.map((t, i) => (i === last ? `+(${t} OR ${t}*)` : `+${t}`)).join(' ') };
}
