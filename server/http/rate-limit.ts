// Owns the per-caller request rate limit: a fixed budget of requests per minute for each caller, answered with
// 429 and Retry-After beyond it, so one careless script cannot crowd out everyone else.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Plugin } from 'graphql-yoga';

export interface CallerHints {
  /** The client's network address, as the socket reports it. */
  address: string | undefined;
}

/**
 * Who a request counts against. Until callers are authenticated this is their address; once identity lands
 * (a principal in the GraphQL context), key by the principal's id here and fall back to the address only for
 * callers without one. This is the one function to change.
 */
export function callerKey(hints: CallerHints): string {
  return `addr:${hints.address ?? 'unknown'}`;
}

export function rateLimitPlugin(perMinute: number): Plugin<object, { remoteAddress?: string }> {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    onRequest: async ({ serverContext, endResponse, fetchAPI }) => {
      if (perMinute <= 0) return;
      try {
        await limiter.consume(callerKey({ address: serverContext?.remoteAddress }));
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
