// Lint rules: typescript-eslint's recommended set; unused names prefixed with _ are intentional; Cypher only in
// server/neo4j (tests and benchmarks read the store directly to check it from outside, so they may hold Cypher).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import noCypherOutsideNeo4j from './lint/no-cypher-outside-neo4j.js';

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', '.ripple', '.scratch', 'client/graphql-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{ts,js,mjs}'],
    ignores: ['server/neo4j/**', 'test/**', 'bench/**', 'lint/**'],
    plugins: { ripple: { rules: { 'no-cypher-outside-neo4j': noCypherOutsideNeo4j } } },
    rules: { 'ripple/no-cypher-outside-neo4j': 'error' },
  },
);
