// Checks and coerces CI attribute values against the class model, and parses/prints redundancy rules.
import { isIP } from 'node:net';
import type { AttributeDef, AttributeValue, ClassModel, Redundancy } from './types';

export interface AttributeError {
  field: string;
  reason: string;
}

export type ValidateAttributesResult =
  | { ok: true; value: Record<string, AttributeValue> }
  | { ok: false; errors: AttributeError[] };

export interface ValidateAttributesOptions {
  /** An update: missing required attributes are not errors (an explicit null on a required one still is). */
  partial?: boolean;
  /** Accept read-only attributes (id, class, createdAt, updatedAt), e.g. when re-validating stored data. */
  allowReadOnly?: boolean;
}

const REDUNDANCY = /^\s*(all|any|atleast|percent)\s*(?::\s*([0-9]+(?:\.[0-9]+)?)\s*)?$/i;

/** Parses `all`, `any`, `atLeast:K` (K integer >= 1) or `percent:P` (0 < P <= 100); throws on anything else. */
export function parseRedundancy(s: string): Redundancy {
  const r = tryParseRedundancy(s);
  if (!r) throw new Error(`Invalid redundancy "${s}": expected all, any, atLeast:K (K >= 1) or percent:P (0 < P <= 100)`);
  return r;
}

export function tryParseRedundancy(s: string): Redundancy | undefined {
  const m = REDUNDANCY.exec(s);
  if (!m) return undefined;
  const kind = m[1]!.toLowerCase();
  const num = m[2] === undefined ? undefined : Number(m[2]);
  if (kind === 'all' || kind === 'any') return num === undefined ? { kind } : undefined;
  if (num === undefined) return undefined;
  if (kind === 'atleast') return Number.isInteger(num) && num >= 1 ? { kind: 'atLeast', k: num } : undefined;
  return num > 0 && num <= 100 ? { kind: 'percent', p: num } : undefined;
}

export function formatRedundancy(r: Redundancy): string {
  switch (r.kind) {
    case 'all': return 'all';
    case 'any': return 'any';
    case 'atLeast': return `atLeast:${r.k}`;
    case 'percent': return `percent:${r.p}`;
  }
}

/** IPv4 or IPv6, as Node's own parser reads them (no leading zeros, no prefix length, one `::`). */
export function isIpAddress(s: string): boolean {
  return isIP(s) !== 0;
}

type Coerced = { value: AttributeValue } | { reason: string };

