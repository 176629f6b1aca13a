// Owns Ripple's roles and who may do what with them: the role names, an identity's roles and sources, the
// mapping from an OIDC claim's values to roles, and whether an identity may write a discovery source.

export const ROLES = ['viewer', 'discovery', 'incident-responder', 'change-manager', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DUTIES: Record<Role, string> = {
  viewer: 'read the graph, impact, incidents and changes',
  discovery: 'upsertCis and discovery runs, only for the sources its token names',
  'incident-responder': 'incidents, problems and what-if analysis',
  'change-manager': 'create, approve, reject and schedule changes (never approving their own)',
  editor: 'manual CI and relationship edits',
  admin: 'API tokens, teams and freeze windows',
};

/** Who is asking, established from credentials only; `subject` is what history, incidents and changes record. */
export interface Identity {
  subject: string;
  /** How the caller proved it: an API token, an OIDC bearer JWT, Ripple itself (the seed), or demo mode. */
  via: 'token' | 'oidc' | 'internal' | 'demo';
  roles: ReadonlySet<Role>;
  /** Discovery sources this identity may write; '*' for any. */
  sources: readonly string[] | '*';
  tokenId?: string;
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

/**
 * Every role reads: a discovery script reads back what it wrote, a change manager reads the changes. So `viewer`
 * is held by anyone holding any role; only an identity with no role at all lacks it.
 */
export function holds(identity: Identity | null, role: Role): boolean {
  if (!identity) return false;
  if (role === 'viewer') return identity.roles.size > 0;
  return identity.roles.has(role);
}

/** A discovery identity writes only the sources it names; names compare exactly. */
export function mayWriteSource(identity: Identity | null, source: string): boolean {
  if (!identity || !identity.roles.has('discovery')) return false;
  return identity.sources === '*' || identity.sources.includes(source);
}

/**
 * Parses `RIPPLE_OIDC_ROLE_MAP`: `group=role[+role],...`, e.g. `cmdb-admins=admin+editor,ops=incident-responder`.
 * Returns the claim value -> roles map, or the reason it is malformed.
 */
export function parseRoleMap(text: string): Map<string, Role[]> | string {
  const map = new Map<string, Role[]>();
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) return `entry "${entry}" is not claimValue=role`;
    const roles = entry.slice(eq + 1).split('+').map((r) => r.trim());
    const bad = roles.find((r) => !isRole(r));
    if (bad !== undefined) return `"${bad}" is not a role (one of ${ROLES.join(', ')})`;
    map.set(entry.slice(0, eq).trim(), roles as Role[]);
  }
  return map;
}

/**
 * The roles an OIDC token's claim grants: each claim value maps through the role map when one is configured,
 * else a value that is itself a role name counts. Values mapping to nothing grant nothing.
 */
export function rolesFromClaim(claim: unknown, map: Map<string, Role[]> | undefined): Set<Role> {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  const roles = new Set<Role>();
  for (const v of values) {
    if (typeof v !== 'string') continue;
    if (map) for (const r of map.get(v) ?? []) roles.add(r);
    else if (isRole(v)) roles.add(v);
  }
  return roles;
}

/** Reads a claim by a dotted path (`realm_access.roles`), as identity providers nest them. */
export function claimAt(payload: Record<string, unknown>, dottedPath: string): unknown {
  let cur: unknown = payload;
  for (const part of dottedPath.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
