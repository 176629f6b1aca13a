// Owns Ripple's configuration: the environment parsed once by zod into one frozen Config.
// Nothing else reads process.env, so every setting and its default is found here.
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*[kKmMgG]?[bB]?$/, 'a size like 512m or 2g')
  .transform(parseByteSize);

const port = z.coerce.number().int().min(0).max(65535);

const schema = z
  .object({
    PORT: port.default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    NEO4J_URI: z
      .string()
      .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'a bolt:// or neo4j:// URI (optionally +s or +ssc)')
      .optional(),
    NEO4J_USERNAME: z.string().min(1).default('neo4j'),
    NEO4J_PASSWORD: z.string().min(1).optional(),
    NEO4J_DATABASE: z.string().min(1).default('neo4j'),
    NEO4J_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    RIPPLE_DATA_DIR: z.string().min(1).default(path.join(repoRoot, '.ripple')),
    RIPPLE_CACHE_DIR: z.string().min(1).optional(),
    XDG_CACHE_HOME: z.string().min(1).optional(),
    RIPPLE_NEO4J_VERSION: z.string().regex(/^5\.\d+\.\d+$/, 'a Neo4j 5 version such as 5.26.30').default('5.26.30'),
    RIPPLE_NEO4J_HEAP: byteSize.default(parseByteSize('1g')),
    RIPPLE_NEO4J_PAGECACHE: byteSize.default(parseByteSize('1g')),
    RIPPLE_NEO4J_START_TIMEOUT_MS: z.coerce.number().int().positive().default(180_000),
    RIPPLE_SEED: z.enum(['auto', 'never']).default('auto'),
    RIPPLE_SEED_SIZE: z.coerce.number().int().min(10).max(200_000).default(300),
    RIPPLE_MAX_BODY_BYTES: byteSize.default(parseByteSize('5m')),
    RIPPLE_MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(50).default(12),
    RIPPLE_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(5_000),
    RIPPLE_MAX_TRAVERSAL_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
    RIPPLE_WEB_DIR: z.string().min(1).default(path.join(repoRoot, 'web/dist')),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.NEO4J_URI && !v.NEO4J_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['NEO4J_PASSWORD'], message: 'is required when NEO4J_URI is set' });
    }
  });

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Set when an external Neo4j is used; absent means Ripple starts its own local one. */
  readonly neo4j: { uri: string; username: string; password: string; database: string } | undefined;
  readonly neo4jDatabase: string;
  readonly neo4jConnectTimeoutMs: number;
  readonly dataDir: string;
  readonly cacheDir: string;
  readonly local: { version: string; heapBytes: number; pagecacheBytes: number; startTimeoutMs: number };
  readonly seed: { mode: 'auto' | 'never'; size: number };
  readonly limits: { maxBodyBytes: number; maxQueryDepth: number; maxBatch: number; maxTraversalDepth: number };
  readonly webDir: string;
  /** NODE_ENV=production: answers leave out what only helps a developer. */
  readonly production: boolean;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (a blank line in an env file), not "invalid".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const given = cleaned[variable];
    const shown = variable.includes('PASSWORD') || given === undefined ? '' : ` (got "${given}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const v = parsed.data;
  const cacheBase = v.RIPPLE_CACHE_DIR ?? path.join(v.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'ripple');
  return Object.freeze({
    port: v.PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    neo4j: v.NEO4J_URI
      ? { uri: v.NEO4J_URI, username: v.NEO4J_USERNAME, password: v.NEO4J_PASSWORD!, database: v.NEO4J_DATABASE }
      : undefined,
    neo4jDatabase: v.NEO4J_DATABASE,
    neo4jConnectTimeoutMs: v.NEO4J_CONNECT_TIMEOUT_MS,
    dataDir: path.resolve(v.RIPPLE_DATA_DIR),
    cacheDir: path.resolve(cacheBase),
    local: {
      version: v.RIPPLE_NEO4J_VERSION,
      heapBytes: v.RIPPLE_NEO4J_HEAP,
      pagecacheBytes: v.RIPPLE_NEO4J_PAGECACHE,
      startTimeoutMs: v.RIPPLE_NEO4J_START_TIMEOUT_MS,
    },
    seed: { mode: v.RIPPLE_SEED, size: v.RIPPLE_SEED_SIZE },
    limits: {
      maxBodyBytes: v.RIPPLE_MAX_BODY_BYTES,
      maxQueryDepth: v.RIPPLE_MAX_QUERY_DEPTH,
      maxBatch: v.RIPPLE_MAX_BATCH,
      maxTraversalDepth: v.RIPPLE_MAX_TRAVERSAL_DEPTH,
    },
    webDir: path.resolve(v.RIPPLE_WEB_DIR),
    production: v.NODE_ENV === 'production',
  });
}

export function parseByteSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * mult);
}