function coerce(def: AttributeDef, input: unknown): Coerced {
  if (input === null) return { value: null };
  if (typeof input === 'string' && def.type !== 'stringList') {
    const trimmed = input.trim();
    if (trimmed === '') return { value: null };
    input = trimmed;
  }
  switch (def.type) {
    case 'string':
      if (typeof input === 'string') return { value: input };
      if (typeof input === 'number' && Number.isFinite(input)) return { value: String(input) };
      return { reason: 'must be a string' };
    case 'int':
    case 'float': {
      const n = typeof input === 'number' ? input : typeof input === 'string' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(input) ? Number(input) : NaN;
      if (!Number.isFinite(n)) return { reason: `must be ${def.type === 'int' ? 'an integer' : 'a number'}` };
      if (def.type === 'int' && !Number.isInteger(n)) return { reason: 'must be an integer' };
      if (def.min !== undefined && n < def.min) return { reason: `must be at least ${def.min}` };
      if (def.max !== undefined && n > def.max) return { reason: `must be at most ${def.max}` };
      return { value: n };
    }
    case 'boolean':
      if (typeof input === 'boolean') return { value: input };
      if (input === 'true' || input === 'false') return { value: input === 'true' };
      return { reason: 'must be true or false' };
    case 'datetime': {
      const d = input instanceof Date ? input : typeof input === 'string' && /^\d{4}-\d{2}-\d{2}/.test(input) ? new Date(input) : undefined;
      if (!d || Number.isNaN(d.getTime())) return { reason: 'must be an ISO 8601 date-time' };
      return { value: d.toISOString() };
    }
    case 'enum': {
      const values = def.values ?? [];
      const match = typeof input === 'string'
        ? values.find((v) => v === input) ?? values.find((v) => v.toLowerCase() === input.toLowerCase())
        : undefined;
      return match !== undefined ? { value: match } : { reason: `must be one of ${values.join(', ')}` };
    }
    case 'stringList': {
      if (!Array.isArray(input) || !input.every((x) => typeof x === 'string')) return { reason: 'must be a list of strings' };
      return { value: input.map((x: string) => x.trim()).filter((x) => x !== '') };
    }
    case 'redundancy': {
      const r = typeof input === 'string' ? tryParseRedundancy(input) : redundancyFromObject(input);
      return r ? { value: formatRedundancy(r) } : { reason: 'must be all, any, atLeast:K (K >= 1) or percent:P (0 < P <= 100)' };
    }
    case 'ip':
      return typeof input === 'string' && isIpAddress(input) ? { value: input } : { reason: 'must be an IPv4 or IPv6 address' };
    case 'url':
      if (typeof input !== 'string' || !URL.canParse(input)) return { reason: 'must be an absolute URL' };
      return { value: input };
    case 'endpoint': {
      const e = typeof input === 'string' ? parseEndpoint(input) : undefined;
      return e ? { value: e } : { reason: 'must be host:port (a DNS name or IP, [IPv6] in brackets, and a port 1-65535)' };
    }
  }
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/;

/**
 * `host:port` in one canonical spelling (host lower-case, no trailing dot), so that one managed store sent by two
 * discovery sources as `DB.example.com.:5432` and `db.example.com:5432` is identified as one CI.
 */
export function parseEndpoint(s: string): string | undefined {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] !== undefined) return isIP(m[1]) === 6 ? `[${m[1].toLowerCase()}]:${port}` : undefined;
  const host = m[2]!.toLowerCase().replace(/\.$/, '');
  return isIP(host) === 4 || DNS_NAME.test(host) ? `${host}:${port}` : undefined;
}

/** Accepts `{ atLeast: 2 }`, `{ percent: 50 }` or a Redundancy object, as YAML/JSON writers tend to send. */
function redundancyFromObject(input: unknown): Redundancy | undefined {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const o = input as Record<string, unknown>;
  if (o.kind === 'all' || o.kind === 'any') return tryParseRedundancy(o.kind);
  if (o.kind === 'atLeast' && typeof o.k === 'number') return tryParseRedundancy(`atLeast:${o.k}`);
  if (o.kind === 'percent' && typeof o.p === 'number') return tryParseRedundancy(`percent:${o.p}`);
  const keys = Object.keys(o);
  if (keys.length === 1 && (keys[0] === 'atLeast' || keys[0] === 'percent') && typeof o[keys[0]] === 'number') {
    return tryParseRedundancy(`${keys[0]}:${o[keys[0]] as number}`);
  }
  return undefined;
}

/**
 * Validates attributes (common and class ones) of a CI of `className`. Values are coerced to their canonical form:
 * numeric strings to numbers, enums to their declared spelling, datetimes to ISO strings, redundancy to `atLeast:2`
 * style; blank strings become null. `undefined` values are treated as absent. Unknown classes throw.
 */
export function validateAttributes(
  model: ClassModel,
  className: string,
  attrs: Record<string, unknown>,
  opts: ValidateAttributesOptions = {},
): ValidateAttributesResult {
  const defs = new Map(model.attributesOf(className).map((d) => [d.name, d]));
  const errors: AttributeError[] = [];
  const value: Record<string, AttributeValue> = {};
  for (const [field, raw] of Object.entries(attrs)) {
    if (raw === undefined) continue;
    const def = defs.get(field);
    if (!def) {
      errors.push({ field, reason: `is not an attribute of ${className}` });
      continue;
    }
    if (def.readOnly && !opts.allowReadOnly) {
      errors.push({ field, reason: 'is maintained by Ripple and cannot be set' });
      continue;
    }
    const res = coerce(def, raw);
    if ('reason' in res) errors.push({ field, reason: res.reason });
    else if (res.value === null && def.required) errors.push({ field, reason: `is required for ${className}` });
    else value[field] = res.value;
  }
  if (!opts.partial) {
    for (const def of defs.values()) {
      if (def.required && !def.readOnly && attrs[def.name] === undefined) {
        errors.push({ field: def.name, reason: `is required for ${className}` });
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}
