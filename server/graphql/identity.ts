// Owns the identity fields: `me` (who the credentials say you are, and your roles) and the admin's API token
// management (create, shown once; list; revoke).
import { ROLES, type Role } from '../domain/auth/roles';
import type { TokenView } from '../services/tokens';
import { needs } from './auth-scopes';
import type { Builder } from './builder';
import { MUTATION_ERRORS } from './common';

const ROLE_VALUE = (r: Role) => r.toUpperCase().replace(/-/g, '_');

export function addIdentityTypes(builder: Builder): void {
  const RoleEnum = builder.enumType('Role', {
    description: 'What an identity may do; a person or token may hold several. Every role also reads (viewer).',
    values: Object.fromEntries(ROLES.map((r) => [ROLE_VALUE(r), { value: r }])) as Record<string, { value: Role }>,
  });

  const Me = builder.objectRef<{ subject: string; via: string; roles: Role[]; sources: string[] | null; demo: boolean }>('Me').implement({
    description: 'The identity the request was made with.',
    fields: (t) => ({
      subject: t.exposeString('subject', { description: 'Recorded as the actor of your writes, compared exactly.' }),
      via: t.exposeString('via', { description: 'token, oidc, internal or demo.' }),
      roles: t.field({ type: [RoleEnum], resolve: (m) => m.roles }),
      sources: t.stringList({ nullable: true, description: 'Discovery sources you may write; null: any.', resolve: (m) => m.sources }),
      demo: t.exposeBoolean('demo', { description: 'True in demo mode (no authentication configured, loopback only).' }),
    }),
  });

  const ApiToken = builder.objectRef<TokenView>('ApiToken').implement({
    description: 'An API token as stored: never its text, which is shown once at creation.',
    fields: (t) => ({
      id: t.exposeID('id'),
      name: t.exposeString('name'),
      subject: t.exposeString('subject', { description: 'The identity its requests are recorded under.' }),
      roles: t.field({ type: [RoleEnum], resolve: (x) => x.roles as Role[] }),
      sources: t.exposeStringList('sources'),
      createdAt: t.field({ type: 'DateTime', resolve: (x) => x.createdAt }),
      createdBy: t.exposeString('createdBy'),
      expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.expiresAt }),
      lastUsedAt: t.field({ type: 'DateTime', nullable: true, description: 'Updated at most once a minute.', resolve: (x) => x.lastUsedAt }),
      revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.revokedAt }),
    }),
  });
  const CreatedToken = builder.objectRef<{ token: string; record: TokenView }>('CreatedApiToken').implement({
    fields: (t) => ({
      token: t.exposeString('token', { description: 'The token text: shown this once, stored only as a hash. Send it as `Authorization: Bearer <token>`.' }),
      apiToken: t.field({ type: ApiToken, resolve: (x) => x.record }),
    }),
  });
  const CreateTokenInput = builder.inputType('CreateApiTokenInput', {
    fields: (t) => ({
      name: t.string({ required: true, description: 'What the token is for, e.g. k8s-discovery.' }),
      subject: t.string({ description: 'The identity recorded on its writes (default: the name).' }),
      roles: t.field({ type: [RoleEnum], required: true }),
      sources: t.stringList({ description: 'Discovery sources it may write (required with DISCOVERY); "*" for any.' }),
      expiresInDays: t.int({ description: 'Days until it stops working (1-3650); absent: never.' }),
    }),
  });

  builder.queryFields((t) => ({
    me: t.field({
      type: Me,
      nullable: true,
      description: 'Who you are; null without credentials.',
      resolve: (_r, _a, ctx) =>
        ctx.identity && {
          subject: ctx.identity.subject,
          via: ctx.identity.via,
          roles: [...ctx.identity.roles],
          sources: ctx.identity.sources === '*' ? null : [...ctx.identity.sources],
          demo: ctx.identity.via === 'demo',
        },
    }),
    apiTokens: t.field({ type: [ApiToken], ...needs('admin'), description: 'Every API token, newest first (at most 1,000).', resolve: (_r, _a, ctx) => ctx.tokens.list() }),
  }));
  builder.mutationFields((t) => ({
    createApiToken: t.field({
      type: CreatedToken,
      ...needs('admin'),
      errors: { types: MUTATION_ERRORS },
      args: { input: t.arg({ type: CreateTokenInput, required: true }) },
      resolve: (_r, { input }, ctx) =>
        ctx.tokens.create({ name: input.name, subject: input.subject ?? null, roles: input.roles, sources: input.sources ?? null, expiresInDays: input.expiresInDays ?? null }, ctx.actor),
    }),
    revokeApiToken: t.field({
      type: ApiToken,
      ...needs('admin'),
      errors: { types: MUTATION_ERRORS },
      description: 'Stops the token on its next request; it stays listed with its revocation time.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, a, ctx) => ctx.tokens.revoke(String(a.id), ctx.actor),
    }),
  }));
}
