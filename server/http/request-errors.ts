// Owns the answers to requests that never reach execution: a body of the wrong media type, a body that is not
// JSON or is a JSON array, and a query nested deeper than the limit. Each says what is wrong, where (line and
// column), and what to send instead, and none echoes parser internals.
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, Kind, type FieldNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SEND = 'send one operation as a JSON object: {"query": "...", "variables": {...}}';
// What Yoga parses on POST; anything else would get its bare 415.
const ACCEPTED = ['application/json', 'application/graphql+json', 'application/graphql', 'application/x-www-form-urlencoded', 'multipart/form-data'];

function requestError(message: string, status: number, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status }, ...extensions } });
}

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Line and column (1-based) of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Parses a JSON body into one operation's parameters, with an error that points at the mistake. */
export async function parseJsonBody(request: Request, production: boolean): Promise<Record<string, unknown>> {
  const text = await request.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    const position = /at position (\d+)/.exec((e as Error).message)?.[1];
    const where = position === undefined ? '' : (({ line, column }) => ` at line ${line}, column ${column}`)(lineAndColumn(text, Number(position)));
    // The parser's own words quote the body back; outside production they help, so they go in an extension.
    const detail = production ? {} : { parserMessage: (e as Error).message.split(', "')[0] };
    throw requestError(`the request body is not valid JSON${where}: ${SEND}`, 400, 'BAD_REQUEST', detail);
  }
  if (Array.isArray(body)) throw requestError(`the request body is a JSON array; batching is not supported: ${SEND}`, 400, 'BAD_REQUEST');
  if (body === null || typeof body !== 'object') throw requestError(`the request body is JSON ${body === null ? 'null' : typeof body}, not an object: ${SEND}`, 400, 'BAD_REQUEST');
  return body as Record<string, unknown>;
}

/** Yoga plugin: 415 with a body naming the accepted media types; JSON bodies parsed by parseJsonBody. */
export function explainRejectedRequests(production: boolean): Plugin {
  return {
    onRequestParse: ({ request, requestParser, setRequestParser }) => {
      if (request.method !== 'POST') return;
      const type = mediaType(request);
      if (type === 'application/json' || type === 'application/graphql+json') {
        setRequestParser((r) => parseJsonBody(r, production));
        return;
      }
      if (requestParser) return;
      const sent = type ? `"${type}"` : 'no content type';
      throw requestError(`a POST to /graphql with ${sent} cannot be read; send Content-Type: application/json (accepted: ${ACCEPTED.join(', ')})`, 415, 'UNSUPPORTED_MEDIA_TYPE', { accepted: ACCEPTED });
    },
  };
}

/** The first field (in document order) nested deeper than `limit`, fragments counted where they are spread. */
function firstTooDeep(ctx: ValidationContext, set: SelectionSetNode, level: number, limit: number, seen: Set<string>): FieldNode | undefined {
  for (const sel of set.selections) {
    let found: FieldNode | undefined;
    if (sel.kind === Kind.FIELD) {
      if (level + 1 > limit) return sel;
      if (sel.selectionSet) found = firstTooDeep(ctx, sel.selectionSet, level + 1, limit, seen);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      found = firstTooDeep(ctx, sel.selectionSet, level, limit, seen);
    } else if (!seen.has(sel.name.value)) {
      const fragment = ctx.getFragment(sel.name.value);
      if (fragment) found = firstTooDeep(ctx, fragment.selectionSet, level, limit, new Set([...seen, sel.name.value]));
    }
    if (found) return found;
  }
  return undefined;
}

/** graphql-armor's depth limit, reported at the first field too deep rather than as a location-less syntax error. */
export function depthLimit(limit: number) {
  return maxDepthPlugin({
    n: limit,
    flattenFragments: true,
    propagateOnRejection: false,
    onReject: [
      (ctx) => {
        if (!ctx) return;
        const operations = ctx.getDocument().definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
        const field = operations.map((op) => firstTooDeep(ctx, op.selectionSet, 0, limit, new Set())).find(Boolean);
        const message = `the query nests ${field ? `"${field.name.value}"` : 'a field'} deeper than the limit of ${limit} levels (RIPPLE_MAX_QUERY_DEPTH): select fewer levels, or query again from a deeper node`;
        ctx.reportError(new GraphQLError(message, { nodes: field ? [field] : [], extensions: { code: 'DEPTH_LIMIT', limit } }));
      },
    ],
  });
}
