import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
/** fast-check's ESM entry, for the capped wrapper (vitest.mutation.fast-check.ts) to import under another name. */
const fastCheckEsm = join(
  dirname(createRequire(import.meta.url).resolve('fast-check/package.json')),
  'lib/fast-check.js',
);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@kaa\/core$/, replacement: here('./src/index.ts') },
      { find: /^@kaa\/test-support$/, replacement: here('./vitest.mutation.support.ts') },
      // property tests run at most 100 cases under mutation (see the wrapper); `pnpm test` runs them in full
      { find: /^fast-check$/, replacement: here('./vitest.mutation.fast-check.ts') },
      { find: /^kaa-mutation-original-fast-check$/, replacement: fastCheckEsm },
    ],
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
