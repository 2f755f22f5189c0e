// ESLint: correctness rules plus the type-aware promise rules. Formatting is Prettier's job: eslint-config-prettier
// (last) turns off every rule that would fight it. Why this setup and how to run it: docs/development.md#format-and-lint
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.artifacts/**', '.stryker-tmp/**', '**/*.d.mts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        // Type information from the TypeScript project service: the root tsconfig.json covers every .ts file but
        // the page's vite config (it imports core's sources with a .ts extension); that and the .js/.mjs Node scripts
        // get the default project.
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'scripts/*.mjs',
            'packages/test-support/src/*.mjs',
            'apps/iframe/vite.config.ts',
          ],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its rejection. Fire-and-forget is written `void p` (with the reason beside
      // it when it is not plain) and must not be able to reject unseen: handle the error inside or chain a `.catch` that reports it.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async callback where a void one is expected (event listeners, forEach, timers) rejects into nowhere.
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // A public options type may be its own name for another (`interface GenesysApiOptions extends RequesterOptions {}`).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      // `_name` marks an argument or binding kept on purpose (a signature to satisfy, a property taken out by rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests and their helpers poke at browser globals and loose JSON; `any` is allowed there, not in shipped code.
    files: ['**/test/**', '**/bench/**', 'packages/test-support/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
