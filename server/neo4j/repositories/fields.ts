// Owns reading the properties of one stored node or row with their types checked, in place of `x as string`
// casts: a property of the wrong type (written outside Ripple, or by a bug) is a typed CORRUPT_RECORD naming the
// record and the property, where a cast would let it travel on and fail far away. Cheap enough for hot paths:
// a typeof per property, no schema object.
import neo4j from 'neo4j-driver';
import { CorruptRecordError } from '../../errors';
import { toIso } from './rows';

export interface Fields {
  text(key: string): string;
  textOrNull(key: string): string | null;
  /** A list of strings; absent reads as empty. */
  texts(key: string): string[];
  number(key: string): number;
  /** A boolean; absent reads as false. */
  flag(key: string): boolean;
  numberOrNull(key: string): number | null;
  /** An ISO instant (JavaScript's form) from a temporal or a string; '' when absent. */
  instant(key: string): string;
  instantOrNull(key: string): string | null;
}

/** `what` names the record in errors ("token tok_1", "event of CHG-0004"). */
export function fields(props: unknown, what: string): Fields {
  if (props === null || typeof props !== 'object') throw new CorruptRecordError(what, 'not a record');
  const p = props as Record<string, unknown>;
  const wrong = (key: string, expected: string): never => {
    throw new CorruptRecordError(what, `${key} is ${p[key] === undefined ? 'missing' : typeof p[key]}, not ${expected}`);
  };
  const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : neo4j.isInt(v) ? (v as { toNumber(): number }).toNumber() : undefined);
  const f: Fields = {
    text: (key) => (typeof p[key] === 'string' ? (p[key] as string) : wrong(key, 'text')),
    textOrNull: (key) => (p[key] === null || p[key] === undefined ? null : f.text(key)),
    texts: (key) => {
      const v = p[key];
      if (v === null || v === undefined) return [];
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : wrong(key, 'a list of text');
    },
    number: (key) => num(p[key]) ?? wrong(key, 'a number'),
    flag: (key) => (p[key] === null || p[key] === undefined ? false : typeof p[key] === 'boolean' ? (p[key] as boolean) : wrong(key, 'true or false')),
    numberOrNull: (key) => (p[key] === null || p[key] === undefined ? null : f.number(key)),
    instant: (key) => {
      const v = p[key];
      if (v === null || v === undefined) return '';
      // Cypher's toString(datetime) has nanoseconds and an offset; Ripple answers with JavaScript's ISO form.
      const ms = typeof v === 'string' ? Date.parse(v) : Date.parse(toIso(v));
      return Number.isNaN(ms) ? wrong(key, 'an instant') : new Date(ms).toISOString();
    },
    instantOrNull: (key) => (p[key] === null || p[key] === undefined ? null : f.instant(key)),
  };
  return f;
}
