import { describe, expect, it } from 'vitest';
import { claimAt, holds, mayWriteSource, parseRoleMap, rolesFromClaim, type Identity } from './roles';
import { lastUsedIsStale, refusal, tokenId } from './api-token';

const who = (roles: Identity['roles'], sources: Identity['sources'] = []): Identity => ({ subject: 'x', via: 'token', roles, sources });

describe('roles', () => {
  it('lets any role read but not an identity with none', () => {
    expect(holds(who(new Set(['discovery'])), 'viewer')).toBe(true);
    expect(holds(who(new Set()), 'viewer')).toBe(false);
    expect(holds(null, 'viewer')).toBe(false);
    expect(holds(who(new Set(['editor'])), 'admin')).toBe(false);
  });

  it('lets a discovery token write only the sources it names, exactly', () => {
    const k8s = who(new Set(['discovery']), ['k8s']);
    expect(mayWriteSource(k8s, 'k8s')).toBe(true);
    expect(mayWriteSource(k8s, 'K8s')).toBe(false);
    expect(mayWriteSource(k8s, 'backstage')).toBe(false);
    expect(mayWriteSource(who(new Set(['editor']), '*'), 'k8s')).toBe(false);
  });

  it('maps claim values to roles through the configured map, or by role name without one', () => {
    const map = parseRoleMap('cmdb-admins=admin+editor, ops=incident-responder');
    expect(map).toBeInstanceOf(Map);
    expect([...rolesFromClaim(['cmdb-admins', 'other'], map as Map<string, never>)].sort()).toEqual(['admin', 'editor']);
    expect([...rolesFromClaim('viewer editor bogus', undefined)].sort()).toEqual(['editor', 'viewer']);
    expect(parseRoleMap('x=root')).toMatch(/"root" is not a role/);
    expect(parseRoleMap('nothing')).toMatch(/not claimValue=role/);
  });

  it('reads nested claims by dotted path', () => {
    expect(claimAt({ realm_access: { roles: ['admin'] } }, 'realm_access.roles')).toEqual(['admin']);
    expect(claimAt({ a: 1 }, 'a.b')).toBeUndefined();
  });
});

describe('api tokens', () => {
  it('recognises only well-formed tokens', () => {
    expect(tokenId(`rpl_0123456789abcdef_${'A'.repeat(43)}`)).toBe('0123456789abcdef');
    expect(tokenId('eyJhbGciOi.x.y')).toBeUndefined();
    expect(tokenId('rpl_short_x')).toBeUndefined();
  });

  it('refuses revoked and expired tokens', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(refusal({ revokedAt: '2025-12-31T00:00:00Z', expiresAt: null }, now)).toBe('the token was revoked');
    expect(refusal({ revokedAt: null, expiresAt: '2026-01-01T00:00:00Z' }, now)).toBe('the token expired');
    expect(refusal({ revokedAt: null, expiresAt: '2026-01-02T00:00:00Z' }, now)).toBeUndefined();
  });

  it('records last use at most once a minute', () => {
    const now = new Date('2026-01-01T00:01:00Z');
    expect(lastUsedIsStale(null, now)).toBe(true);
    expect(lastUsedIsStale('2026-01-01T00:00:30Z', now)).toBe(false);
    expect(lastUsedIsStale('2026-01-01T00:00:00Z', now)).toBe(true);
  });
});
