import { defineConfig } from 'vitest/config';

// Two projects: unit tests sit beside their code and need no database; integration tests in test/ share
// one real Neo4j started by the global setup for the whole run.
// graphql ships both ESM and CJS builds; Pothos loads the CJS one, so everything must, or graphql's
// instanceof checks see two copies of every type.
const resolve = { alias: { graphql: 'graphql/index.js' } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'seed/**/*.test.ts', 'web/src/**/*.test.ts', 'lint/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          environment: 'node',
        },
      },
    ],
  },
});
