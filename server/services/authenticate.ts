// Owns authentication: turning a request's Authorization header into an Identity. Three kinds of bearer are
// accepted: Ripple API tokens (rpl_...), OIDC JWTs verified with jose against the issuer's JWKS, and Ripple's own
// in-process credentials (the demo seed). In demo mode a request without credentials is the local admin.
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { AuthConfig, OidcConfig } from '../config/config';
import { claimAt, ROLES, rolesFromClaim, type Identity, type Role } from '../domain/auth/roles';
import { UnauthenticatedError } from '../errors';
import type { TokenService } from './tokens';

export const DEMO_ADMIN: Identity = { subject: 'local-admin', via: 'demo', roles: new Set(ROLES), sources: '*' };

export class Authenticator {
  private readonly internal = new Map<string, Identity>();
  private readonly oidc: OidcVerifier | undefined;

  constructor(
    readonly config: AuthConfig,
    private readonly tokens: TokenService,
  ) {
    this.oidc = config.oidc ? new OidcVerifier(config.oidc) : undefined;
  }

  get demo(): boolean {
    return this.config.mode === 'demo';
  }

  /** A bearer credential that lives only in this process, for Ripple's own calls through its API (the seed). */
  internalCredential(subject: string, roles: Role[], sources: string[]): string {
    const secret = `internal_${randomBytes(32).toString('base64url')}`;
    this.internal.set(secret, { subject, via: 'internal', roles: new Set(roles), sources });
    return secret;
  }

  /** The caller's identity; null when no credentials were given outside demo mode. Bad credentials throw. */
  async identify(authorization: string | null): Promise<Identity | null> {
    if (!authorization) return this.demo ? DEMO_ADMIN : null;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!m) throw new UnauthenticatedError('the Authorization header must be "Bearer <token>"');
    const bearer = m[1]!;
    const internal = this.internal.get(bearer);
    if (internal) return internal;
    if (bearer.startsWith('rpl_')) {
      const r = await this.tokens.verify(bearer);
      if ('refused' in r) throw new UnauthenticatedError(r.refused);
      return r;
    }
    if (bearer.split('.').length === 3 && this.oidc) return this.oidc.verify(bearer);
    throw new UnauthenticatedError(this.oidc ? 'neither a Ripple API token nor a JWT' : 'not a Ripple API token (no OIDC issuer is configured)');
  }
}

/** Verifies bearer JWTs from the configured issuer; jose fetches and caches the JWKS and refetches on an unknown kid. */
class OidcVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly cfg: OidcConfig) {}

  async verify(jwt: string): Promise<Identity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, await this.keys(), {
        issuer: this.cfg.issuer,
        audience: this.cfg.audience,
        algorithms: this.cfg.algorithms,
      }));
    } catch (e) {
      throw new UnauthenticatedError(`the OIDC token was refused (${(e as { code?: string }).code ?? (e as Error).message})`);
    }
    const subject = claimAt(payload, this.cfg.subjectClaim);
    if (typeof subject !== 'string' || !subject) throw new UnauthenticatedError(`the OIDC token has no ${this.cfg.subjectClaim} claim`);
    const roles = rolesFromClaim(claimAt(payload, this.cfg.rolesClaim), this.cfg.roleMap);
    return { subject: subject.slice(0, 200), via: 'oidc', roles, sources: [] };
  }

  private async keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return this.jwks;
    const uri = this.cfg.jwksUri ?? (await discoverJwksUri(this.cfg.issuer));
    this.jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    return this.jwks;
  }
}

async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) }).catch((e: unknown) => {
    throw new UnauthenticatedError(`cannot reach the OIDC issuer (${(e as Error).message})`);
  });
  const doc = (await res.json().catch(() => ({}))) as { jwks_uri?: unknown };
  if (!res.ok || typeof doc.jwks_uri !== 'string') throw new UnauthenticatedError('the OIDC issuer publishes no jwks_uri');
  return doc.jwks_uri;
}
