// Writes the printed SDL to schema/schema.graphql: `npm run schema:print` after changing a GraphQL type.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/config';
import { loadClassModel } from '../domain/class-model/load-class-model';
import { buildSchema, printedSchema } from './schema';

const file = path.join(repoRoot, 'schema', 'schema.graphql');
writeFileSync(file, printedSchema(buildSchema(loadClassModel())));
console.log(`wrote ${path.relative(process.cwd(), file)}`);
