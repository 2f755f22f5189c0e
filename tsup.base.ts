import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Options } from 'tsup';

/**
 * The one build every `@kaa/*` package shares: ESM only, declarations, source maps, ES2022, with the package's
 * `tsconfig.build.json`. A package's `tsup.config.ts` spreads it, sets `entry` with {@link packageEntries}, and adds
 * only what differs.
 *
 * ESM only, no CommonJS copy: Node ≥ 20.19 loads an ES module with `require()` (the `default` export condition
 * serves both), and one copy means one `KaaError` class for `instanceof` (no dual-package hazard).
 * `scripts/check-packages.mjs` proves both `import` and `require` from the packed tarballs.
 *
 * @example
 * ```ts
 * import { defineConfig } from 'tsup';
 * import { packageBuild, packageEntries } from '../../tsup.base.js';
 *
 * export default defineConfig({ ...packageBuild, entry: packageEntries(import.meta.url) });
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

/**
 * The entry points of a package, read from its `package.json` `exports` map, so that adding a subpath is one edit
 * there: `"."` builds `src/index.ts` into `dist/index.{js,d.ts}`, and `"./routing"` builds `src/routing/index.ts`
 * (or `src/routing.ts`) into `dist/routing.{js,d.ts}`. Each subpath must map to
 * `{ "types": "./dist/<name>.d.ts", "default": "./dist/<name>.js" }`; `./package.json` is skipped.
 * Throws when the map and the sources disagree, so a typo fails the build instead of shipping a broken subpath.
 *
 * @example
 * ```ts
 * packageEntries(import.meta.url); // → { index: 'src/index.ts', routing: 'src/routing/index.ts' }
 * ```
 */
export function packageEntries(configUrl: string): Record<string, string> {
  const dir = fileURLToPath(new URL('.', configUrl));
  const manifest = JSON.parse(readFileSync(`${dir}package.json`, 'utf8')) as {
    name: string;
    exports?: Record<string, unknown>;
  };
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './package.json') continue;
    const name = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '');
    const expected = { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` };
    if (JSON.stringify(target) !== JSON.stringify(expected)) {
      throw new Error(
        `${manifest.name}: exports["${subpath}"] must be ${JSON.stringify(expected)} (types first), not ${JSON.stringify(target)}.`,
      );
    }
    const source = subpath === '.' ? ['src/index.ts'] : [`src/${name}/index.ts`, `src/${name}.ts`];
    const found = source.find((file) => existsSync(`${dir}${file}`));
    if (!found)
      throw new Error(`${manifest.name}: exports["${subpath}"] has no source; expected ${source.join(' or ')}.`);
    entries[name] = found;
  }
  if (!entries.index) throw new Error(`${manifest.name}: the exports map has no "." entry.`);
  return entries;
}
