// Owns the HTTP surface on one port: /graphql (Yoga), /healthz and /readyz, and the built web app at /.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import sirv from 'sirv';
import type { Logger } from '../log';
import type { Db } from '../neo4j/db';
import { ping } from '../neo4j/repositories/system-repository';
import type { RippleYoga } from './yoga';

export interface HttpDeps {
  yoga: RippleYoga;
  db: Db;
  log: Logger;
  webDir: string;
  maxBodyBytes: number;
  /** True while the demo estate is being seeded: the API serves (the seed goes through it) but is not ready. */
  isSeeding?: () => boolean;
}

export function createHttpServer(deps: HttpDeps): Server {
  const log = deps.log.child({ module: 'http' });
  const hasWeb = existsSync(path.join(deps.webDir, 'index.html'));
  const statics = hasWeb ? sirv(deps.webDir, { single: true, etag: true, dev: false }) : undefined;

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') return ready(res);
    if (url.pathname === '/graphql') return graphql(req, res, url);
    if (statics) return statics(req, res, () => sendJson(res, 404, { error: 'not found' }));
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: run `npm run build:web` (npm start does it for you).\n');
  }

  async function ready(res: ServerResponse): Promise<void> {
    try {
      await deps.db.read(ping);
      if (deps.isSeeding?.()) sendJson(res, 503, { status: 'seeding', neo4j: 'ok', detail: 'the demo estate is being loaded' });
      else sendJson(res, 200, { status: 'ready', neo4j: 'ok' });
    } catch (e) {
      sendJson(res, 503, { status: 'unavailable', neo4j: (e as Error).message.split('\n')[0] });
    }
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
    const response = await deps.yoga.fetch(url, {
      method: req.method ?? 'GET',
      headers,
      // Bytes, not a string: a string body would make fetch add `text/plain` when the caller sent no content type.
      ...(body ? { body: new Uint8Array(body) } : {}),
    });
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
