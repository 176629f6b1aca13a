// Owns Ripple's configuration: the environment parsed once by zod into one frozen Config.
// Nothing else reads process.env, so every setting and its default is found here.
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from '../domain/change/approval-policy';
import { parseRoleMap, type Role } from '../domain/auth/roles';
import proxyaddr from 'proxy-addr';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*[kKmMgG]?[bB]?$/, 'a size like 512m or 2g')
  .transform(parseByteSize);

const policyRule = z.object({ approvers: z.number().int().min(1).max(10), businessServiceOwners: z.boolean() }).strict();
// A JSON object from risk level to rule; levels it leaves out keep the default rule.
const approvalPolicyJson = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.object({ LOW: policyRule, MEDIUM: policyRule, HIGH: policyRule, CRITICAL: policyRule }).partial().strict());
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
    // 50: as deep as impact analysis walks (MAX_IMPACT_DEPTH), so what impact reaches a traversal can show.
    RIPPLE_MAX_TRAVERSAL_DEPTH: z.coerce.number().int().min(1).max(50).default(50),
    RIPPLE_WEB_DIR: z.string().min(1).default(path.join(repoRoot, 'web/dist')),
    RIPPLE_APPROVAL_POLICY: approvalPolicyJson.optional(),
    RIPPLE_AUTH: z.enum(['on', 'demo']).optional(),
    RIPPLE_OIDC_ISSUER: z.url().optional(),
    RIPPLE_OIDC_AUDIENCE: z.string().min(1).optional(),
    RIPPLE_OIDC_JWKS_URI: z.url().optional(),
    RIPPLE_OIDC_ALGORITHMS: z
      .string()
      .regex(/^(RS|PS|ES)(256|384|512)(,(RS|PS|ES)(256|384|512))*$/, 'a comma list of asymmetric JWS algorithms such as RS256,ES256')
      .default('RS256,ES256'),
    RIPPLE_OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
    RIPPLE_OIDC_ROLE_MAP: z.string().optional(),
    RIPPLE_OIDC_SUBJECT_CLAIM: z.string().min(1).default('sub'),
    RIPPLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
    RIPPLE_CORS_ORIGINS: z
      .string()
      .regex(/^https?:\/\/[^,\s/]+(,https?:\/\/[^,\s/]+)*$/, 'a comma list of origins such as https://cmdb.example.com')
      .optional(),
    RIPPLE_GRAPHIQL: z.enum(['on', 'off']).optional(),
    RIPPLE_INTROSPECTION: z.enum(['on', 'off']).optional(),
    NODE_ENV: z.string().optional(),
    RIPPLE_MAX_QUERY_COST: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
    RIPPLE_CHEAP_QUERY_COST: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
    RIPPLE_TIMEOUT_CHEAP_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    RIPPLE_TIMEOUT_HEAVY_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
    RIPPLE_TIMEOUT_WRITE_MS: z.coerce.number().int().min(100).max(600_000).default(120_000),
    RIPPLE_CONCURRENCY_HEAVY: z.coerce.number().int().min(1).max(200).default(8),
    RIPPLE_CONCURRENCY_WRITE: z.coerce.number().int().min(1).max(200).default(8),
    RIPPLE_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(1_200),
    RIPPLE_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(30),
    RIPPLE_TRUSTED_PROXIES: z
      .string()
      .default('')
      .refine((s) => trustsProxies(s), { message: 'must be a comma-separated list of addresses, CIDR ranges or loopback / linklocal / uniquelocal' }),
    RIPPLE_REPORT_QUERY_COUNT: z.enum(['auto', 'on', 'off']).default('auto'),
    // on: impact is walked in this process's read model (server/services/impact-read-model.ts); off: in Neo4j.
    RIPPLE_IMPACT_READ_MODEL: z.enum(['on', 'off']).default('on'),
  })
  .superRefine((v, ctx) => {
    if (v.NEO4J_URI && !v.NEO4J_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['NEO4J_PASSWORD'], message: 'is required when NEO4J_URI is set' });
    }
    if (v.RIPPLE_OIDC_ISSUER && !v.RIPPLE_OIDC_AUDIENCE) {
      ctx.addIssue({ code: 'custom', path: ['RIPPLE_OIDC_AUDIENCE'], message: 'is required when RIPPLE_OIDC_ISSUER is set' });
    }
    if (v.RIPPLE_AUTH === 'demo' && v.RIPPLE_OIDC_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['RIPPLE_AUTH'], message: 'cannot be demo while RIPPLE_OIDC_ISSUER is set' });
    }
    const map = v.RIPPLE_OIDC_ROLE_MAP ? parseRoleMap(v.RIPPLE_OIDC_ROLE_MAP) : undefined;
    if (typeof map === 'string') ctx.addIssue({ code: 'custom', path: ['RIPPLE_OIDC_ROLE_MAP'], message: map });
  });

export interface OidcConfig {
  issuer: string;
  audience: string;
  /** Absent: read from the issuer's /.well-known/openid-configuration. */
  jwksUri: string | undefined;
  algorithms: string[];
  rolesClaim: string;
  roleMap: Map<string, Role[]> | undefined;
  subjectClaim: string;
  /** The web view's client for authorization code + PKCE; absent: people sign in with an API token. */
  clientId: string | undefined;
}

