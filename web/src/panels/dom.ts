// Tiny DOM helpers: build elements with text content only (never innerHTML with data), so names are safe.

type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

export function fmtJson(v: unknown): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function fmtDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 16);
}

/**
 * A name cut after each dot, slash, colon or underscore, so `ApplicationService.criticality` may wrap between its
 * parts and nowhere inside a word (the CSS lets a line break only there and at spaces and hyphens).
 */
export function nameParts(text: string): string[] {
  return text.split(/(?<=[./:_])(?=[^./:_])/);
}

/** The text with a <wbr> at each of nameParts' cuts. */
export function breakable(text: string): Node[] {
  return nameParts(text).flatMap((part, i) => (i ? [document.createElement('wbr'), document.createTextNode(part)] : [document.createTextNode(part)]));
}
