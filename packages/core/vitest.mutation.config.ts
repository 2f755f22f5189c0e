import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Core's unit tests alone, for mutation testing (`pnpm mutate`, see docs/testing.md). Imports resolve to the
 * TypeScript sources of the copy under test, so every mutant is seen without a build.
 *
 * `purity.test.ts` is left out: it reads core's source files and fails on any use of a global, and the code Stryker
 * instruments reads `globalThis` by design. It checks the text of the sources, not their behaviour, so it could only
 * "kill" every mutant at once. `pnpm test` still runs it.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@kaa/core': here('./src/index.ts'),
      '@kaa/test-support': here('./vitest.mutation.support.ts'),
    },
  },
  test: {
    name: 'core-mutation',
    root: here('.'),
    include: ['test/**/*.test.ts'],
    exclude: ['test/purity.test.ts', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    // core is pure (no module state), so test files may share modules: a mutant run is then much faster
    isolate: false,
    setupFiles: [here('./vitest.mutation.setup.ts')],
  },
});
