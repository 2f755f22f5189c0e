// Mutation testing of @kaa/core. Run it with `pnpm mutate` (scripts/mutate.mjs, docs/testing.md): one Stryker run per
// source directory of packages/core/src, named by KAA_MUTATE_GROUP (`root` = the files directly in src). Without the
// variable, `npx stryker run` mutates all of core in one run. Not part of `pnpm test`.
const group = process.env.KAA_MUTATE_GROUP;
const mutate = !group
  ? ['packages/core/src/**/*.ts']
  : group === 'root'
    ? ['packages/core/src/*.ts']
    : [`packages/core/src/${group}/**/*.ts`];
const name = group ?? 'core';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'packages/core/vitest.mutation.config.ts' },
  // barrel files only re-export
  mutate: [...mutate, '!packages/core/src/**/index.ts'],
  coverageAnalysis: 'perTest',
  // the machine is shared: two test processes at most
  concurrency: 2,
  timeoutMS: 10_000,
  // a static mutant (module-level code: schemas, constant tables, regexes) needs every test file re-run: 19 % of the
  // mutants but ~86 % of the time. They are reported as ignored; see docs/testing.md.
  ignoreStatic: true,
  // results of unchanged mutants (same source, same covering tests) are reused; the files are local (.artifacts is ignored)
  incremental: true,
  incrementalFile: `.artifacts/mutation/${name}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `.artifacts/mutation/${name}.html` },
  jsonReporter: { fileName: `.artifacts/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: [
    'apps',
    'examples',
    'packages/genesys-adapter',
    'packages/kore-client',
    '.artifacts',
    // other groups' sandboxes, when groups run side by side with their own --tempDirName
    '.stryker-tmp*',
    '**/dist',
    'coverage',
  ],
};
