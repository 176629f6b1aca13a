// Owns logging: one pino root, JSON to stdout; modules take a child (`log.child({ module: 'ingest' })`).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { app: 'ripple' },
    redact: { paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization'], remove: true },
  });
}
