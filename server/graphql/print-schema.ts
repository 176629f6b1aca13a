// Writes the printed SDL to schema/schema.graphql: `npm run schema:print` after changing a GraphQL type.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config/config';
import { printedSchema } from './schema';

const file = path.join(repoRoot, 'schema', 'schema.graphql');
writeFileSync(file, printedSchema());
console.log(`wrote ${path.relative(process.cwd(), file)}`);
