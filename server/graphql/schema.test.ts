import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config/config';
import { loadClassModel } from '../domain/class-model/load-class-model';
import { buildSchema, printedSchema } from './schema';

describe('the printed schema', () => {
  const schema = buildSchema(loadClassModel());

  it('matches schema/schema.graphql (run `npm run schema:print` after changing a type)', () => {
    const committed = readFileSync(path.join(repoRoot, 'schema', 'schema.graphql'), 'utf8');
    expect(printedSchema(schema)).toBe(committed);
  });

  it('has one GraphQL type per concrete class, and abstract classes as interfaces', () => {
    const model = loadClassModel();
    for (const name of model.concreteClasses()) expect(schema.getType(name)?.astNode ?? schema.getType(name), name).toBeDefined();
    expect(schema.getType('Hardware')?.constructor.name).toBe('GraphQLInterfaceType');
    expect(schema.getType('LinuxServer')?.constructor.name).toBe('GraphQLObjectType');
  });

  it('keeps the typed client in step with the schema', () => {
    const env = readFileSync(path.join(repoRoot, 'client', 'graphql-env.d.ts'), 'utf8');
    const types = Object.values(schema.getTypeMap())
      .filter((t) => !t.name.startsWith('__') && t.constructor.name !== 'GraphQLScalarType')
      .map((t) => t.name);
    const missing = types.filter((t) => !env.includes(`'${t}': {`));
    expect(missing, 'run `npm run schema:print` to regenerate client/graphql-env.d.ts').toEqual([]);
  });
});
