// Owns the bounds on free-form JSON input (class attribute values): how deep it nests and how large it is, checked
// without recursion so a value nested ten thousand deep cannot exhaust the stack that checks it.

/** A string inside is bounded too: attribute values take part in identification keys, which Neo4j indexes. */
export const JSON_LIMITS = { maxDepth: 16, maxChars: 65_536, maxString: 1_000 } as const;

/** Why `value` is out of bounds, or undefined when it is within them. */
export function jsonBoundsViolation(value: unknown, limits: { maxDepth: number; maxChars: number; maxString: number } = JSON_LIMITS): string | undefined {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 0 }];
  let chars = 0;
  while (stack.length) {
    const { v, depth } = stack.pop()!;
    if (depth > limits.maxDepth) return `nests deeper than ${limits.maxDepth} levels`;
    if (typeof v === 'string') {
      if (v.length > limits.maxString) return `holds a text longer than ${limits.maxString} characters`;
      chars += v.length + 2;
    }
    else if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v);
      for (const [k, x] of entries) {
        chars += k.length + 1;
        stack.push({ v: x, depth: depth + 1 });
      }
    } else chars += String(v).length;
    if (chars > limits.maxChars) return `is larger than ${limits.maxChars} characters`;
  }
  return undefined;
}
