// Owns how GraphQL fields declare the roles they need (Pothos scope-auth): one scope per role plus `source` for
// discovery writes, the `needs(...)` options every root field spreads, the FORBIDDEN error naming the missing
// role (logged with who, what and why), and the role note appended to each field's schema documentation.
import { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { holds, mayWriteSource, ROLES, type Role } from '../domain/auth/roles';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { metrics } from '../metrics';
import type { Context } from './context';

export type RoleScopes = Record<Role, boolean> & { source: string };

/** Root fields anyone may call, signed in or not: say who you are. Any other root field must declare a role. */
export const PUBLIC_FIELDS = new Set(['Query.me']);

export function authScopesOf(ctx: Context) {
  const scopes = Object.fromEntries(ROLES.map((r) => [r, holds(ctx.identity, r)])) as Record<Role, boolean>;
  return { ...scopes, source: (source: string) => mayWriteSource(ctx.identity, source) };
}

/** Field options requiring any one of `roles`. */
export function needs(...roles: Role[]): { authScopes: Partial<Record<Role, boolean>> } {
  return { authScopes: Object.fromEntries(roles.map((r) => [r, true])) };
}

/**
 * Field options requiring the discovery role for the source the call writes, found from the arguments (and,
 * for a run, from the run). The `roles` marker lets documentation and the coverage test see the requirement.
 */
export function needsSource<A>(sourceOf: (args: A, ctx: Context) => Promise<string> | string) {
  const authScopes = async (_parent: unknown, args: A, ctx: Context) => ({ $all: { discovery: true, source: await sourceOf(args, ctx) } });
  return { authScopes: Object.assign(authScopes, { roles: ['discovery'] as Role[] }) };
}

/** The roles a field's authScopes option names, or undefined when it declares none. */
export function declaredRoles(options: unknown): Role[] | undefined {
  const scopes = (options as { authScopes?: unknown } | undefined)?.authScopes;
  if (!scopes) return undefined;
  if (typeof scopes === 'function') return (scopes as { roles?: Role[] }).roles;
  return Object.keys(scopes as object).filter((k): k is Role => (ROLES as readonly string[]).includes(k));
}

export function refuse(ctx: Context, info: GraphQLResolveInfo, failure: AuthFailure): Error {
  const field = `${info.parentType.name}.${info.fieldName}`;
  const missing = missingOf(failure);
  const roles = [...new Set(missing.map((m) => m.role))];
  const source = missing.find((m) => m.source !== undefined)?.source;
  const why = source !== undefined ? `needs role discovery for source "${source}"` : roles.length ? `needs role ${roles.join(' or ')}` : 'is not allowed';
  ctx.log.warn({ requestId: ctx.requestId, who: ctx.actor, via: ctx.identity?.via ?? 'none', field, missing: roles, why, denied: true }, 'request denied');
  for (const role of roles) metrics.denied.inc({ field, role });
  if (!ctx.identity) return new UnauthenticatedError(`${field} ${why}: send a bearer token`);
  return new ForbiddenError(`${field} ${why}; ${ctx.actor} holds ${[...ctx.identity.roles].join(', ') || 'no role'}`, roles);
}

function missingOf(failure: AuthFailure): { role: Role; source?: string }[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      if (failure.scope === 'source') return [{ role: 'discovery', source: String(failure.parameter) }];
      return [{ role: failure.scope as Role }];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(missingOf);
    default:
      // A scope function that threw or a grant check: no role to name, the refusal still stands.
      return [];
  }
}

/** Appends "Requires role: ..." to every root field's description, from what the field declared. */
export function documentRoles(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const roles = declaredRoles(field.extensions?.pothosOptions);
      const note = PUBLIC_FIELDS.has(`${type.name}.${field.name}`) ? 'Public: no role needed.' : roles ? `Requires role: ${roles.join(' or ')}.` : undefined;
      if (note) field.description = field.description ? `${field.description}\n\n${note}` : note;
    }
  }
  return schema;
}
