// Owns the HTTP surface on one port: /graphql (Yoga), /healthz and /readyz, /metrics, /auth/config, and the built
// web app at /; every response carries the security headers and the request's id (x-request-id).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import sirv from 'sirv';
import { requestScope, type Logger } from '../log';
import { metrics } from '../metrics';
import { holds } from '../domain/auth/roles';
import { RippleError } from '../errors';
import type { Authenticator } from '../services/authenticate';
import type { DemoPerson } from '../services/demo-people';
import { securityHeaders } from './security';
import type { Db } from '../neo4j/db';
import type { Neo4jGuard } from '../neo4j/guard';
import type { RippleYoga } from './yoga';

export interface HttpDeps {
  yoga: RippleYoga;
  db: Db;
  /** Neo4j's health as Ripple sees it; /readyz reports it. */
  guard: Neo4jGuard;
  log: Logger;
  webDir: string;
  maxBodyBytes: number;
  auth: Authenticator;
  demoPeople: DemoPerson[];
  /** True while the demo estate is being seeded: the API serves (the seed goes through it) but is not ready. */
  isSeeding?: () => boolean;
  /** Who the client is, network-wise (server/http/rate-limit.ts clientAddress); default: the socket's peer. */
  clientAddress?: (req: IncomingMessage) => string | undefined;
}

const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/auth/config']);
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function createHttpServer(deps: HttpDeps): Server {
  const log = deps.log.child({ module: 'http' });
  const hasWeb = existsSync(path.join(deps.webDir, 'index.html'));
  const statics = hasWeb ? sirv(deps.webDir, { single: true, etag: true, dev: false }) : undefined;

  const secure = securityHeaders(deps.auth.config);

  return createServer((req, res) => {
    // A caller's own id is kept when it is a plain token (a proxy's trace id); anything else gets a fresh one.
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    requestScope.run({ requestId }, () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      secure(res, url.pathname);
      res.on('finish', () => metrics.httpRequests.inc({ route: ROUTES.has(url.pathname) ? url.pathname : 'web', status: String(res.statusCode) }));
      handle(req, res, url).catch((err: unknown) => {
        // A client hanging up mid-request is ordinary traffic, not a fault of Ripple's.
        if (req.destroyed || isDisconnect(err)) log.debug({ err }, 'client went away');
        else log.error({ err }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return ready(res);
    if (url.pathname === '/graphql') return graphql(req, res, url);
    if (url.pathname === '/metrics') return metricsPage(req, res);
    if (url.pathname === '/auth/config') return sendJson(res, 200, authConfig());
    if (statics) return statics(req, res, () => sendJson(res, 404, { error: 'not found' }));
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: run `npm run build:web` (npm start does it for you).\n');
  }

  /** Counts only, but still not for anyone outside demo mode: Prometheus scrapes with a viewer token. */
  async function metricsPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const who = await deps.auth.identify(req.headers.authorization ?? null);
      if (!who) return sendJson(res, 401, { error: 'UNAUTHENTICATED: /metrics needs a bearer token with role viewer' });
      if (!holds(who, 'viewer')) return sendJson(res, 403, { error: 'FORBIDDEN: /metrics needs role viewer' });
    } catch (e) {
      if (e instanceof RippleError) return sendJson(res, 401, { error: e.message });
      throw e;
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  }

  /** What the web view's sign-in needs; demo people's tokens only in demo mode, where anyone here is admin anyway. */
  function authConfig() {
    const { mode, oidc } = deps.auth.config;
    return {
      mode,
      oidc: oidc?.clientId ? { issuer: oidc.issuer, clientId: oidc.clientId, audience: oidc.audience } : null,
      demoPeople: mode === 'demo' ? deps.demoPeople : [],
    };
  }

  /** Answers within a second in every state, with only what an operator acts on: is Neo4j answering, since when not. */
  async function ready(res: ServerResponse): Promise<void> {
    const health = deps.guard.state;
    if (health.state === 'down') return sendJson(res, 503, { status: 'unavailable', neo4j: 'down', since: health.since, reason: health.reason });
    const answers = await deps.guard.probe(deps.db.driver, deps.db.database);
    if (!answers) sendJson(res, 503, { status: 'unavailable', neo4j: 'not answering' });
    else if (deps.isSeeding?.()) sendJson(res, 503, { status: 'seeding', neo4j: 'ok', detail: 'the demo estate is being loaded' });
    else sendJson(res, 200, { status: 'ready', neo4j: 'ok' });
  }

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let body: Buffer | undefined;
    if (req.method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > deps.maxBodyBytes) return tooLarge(res, req);
      const read = await readBody(req, deps.maxBodyBytes);
      if (read === 'too-large') return tooLarge(res, req);
      body = read;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) {
      if (Array.isArray(v)) for (const x of v) headers.append(k, x);
      else if (v !== undefined) headers.set(k, v);
    }
    // Fires when the client hangs up before the answer is sent: the request's Neo4j transactions are stopped.
    const gone = new AbortController();
    res.on('close', () => !res.writableFinished && gone.abort());
    const response = await deps.yoga.fetch(
      url,
      {
        method: req.method ?? 'GET',
        headers,
        signal: gone.signal,
        // Bytes, not a string: a string body would make fetch add `text/plain` when the caller sent no content type.
        ...(body ? { body: new Uint8Array(body) } : {}),
      },
      { remoteAddress: deps.clientAddress ? deps.clientAddress(req) : req.socket.remoteAddress },
    );
    const outHeaders: Record<string, string> = {};
    response.headers.forEach((v, k) => (outHeaders[k] = v));
    res.writeHead(response.status, outHeaders);
    if (!response.body) return void res.end();
    // Yoga's body is a ponyfilled stream; async iteration works for both it and the native one.
    const stream = Readable.from(response.body as unknown as AsyncIterable<Uint8Array>);
    req.on('close', () => stream.destroy());
    stream.pipe(res);
  }

  function tooLarge(res: ServerResponse, req: IncomingMessage): void {
    sendJson(res, 413, {
      errors: [
        {
          message: `request body exceeds the limit of ${deps.maxBodyBytes} bytes (RIPPLE_MAX_BODY_BYTES); split the batch`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit: deps.maxBodyBytes },
        },
      ],
    });
    req.resume();
  }
}

function isDisconnect(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string } | null;
  return e?.code === 'ECONNRESET' || e?.code === 'EPIPE' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.name === 'AbortError' || e?.message === 'aborted';
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        resolve('too-large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !over && resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify(body));
}
