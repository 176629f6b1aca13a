// Owns reading a document Ripple stored as JSON text: parsed, checked against the shape Ripple writes, and refused
// with a typed error naming the document when it is not that shape, so that no `JSON.parse(...) as T` lets a
// corrupt value travel on as if it were sound.
import type { z } from 'zod';
import { CorruptRecordError } from '../errors';

export function parseStored<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(what, 'not JSON');
  }
  return checkStored(schema, raw, what);
}

/** The already parsed document `raw`, checked as parseStored checks it (for readers that look at it first). */
export function checkStored<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CorruptRecordError(what, `${issue.path.join('.') || 'the document'}: ${issue.message}`);
  }
  return parsed.data;
}
