// Owns the system fields: versions of Ripple and of the Neo4j it talks to.
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
      resolve: async (_root, _args, ctx) =>
        ctx.db.read(async (tx) => {
          const r = await tx.run(
            'CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e',
          );
          const rec = r.records[0]!;
          return { neo4jVersion: rec.get('v') as string, neo4jEdition: rec.get('e') as string };
        }),
    }),
  );
}
