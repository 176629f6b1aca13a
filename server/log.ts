// Owns logging: one pino root, JSON to stdout; modules take a child (`log.child({ module: 'ingest' })`). Every
// line written while a request is served carries that request's id, whichever logger wrote it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

/** The request being served on this async path; the HTTP server enters it for each request. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'ripple' },
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { requestId: scope.requestId } : {};
    },
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'], remove: true },
  });
}
