// Owns what is derived from a CI's data without I/O: minted ids, identification keys (one per rule the item
// carries), and the text the full-text index searches.
import { randomUUID } from 'node:crypto';
import type { AttributeValue, ClassModel } from '../class-model/types';

/**
 * Time-ordered, unguessable ids: 11 hex chars of milliseconds (10 ran out in 2004; 11 last until 2527) and 12 of
 * randomness. The randomness is the first 12 hex digits of a random UUID, all random bits (the version digit comes
 * later): Node draws UUIDs from a pooled buffer, where randomBytes(6) went to OpenSSL once per id (a 1,000-CI batch
 * mints 1,000).
 */
export function mintId(prefix: 'ci' | 'team' | 'run' | 'hist' | 'inc' | 'chg' | 'prb' | 'frz' | 'scm' | 'mw'): string {
  const uuid = randomUUID();
  return `${prefix}_${Date.now().toString(16).padStart(11, '0')}${uuid.slice(0, 8)}${uuid.slice(9, 13)}`;
}

export interface IdentKey {
  /** Index of the rule in the class's ordered identification rules. */
  rule: number;
  key: string;
}

/** An identifying value as identification compares it: trimmed, lower-case, lists joined. */
export function normalizeIdentValue(v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => String(x).trim().toLowerCase()).join(',');
  return String(v).trim().toLowerCase();
}

/**
 * Identification keys for an item of `className` with these values, in rule order. A rule contributes a key
 * only when the item carries all its attributes; a scoped rule also needs the parent's id. Keys are namespaced
 * by the class that declares the rule, so a LinuxServer and a WindowsServer share the Server rules.
 */
export function identificationKeys(
  model: ClassModel,
  className: string,
  values: Record<string, AttributeValue | undefined>,
  parentId?: string,
): IdentKey[] {
  const keys: IdentKey[] = [];
  model.identificationRules(className).forEach((rule, i) => {
    const parts: string[] = [];
    for (const a of rule.attributes) {
      const v = values[a];
      if (v === undefined || v === null || v === '') return;
      parts.push(`${a}=${normalizeIdentValue(v)}`);
    }
    if (rule.scope) {
      if (!parentId) return;
      parts.push(`within=${parentId}`);
    }
    keys.push({ rule: i, key: `${rule.declaredBy}|${parts.join('|')}` });
  });
  return keys;
}

/**
 * Why an item carries no identification key, as the attribute to send and a reason: the first rule the item
 * half-carries names its first missing attribute (a hostname without a domain asks for the domain); an item
 * that carries none of any rule names the first rule's first attribute.
 */
export function missingIdentification(
  model: ClassModel,
  className: string,
  values: Record<string, AttributeValue | undefined>,
): { attribute: string; reason: string } {
  const rules = model.identificationRules(className);
  const has = (a: string) => values[a] !== undefined && values[a] !== null && values[a] !== '';
  const options = rules.map((r) => r.attributes.join(' + ')).join(' or ');
  const partial = rules.find((r) => r.attributes.some(has) && !r.attributes.every(has));
  if (partial) {
    const sent = partial.attributes.filter(has);
    const missing = partial.attributes.filter((a) => !has(a));
    return {
      attribute: missing[0]!,
      reason: `${sent.join(' and ')} identifies a ${className} only with ${missing.join(' and ')}: send ${missing.join(' and ')}, or another identification (${options})`,
    };
  }
  return { attribute: rules[0]?.attributes[0] ?? 'name', reason: `carries no identification for a ${className}: send ${options}` };
}

/** Name, description and the string attributes a person would search by (hostnames, IPs, images...). */
export function searchText(name: string, description: string | null | undefined, attrs: Record<string, AttributeValue>): string {
  const words = [name, description ?? ''];
  for (const v of Object.values(attrs)) {
    if (typeof v === 'string') words.push(v);
    else if (Array.isArray(v)) words.push(...v);
  }
  // Split dotted/dashed identifiers too, so "db-01.prod.example.com" is found by "db" or "prod".
  const extra = words.flatMap((w) => w.split(/[.\-_/:]+/)).filter((w) => w.length > 1);
  return [...new Set([...words, ...extra].filter(Boolean))].join(' ');
}
