// Owns the per-caller request rate limit: a fixed budget of requests per minute for each caller, answered with
// 429 and Retry-After beyond it, so one careless script cannot crowd out everyone else; and a ceiling on refused
// credentials per client address, so a caller inventing a new bearer for each request (each a budget of its own,
// each a token lookup) is stopped by where it comes from. Behind a load balancer the client's address is read
// from X-Forwarded-For, but only through proxies the operator names (RIPPLE_TRUSTED_PROXIES).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Plugin } from 'graphql-yoga';

export interface CallerHints {
  /** The client's network address, as the socket reports it. */
  address: string | undefined;
  /** The request's Authorization header, if any. */
  authorization: string | null;
}

/**
 * Who a request counts against: the credential it presents (a token's or a JWT's digest, so the limit follows the
 * caller and never holds the secret), else its address. Fifty importers on one host each get their own budget;
 * callers without credentials share their address's. A request with a made-up bearer is refused by
 * authentication right after this, so the budget it is counted against does not widen what it can do.
 */
export function callerKey(hints: CallerHints): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(hints.authorization?.trim() ?? '')?.[1];
  if (bearer) return `cred:${createHash('sha256').update(bearer).digest('base64url').slice(0, 22)}`;
  return `addr:${hints.address ?? 'unknown'}`;
}

/** The client's address: the socket's peer, or what trusted proxies in front of Ripple say it is. */
export function clientAddress(trustedProxies: readonly string[]): (req: IncomingMessage) => string | undefined {
  const trust = proxyaddr.compile([...trustedProxies]);
  return (req) => (req.socket.remoteAddress ? proxyaddr(req, trust) : undefined);
}

export interface RateLimits {
  perMinute: number;
  /** Refused credentials (401s) per minute per address; beyond it, that address's credentials are not looked up. */
  authFailuresPerMinute: number;
}

export function rateLimitPlugin(limits: RateLimits): Plugin<object, { remoteAddress?: string }> {
  const requests = new RateLimiterMemory({ points: limits.perMinute, duration: 60 });
  const refusals = new RateLimiterMemory({ points: limits.authFailuresPerMinute, duration: 60 });
  return {
    onRequest: async ({ request, serverContext, endResponse, fetchAPI }) => {
      const address = serverContext?.remoteAddress ?? 'unknown';
      const authorization = request.headers.get('authorization');
      if (authorization && limits.authFailuresPerMinute > 0) {
        const seen = await refusals.get(address);
        if (seen && seen.remainingPoints <= 0) {
          const retryAfter = Math.max(1, Math.ceil(seen.msBeforeNext / 1000));
          return endResponse(tooMany(fetchAPI, 'AUTH_FAILURES', `more than ${limits.authFailuresPerMinute} refused credentials a minute from this address; retry in ${retryAfter} s`, retryAfter));
        }
      }
      if (limits.perMinute <= 0) return;
      try {
        await requests.consume(callerKey({ address, authorization }));
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        endResponse(tooMany(fetchAPI, 'RATE_LIMITED', `more than ${limits.perMinute} requests a minute from this caller; retry in ${retryAfter} s`, retryAfter));
      }
    },
    onResponse: async ({ response, serverContext }) => {
      if (response.status !== 401 || limits.authFailuresPerMinute <= 0) return;
      await refusals.consume(serverContext?.remoteAddress ?? 'unknown').catch((e: unknown) => {
        if (!(e instanceof RateLimiterRes)) throw e;
      });
    },
  };
}

function tooMany(fetchAPI: { Response: typeof Response }, code: string, message: string, retryAfter: number): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code, retryAfter } }] }), {
    status: 429,
    headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfter) },
  });
}
