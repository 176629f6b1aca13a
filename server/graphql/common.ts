// Owns the shared GraphQL vocabulary: scalars, the enums taken from the class model, typed errors, Node and
// PageInfo. Type families (ci.ts, team.ts, mutations.ts) build on these refs.
import { GraphQLError } from 'graphql';
import type { ClassModel } from '../domain/class-model/types';
import { JSON_LIMITS, jsonBoundsViolation } from '../domain/input/json-bounds';
import { parseRfc3339 } from '../domain/input/rfc3339';
import { ConflictError, NotFoundError, ValidationError, type RippleError } from '../errors';
import type { Builder } from './builder';

export function upperSnake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}

/** A lookup by id answers null for what does not exist; any other failure (an outage) stays an error. */
export function nullIfNotFound(e: unknown): null {
  if (e instanceof NotFoundError) return null;
  throw e;
}

/** The `at` argument's meaning, the same on every query that takes it. */
export const AT_DESCRIPTION =
  'Read the graph as it was at this past instant (values, owners, relationships then); leave out for now. Not in the future.';

export function addCommon(builder: Builder, model: ClassModel) {
  builder.scalarType('DateTime', {
    description: 'An instant as an RFC 3339 date-time with an offset (e.g. 2030-02-28T10:00:00Z); answered in UTC.',
    serialize: (v) => String(v),
    parseValue: (v) => {
      const iso = typeof v === 'string' ? parseRfc3339(v) : undefined;
      if (!iso) throw new GraphQLError('DateTime must be an RFC 3339 date-time with an offset, such as 2030-02-28T10:00:00Z, on a real calendar day');
      return iso;
    },
  });
  builder.scalarType('JSON', {
    description: `Any JSON value (class attributes, whose types the class model defines), at most ${JSON_LIMITS.maxDepth} levels deep and ${JSON_LIMITS.maxChars} characters.`,
    serialize: (v) => v,
    parseValue: (v) => {
      const violation = jsonBoundsViolation(v);
      if (violation) throw new GraphQLError(`JSON value ${violation}`);
      return v;
    },
  });

  const enumFrom = (name: string, attr: string, description: string) => {
    const def = model.commonAttributes.find((a) => a.name === attr);
    const values = Object.fromEntries((def?.values ?? []).map((v) => [upperSnake(v), { value: v }]));
    return builder.enumType(name, { description, values });
  };
  const Environment = enumFrom('Environment', 'environment', 'Deployment environment of a CI.');
  const Lifecycle = enumFrom('Lifecycle', 'lifecycle', 'Operational lifecycle state of a CI (ITIL).');
  const RelationshipType = builder.enumType('RelationshipType', {
    description: 'Impacting relationship types: `A -[T]-> B` means A needs B, so B failing impacts A.',
    values: Object.fromEntries(
      model.impactingTypes().map((t) => [t, { value: t, description: model.relationship(t)?.description }]),
    ),
  });
  const SortDirection = builder.enumType('SortDirection', { values: { ASC: { value: 'ASC' }, DESC: { value: 'DESC' } } });

  const ErrorInterface = builder.interfaceRef<RippleError>('Error').implement({
    description: 'A failure the caller can act on.',
    fields: (t) => ({
      message: t.exposeString('message'),
      code: t.exposeString('code'),
      field: t.string({ nullable: true, description: 'The input field at fault, as a dotted path.', resolve: (e) => e.field ?? null }),
    }),
  });
  builder.objectType(ValidationError, {
    name: 'ValidationError',
    description: 'The input broke a rule of the class model or of the API; `field` names it.',
    interfaces: [ErrorInterface],
    isTypeOf: (e) => e instanceof ValidationError,
    fields: () => ({}),
  });
  builder.objectType(NotFoundError, {
    name: 'NotFoundError',
    description: 'Something the input names does not exist.',
    interfaces: [ErrorInterface],
    isTypeOf: (e) => e instanceof NotFoundError,
    fields: (t) => ({ id: t.exposeID('id') }),
  });
  builder.objectType(ConflictError, {
    name: 'ConflictError',
    description: 'The change would duplicate or contradict what exists; `existingId` names the CI in the way.',
    interfaces: [ErrorInterface],
    isTypeOf: (e) => e instanceof ConflictError,
    fields: (t) => ({ existingId: t.id({ nullable: true, resolve: (e) => e.existingId ?? null }) }),
  });

  const NodeInterface = builder.interfaceRef<{ id: string }>('Node').implement({
    description: 'Anything with a global id: CIs and teams.',
    fields: (t) => ({ id: t.exposeID('id') }),
  });

  const PageInfo = builder
    .objectRef<{ hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null }>('PageInfo')
    .implement({
      fields: (t) => ({
        hasNextPage: t.exposeBoolean('hasNextPage'),
        hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
        startCursor: t.exposeString('startCursor', { nullable: true }),
        endCursor: t.exposeString('endCursor', { nullable: true }),
      }),
    });

  return { Environment, Lifecycle, RelationshipType, SortDirection, ErrorInterface, NodeInterface, PageInfo };
}

export type Common = ReturnType<typeof addCommon>;
export const MUTATION_ERRORS = [ValidationError, NotFoundError, ConflictError];
