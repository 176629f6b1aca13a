// Owns the per-caller request rate limit: a fixed budget of requests per minute for each caller, answered with
// 429 and Retry-After beyond it, so one careless script cannot crowd out everyone else.
import { createHash } from 'node:crypto';
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

export function rateLimitPlugin(perMinute: number): Plugin<object, { remoteAddress?: string }> {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    onRequest: async ({ request, serverContext, endResponse, fetchAPI }) => {
      if (perMinute <= 0) return;
      try {
        await limiter.consume(callerKey({ address: serverContext?.remoteAddress, authorization: request.headers.get('authorization') }));
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const retryAfter = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        const body = {
          errors: [{ message: `more than ${perMinute} requests a minute from this caller; retry in ${retryAfter} s`, extensions: { code: 'RATE_LIMITED', retryAfter } }],
        };
        endResponse(
          new fetchAPI.Response(JSON.stringify(body), {
            status: 429,
            headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfter) },
          }),
        );
      }
    },
  };
}
