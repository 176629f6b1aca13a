// Owns API token use cases: an admin creates one (its text shown once, only its hash kept), lists and revokes
// them; every request presenting one is checked against the stored record, so a revocation or an expiry
// stops it on the next request.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { formatToken, lastUsedIsStale, refusal, tokenId, type StoredToken } from '../domain/auth/api-token';
import { isRole, ROLES, type Identity, type Role } from '../domain/auth/roles';
import { NotFoundError, ValidationError } from '../errors';
import type { Db } from '../neo4j/db';
import { createToken, listTokens, revokeToken, revokeTokensNamed, tokenById, touchToken } from '../neo4j/repositories/token-repository';

export interface NewTokenInput {
  name: string;
  subject?: string | null;
  roles: string[];
  sources?: string[] | null;
  /** Days until it expires; null or absent: never (discouraged, but scripts on a trusted host need it). */
  expiresInDays?: number | null;
}

export type TokenView = Omit<StoredToken, 'hash'>;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class TokenService {
  constructor(private readonly db: Db) {}

  /** Returns the token's text: the only time it exists outside the caller's hands. */
  async create(input: NewTokenInput, createdBy: string): Promise<{ token: string; record: TokenView }> {
    const row = validate(input);
    const id = randomBytes(8).toString('hex');
    const token = formatToken(id, randomBytes(32).toString('base64url'));
    await this.db.write((tx) => createToken(tx, { ...row, id, hash: hashToken(token), createdBy }));
    return { token, record: strip((await this.db.read((tx) => tokenById(tx, id)))!) };
  }

  async list(): Promise<TokenView[]> {
    return (await this.db.read((tx) => listTokens(tx))).map(strip);
  }

  async revoke(id: string, by: string): Promise<TokenView> {
    const existing = await this.db.read((tx) => tokenById(tx, id));
    if (!existing) throw new NotFoundError('API token', id);
    await this.db.write((tx) => revokeToken(tx, id, by));
    return strip((await this.db.read((tx) => tokenById(tx, id)))!);
  }

  async revokeNamed(names: string[], by: string): Promise<void> {
    await this.db.write((tx) => revokeTokensNamed(tx, names, by));
  }

  /** The identity a token proves, or why it proves none. */
  async verify(token: string, now = new Date()): Promise<Identity | { refused: string }> {
    const id = tokenId(token);
    if (!id) return { refused: 'not a Ripple API token' };
    const stored = await this.db.read((tx) => tokenById(tx, id));
    if (!stored || !sameHash(stored.hash, hashToken(token))) return { refused: 'unknown token' };
    const why = refusal(stored, now);
    if (why) return { refused: why };
    if (lastUsedIsStale(stored.lastUsedAt, now)) await this.db.write((tx) => touchToken(tx, id));
    return {
      subject: stored.subject,
      via: 'token',
      roles: new Set(stored.roles.filter(isRole)),
      sources: stored.sources.includes('*') ? '*' : stored.sources,
      tokenId: id,
    };
  }
}

function validate(input: NewTokenInput): Omit<StoredToken, 'id' | 'hash' | 'createdAt' | 'createdBy' | 'lastUsedAt' | 'revokedAt'> {
  if (!NAME.test(input.name)) throw new ValidationError('name', 'must be 1-100 letters, digits, dot, dash, underscore or @');
  const subject = input.subject ?? input.name;
  if (!NAME.test(subject)) throw new ValidationError('subject', 'must be 1-100 letters, digits, dot, dash, underscore or @');
  if (!input.roles.length) throw new ValidationError('roles', `name at least one of ${ROLES.join(', ')}`);
  const bad = input.roles.find((r) => !isRole(r));
  if (bad !== undefined) throw new ValidationError('roles', `"${bad}" is not a role (one of ${ROLES.join(', ')})`);
  const sources = [...new Set(input.sources ?? [])];
  if (sources.some((s) => s.length === 0 || s.length > 63)) throw new ValidationError('sources', 'each source is 1-63 characters');
  if (input.roles.includes('discovery') && !sources.length) throw new ValidationError('sources', 'a discovery token names the sources it may write');
  const days = input.expiresInDays;
  if (days !== undefined && days !== null && !(Number.isInteger(days) && days >= 1 && days <= 3650)) {
    throw new ValidationError('expiresInDays', 'must be a whole number of days from 1 to 3650');
  }
  return {
    name: input.name,
    subject,
    roles: [...new Set(input.roles as Role[])],
    sources,
    expiresAt: days ? new Date(Date.now() + days * 86_400_000).toISOString() : null,
  };
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function strip(t: StoredToken): TokenView {
  const { hash: _hash, ...rest } = t;
  return rest;
}
