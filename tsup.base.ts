import type { Options } from 'tsup';

/**
 * The one build every `@kaa/*` package shares: ESM, declarations, source maps, ES2022, from `src/index.ts`,
 * with the package's `tsconfig.build.json`. A package's `tsup.config.ts` spreads it and adds only what differs.
 *
 * @example
 * ```ts
 * import { defineConfig } from 'tsup';
 * import { packageBuild } from '../../tsup.base.js';
 *
 * export default defineConfig({ ...packageBuild });
 * ```
 */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
};
