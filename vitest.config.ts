import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Tests import every workspace package from its TypeScript source, so no build is needed to run them. */
const alias = {
  // the subpath before the package: an alias matches its key and any path under it
  '@kaa/broker/client': fileURLToPath(new URL('./packages/broker/src/client.ts', import.meta.url)),
  '@kaa/broker/node': fileURLToPath(new URL('./packages/broker/src/node.ts', import.meta.url)),
  '@kaa/broker': fileURLToPath(new URL('./packages/broker/src/index.ts', import.meta.url)),
  '@kaa/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
  '@kaa/genesys-adapter': fileURLToPath(new URL('./packages/genesys-adapter/src/index.ts', import.meta.url)),
  '@kaa/kore-client': fileURLToPath(new URL('./packages/kore-client/src/index.ts', import.meta.url)),
  '@kaa/sandbox': fileURLToPath(new URL('./packages/sandbox/src/index.ts', import.meta.url)),
  '@kaa/test-support': fileURLToPath(new URL('./packages/test-support/src/index.ts', import.meta.url)),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // The JSON report feeds scripts/test-summary.mjs, which prints the plain "N passed, N failed" closing line CI reads.
    reporters: ['default', 'json'],
    outputFile: { json: '.artifacts/vitest-results.json' },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', '**/node_modules/**'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: [
            'packages/*/test/**/*.e2e.test.ts',
            'apps/*/test/**/*.e2e.test.ts',
            'examples/test/**/*.e2e.test.ts',
          ],
          environment: 'node',
          // Chromium is there (installed when allowed) or the run stops with one line before any suite starts
          globalSetup: ['./packages/test-support/src/ensure-chromium.mjs'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
    benchmark: {
      include: ['packages/*/bench/**/*.bench.ts', 'apps/*/bench/**/*.bench.ts'],
    },
  },
});
