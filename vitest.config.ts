import { defineConfig } from 'vitest/config';

// Unit and integration tests: everything but the interop suites against real peers.
export default defineConfig({
  resolve: { conditions: ['source', 'node', 'import', 'default'] },
  // Node gets these as --conditions for the test processes: without 'import' here, a CommonJS
  // require() inside a dependency (pg requiring pg-pool) still gets the CommonJS build.
  ssr: { resolve: { conditions: ['source', 'node', 'default'], externalConditions: ['source'] } },
  test: {
    include: ['packages/*/{src,test}/**/*.test.ts', 'apps/*/{src,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.interop.test.ts', '**/*.e2e.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
