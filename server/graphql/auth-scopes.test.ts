import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadClassModel } from '../domain/class-model/load-class-model';
import { ROLES } from '../domain/auth/roles';
import { declaredRoles, PUBLIC_FIELDS } from './auth-scopes';
import { buildSchema } from './schema';

describe('roles declared in the schema', () => {
  const schema = buildSchema(loadClassModel());
  const rootFields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) =>
    isObjectType(type) ? Object.values(type.getFields()).map((field) => ({ name: `${type.name}.${field.name}`, field })) : [],
  );

  // A field another branch adds without a role would be open to anyone with any credentials, or none in effect.
  it('makes every Query and Mutation field declare the role it needs, unless it is listed as public', () => {
    const undeclared = rootFields.filter(({ name, field }) => !PUBLIC_FIELDS.has(name) && !declaredRoles(field.extensions?.pothosOptions)?.length);
    expect(undeclared.map((f) => f.name), 'spread needs(...) or needsSource(...) into the field options').toEqual([]);
  });

  it('names only real roles and says which in the field documentation', () => {
    for (const { name, field } of rootFields) {
      if (PUBLIC_FIELDS.has(name)) continue;
      for (const role of declaredRoles(field.extensions?.pothosOptions)!) expect(ROLES, name).toContain(role);
      expect(field.description, name).toMatch(/Requires role: [a-z-]+( or [a-z-]+)*\.$/);
    }
  });

  it('keeps writes away from the read-only role', () => {
    const mutationsForViewers = rootFields.filter(({ name, field }) => name.startsWith('Mutation.') && declaredRoles(field.extensions?.pothosOptions)?.includes('viewer'));
    expect(mutationsForViewers.map((f) => f.name)).toEqual([]);
  });
});
