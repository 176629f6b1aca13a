// Owns the system fields: versions of Ripple and of the Neo4j it talks to.
import { neo4jComponents } from '../neo4j/repositories/system-repository';
import { needs } from './auth-scopes';
import type { Builder } from './builder';

export function addSystemTypes(builder: Builder): void {
  const SystemInfo = builder.objectRef<{ neo4jVersion: string; neo4jEdition: string }>('SystemInfo').implement({
    description: 'Versions of Ripple and of the Neo4j it talks to.',
    fields: (t) => ({
      rippleVersion: t.string({ resolve: () => '0.1.0' }),
      neo4jVersion: t.exposeString('neo4jVersion'),
      neo4jEdition: t.exposeString('neo4jEdition'),
    }),
  });
  builder.queryField('system', (t) =>
    t.field({
      ...needs('viewer'),
      type: SystemInfo,
      description: 'Versions, read from the database on each call.',
      resolve: (_root, _args, ctx) => ctx.db.read(neo4jComponents),
    }),
  );
}
