// Mutation testing of @kaa/core: `pnpm mutate` (docs/testing.md). Not part of `pnpm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'packages/core/vitest.mutation.config.ts' },
  mutate: ['packages/core/src/**/*.ts', '!packages/core/src/**/index.ts'],
  coverageAnalysis: 'perTest',
  // the machine is shared: two test processes at most
  concurrency: 2,
  timeoutMS: 10_000,
  // a static mutant (module-level code: schemas, constant tables, regexes) needs every test file re-run: 19 % of the
  // mutants but ~86 % of the time on this machine. They are reported as ignored; see docs/testing.md.
  ignoreStatic: true,
  // results of unchanged mutants (same source and same covering tests) are reused; the file is local (gitignored)
  incremental: true,
  incrementalFile: '.artifacts/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: '.artifacts/mutation/index.html' },
  jsonReporter: { fileName: '.artifacts/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['apps', 'examples', 'packages/genesys-adapter', 'packages/kore-client', '.artifacts', '**/dist', 'coverage'],
};
