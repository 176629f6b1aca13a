// Owns the API token's shape: `rpl_<id>_<secret>`, where the id finds the stored record and only a hash of
// the whole token is stored; whether a stored record still admits its holder (revoked, expired).

const TOKEN = /^rpl_([a-z0-9]{16})_([A-Za-z0-9_-]{32,64})$/;

export interface StoredToken {
  id: string;
  name: string;
  subject: string;
  roles: string[];
  sources: string[];
  hash: string;
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The id part of a well-formed token, or undefined for anything else (a JWT, garbage). */
export function tokenId(token: string): string | undefined {
  return TOKEN.exec(token)?.[1];
}

export function formatToken(id: string, secret: string): string {
  return `rpl_${id}_${secret}`;
}

/** Why a stored token no longer admits its holder at `now`, or undefined when it does. */
export function refusal(t: Pick<StoredToken, 'revokedAt' | 'expiresAt'>, now: Date): string | undefined {
  if (t.revokedAt) return 'the token was revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now.getTime()) return 'the token expired';
  return undefined;
}

/** last-used is a hint for admins, not an audit trail: writing it once a minute per token keeps reads cheap. */
export function lastUsedIsStale(lastUsedAt: string | null, now: Date, everyMs = 60_000): boolean {
  return !lastUsedAt || now.getTime() - Date.parse(lastUsedAt) >= everyMs;
}
