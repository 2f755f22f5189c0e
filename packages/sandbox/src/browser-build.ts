/**
 * Node only, and free of workspace imports (the package's `tsup.config.ts` loads it): the one build definition of
 * the sandbox's browser scripts — the agent desktop and the stand-in Agent AI widget in `src/browser/`, real browser
 * modules bundled by esbuild (never `Function.prototype.toString()` output).
 * @packageDocumentation
 */
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/** The browser scripts by output name (`<name>.js`), with their entry point relative to the package directory. */
export const BROWSER_SCRIPTS = {
  desktop: 'src/browser/desktop.ts',
  'stand-in-widget': 'src/browser/stand-in-widget.ts',
} as const;

/** Name of one browser script. */
export type BrowserScriptName = keyof typeof BROWSER_SCRIPTS;

/**
 * One classic script each (IIFE, loaded with `<script defer>` under `script-src 'self'`), ES2022, no name-keeping
 * helpers (`keepNames` is what made tsx-transformed code reference a `__name` the page does not have), no source map,
 * not minified (readable in devtools).
 */
const BUILD_OPTIONS = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  keepNames: false,
  minify: false,
  sourcemap: false,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'silent',
} as const satisfies BuildOptions;

/**
 * Bundles every browser script into `outDir` (`<outDir>/<name>.js`); `packageDir` is `packages/sandbox`.
 * The package build (`tsup`'s `onSuccess`) runs it into `dist/browser`.
 *
 * @example
 * ```ts
 * await buildBrowserScripts(process.cwd(), 'dist/browser'); // dist/browser/desktop.js, dist/browser/stand-in-widget.js
 * ```
 */
export async function buildBrowserScripts(packageDir: string, outDir: string): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    ...BUILD_OPTIONS,
    absWorkingDir: packageDir,
    entryPoints: BROWSER_SCRIPTS,
    outdir: outDir,
    write: true,
  });
}

/**
 * Bundles one browser script from the package's sources in memory and returns its JavaScript, with the same options
 * as {@link buildBrowserScripts}.
 *
 * @example
 * ```ts
 * const js = await bundleBrowserScript('desktop');
 * ```
 */
export async function bundleBrowserScript(
  name: BrowserScriptName,
  packageDir = fileURLToPath(new URL('..', import.meta.url)),
): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    ...BUILD_OPTIONS,
    absWorkingDir: packageDir,
    entryPoints: [BROWSER_SCRIPTS[name]],
    write: false,
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${BROWSER_SCRIPTS[name]}`);
  return file.text;
}