export interface AuthConfig {
  /** demo: no credentials needed, everyone on this machine is admin, loopback only. on: credentials required. */
  mode: 'demo' | 'on';
  oidc: OidcConfig | undefined;
  corsOrigins: string[];
  graphiql: boolean;
  introspection: boolean;
}

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
  readonly limits: { maxBodyBytes: number; maxQueryDepth: number; maxBatch: number; maxTraversalDepth: number; maxQueryCost: number };
  /** How requests share Neo4j: lanes with their own concurrency and transaction timeout (server/http/workload.ts). */
  readonly workload: {
    cheapCost: number;
    timeoutMs: { cheap: number; heavy: number; write: number };
    concurrency: { heavy: number; write: number };
  };
  /** Requests per minute per caller; 0 turns the limit off. */
  readonly rateLimitPerMinute: number;
  /** Refused credentials per minute per client address before that address's credentials are no longer looked up. */
  readonly authFailuresPerMinute: number;
  /** Proxies whose X-Forwarded-For names the client (proxy-addr's trust list); empty: the socket's peer is the client. */
  readonly trustedProxies: string[];
  /** Whether responses carry `extensions.cypherQueries` (tests and benchmarks read it; production hides it). */
  readonly reportQueryCount: boolean;
  /** Whether impact analysis walks the in-process read model rather than Neo4j. */
  readonly impactReadModel: boolean;
  readonly webDir: string;
  /** Which approvals a change needs at each risk level (server/domain/change/approval-policy.ts). */
  readonly approvalPolicy: ApprovalPolicy;
  readonly auth: AuthConfig;
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
      maxQueryCost: v.RIPPLE_MAX_QUERY_COST,
    },
    workload: {
      cheapCost: v.RIPPLE_CHEAP_QUERY_COST,
      timeoutMs: { cheap: v.RIPPLE_TIMEOUT_CHEAP_MS, heavy: v.RIPPLE_TIMEOUT_HEAVY_MS, write: v.RIPPLE_TIMEOUT_WRITE_MS },
      concurrency: { heavy: v.RIPPLE_CONCURRENCY_HEAVY, write: v.RIPPLE_CONCURRENCY_WRITE },
    },
    rateLimitPerMinute: v.RIPPLE_RATE_LIMIT,
    authFailuresPerMinute: v.RIPPLE_AUTH_FAILURE_LIMIT,
    trustedProxies: proxyList(v.RIPPLE_TRUSTED_PROXIES),
    reportQueryCount: v.RIPPLE_REPORT_QUERY_COUNT === 'on' || (v.RIPPLE_REPORT_QUERY_COUNT === 'auto' && v.NODE_ENV !== 'production'),
    impactReadModel: v.RIPPLE_IMPACT_READ_MODEL === 'on',
    webDir: path.resolve(v.RIPPLE_WEB_DIR),
    approvalPolicy: { ...DEFAULT_APPROVAL_POLICY, ...v.RIPPLE_APPROVAL_POLICY },
    auth: authConfig(v),
    production: v.NODE_ENV === 'production',
  });
}

function authConfig(v: z.infer<typeof schema>): AuthConfig {
  const mode = v.RIPPLE_AUTH ?? (v.RIPPLE_OIDC_ISSUER ? 'on' : 'demo');
  const oidc: OidcConfig | undefined = v.RIPPLE_OIDC_ISSUER
    ? {
        issuer: v.RIPPLE_OIDC_ISSUER,
        audience: v.RIPPLE_OIDC_AUDIENCE!,
        jwksUri: v.RIPPLE_OIDC_JWKS_URI,
        algorithms: v.RIPPLE_OIDC_ALGORITHMS.split(','),
        rolesClaim: v.RIPPLE_OIDC_ROLES_CLAIM,
        roleMap: v.RIPPLE_OIDC_ROLE_MAP ? (parseRoleMap(v.RIPPLE_OIDC_ROLE_MAP) as Map<string, Role[]>) : undefined,
        subjectClaim: v.RIPPLE_OIDC_SUBJECT_CLAIM,
        clientId: v.RIPPLE_OIDC_CLIENT_ID,
      }
    : undefined;
  const demo = mode === 'demo';
  return {
    mode,
    oidc,
    corsOrigins: v.RIPPLE_CORS_ORIGINS ? v.RIPPLE_CORS_ORIGINS.split(',') : [],
    graphiql: (v.RIPPLE_GRAPHIQL ?? (demo ? 'on' : 'off')) === 'on',
    introspection: (v.RIPPLE_INTROSPECTION ?? (demo ? 'on' : 'off')) === 'on',
  };
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function parseByteSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(s.trim());
  if (!m) throw new Error(`not a size: ${s}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * mult);
}

function proxyList(s: string): string[] {
  return s
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

function trustsProxies(s: string): boolean {
  try {
    proxyaddr.compile(proxyList(s));
    return true;
  } catch {
    return false;
  }
}
