import { defineConfig } from 'vitest/config';

// Interop suites against real peers (Prometheus, Pushgateway, Python clients, a real browser).
// A missing peer skips with a printed notice, except when TALLY_REQUIRE_PEERS=1 (set by .ci/run).
export default defineConfig({
  resolve: { conditions: ['source', 'node', 'import', 'default'] },
  // Node gets these as --conditions for the test processes: without 'import' here, a CommonJS
  // require() inside a dependency (pg requiring pg-pool) still gets the CommonJS build.
  ssr: { resolve: { conditions: ['source', 'node', 'default'], externalConditions: ['source'] } },
  test: {
    include: [
      'packages/*/test/**/*.interop.test.ts',
      'apps/*/test/**/*.{interop,e2e}.test.{ts,tsx}',
      'test-support/**/*.interop.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    passWithNoTests: true,
  },
});
