// Owns the request-wide input bounds that no single field declares: how deep brackets nest in the query text
// (checked before parsing, whose recursion a 2,000-deep literal overflows), and the longest string and list any
// argument or variable may carry. Fields with tighter rules (search text, names) check their own.
import { GraphQLError, Kind, visit, type ArgumentNode, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface InputBounds {
  /** Deepest nesting of (), [] and {} in the query text. */
  maxNesting: number;
  /** Longest string in any argument or variable. */
  maxString: number;
  /** Most entries in any list argument or variable (the batch limit). */
  maxList: number;
}

export const DEFAULT_INPUT_BOUNDS: InputBounds = { maxNesting: 64, maxString: 4096, maxList: 5000 };

/**
 * Tighter limits for fields that name things, by the field's name wherever it appears (argument or input field).
 * Names are indexed, and Neo4j refuses to index a value over about 8 kB ("property value is too large to index").
 */
export const NAME_LIMITS: Readonly<Record<string, number>> = {
  name: 256,
  nameContains: 256,
  title: 256,
  ref: 256,
  owner: 256,
  ownerTeamNames: 256,
  className: 128,
  classes: 128,
  source: 128,
  email: 320,
  onCall: 256,
  slackChannel: 256,
};

/** The longest string a field (the nearest name above the value, list positions aside) may hold. */
function limitOf(field: string, bounds: InputBounds): number {
  return Object.hasOwn(NAME_LIMITS, field) ? Math.min(bounds.maxString, NAME_LIMITS[field]!) : bounds.maxString;
}

/** The longest string `path` may hold: its own name's limit, or the general one. */
function stringLimit(path: string, bounds: InputBounds): number {
  return limitOf(/([A-Za-z_][A-Za-z0-9_]*)(?:\[\d+\])*$/.exec(path)?.[1] ?? '', bounds);
}

function inputError(field: string, reason: string): GraphQLError {
  return new GraphQLError(`${field}: ${reason}`, { extensions: { code: 'VALIDATION', field } });
}

/** Deepest bracket nesting outside strings and comments, read in one pass without recursion. */
export function bracketNesting(source: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"') i = skipString(source, i);
    else if (c === '#') i = endOfLine(source, i);
    else if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return max;
}

function endOfLine(source: string, start: number): number {
  const end = source.indexOf('\n', start);
  return end < 0 ? source.length : end;
}

function skipString(source: string, start: number): number {
  if (source.startsWith('"""', start)) {
    const end = source.indexOf('"""', start + 3);
    return end < 0 ? source.length : end + 2;
  }
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '"' || source[i] === '\n') return i;
  }
  return source.length;
}

/** A value met while walking a variable: the field it sits under (for its limit) and how it was reached (for the error). */
interface Visit {
  v: unknown;
  field: string;
  parent: Visit | undefined;
  step: string;
}

function pathOf(at: Visit): string {
  let path = '';
  for (let x: Visit | undefined = at; x; x = x.parent) path = x.step + path;
  return path;
}

/**
 * The first string or list over the bounds in a variable value, walked without recursion. A batch carries tens of
 * thousands of values, so a value's path is spelled out only for the error, not for every value on the way.
 */
export function oversizedValue(value: unknown, path: string, bounds: InputBounds): GraphQLError | undefined {
  const stack: Visit[] = [{ v: value, field: path.replace(/^\$/, ''), parent: undefined, step: path }];
  while (stack.length) {
    const at = stack.pop()!;
    const { v, field } = at;
    if (typeof v === 'string') {
      const limit = limitOf(field, bounds);
      if (v.length > limit) return inputError(pathOf(at), `must be at most ${limit} characters`);
    } else if (Array.isArray(v)) {
      if (v.length > bounds.maxList) return inputError(pathOf(at), `must have at most ${bounds.maxList} entries`);
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], field, parent: at, step: `[${i}]` });
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) stack.push({ v: (v as Record<string, unknown>)[k], field: k, parent: at, step: `.${k}` });
    }
  }
  return undefined;
}

function oversizedLiteral(arg: ArgumentNode, bounds: InputBounds): GraphQLError | undefined {
  const stack: Array<{ node: ValueNode; path: string }> = [{ node: arg.value, path: arg.name.value }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (node.kind === Kind.STRING && node.value.length > stringLimit(path, bounds)) return inputError(path, `must be at most ${stringLimit(path, bounds)} characters`);
    if (node.kind === Kind.LIST) {
      if (node.values.length > bounds.maxList) return inputError(path, `must have at most ${bounds.maxList} entries`);
      node.values.forEach((x, i) => stack.push({ node: x, path: `${path}[${i}]` }));
    }
    if (node.kind === Kind.OBJECT) for (const f of node.fields) stack.push({ node: f.value, path: `${path}.${f.name.value}` });
  }
  return undefined;
}

function oversizedInDocument(document: DocumentNode, bounds: InputBounds): GraphQLError | undefined {
  let found: GraphQLError | undefined;
  visit(document, {
    Argument(node) {
      found ??= oversizedLiteral(node, bounds);
    },
  });
  return found;
}

export function inputBoundsPlugin(bounds: InputBounds): Plugin {
  return {
    onParse: ({ params }) => {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      const nesting = bracketNesting(source);
      if (nesting > bounds.maxNesting) {
        // Stopping here keeps the recursive parser away from text that would overflow its stack.
        throw inputError('query', `nests brackets ${nesting} deep; at most ${bounds.maxNesting} are accepted`);
      }
    },
    onExecute: ({ args, setResultAndStopExecution }) => {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const error =
        Object.entries(variables).reduce<GraphQLError | undefined>((e, [name, v]) => e ?? oversizedValue(v, `$${name}`, bounds), undefined) ??
        oversizedInDocument(args.document, bounds);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
