import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const source = (pkg: string): string => fileURLToPath(new URL(`../../${pkg}/src/index.ts`, import.meta.url));

/**
 * The workspace packages resolved to their TypeScript sources, as the vitest aliases do.
 *
 * @example
 * ```ts
 * WORKSPACE_ALIASES['@kaa/core']; // '/…/packages/core/src/index.ts'
 * ```
 */
export const WORKSPACE_ALIASES: Readonly<Record<string, string>> = {
  '@kaa/broker/client': fileURLToPath(new URL('../../broker/src/client.ts', import.meta.url)),
  '@kaa/core': source('core'),
  '@kaa/genesys-adapter': source('genesys-adapter'),
  '@kaa/kore-client': source('kore-client'),
};

/**
 * Bundles a test page's entry module with esbuild for the browser (ESM, ES2022, in memory), resolving
 * `@kaa/*` to the workspace sources. Returns the JavaScript text.
 *
 * @example
 * ```ts
 * const js = await bundlePage(new URL('./e2e/auth-page.ts', import.meta.url));
 * const page = await servePage({ '/app.js': { type: 'text/javascript', body: js } });
 * ```
 */
export async function bundlePage(entry: string | URL): Promise<string> {
  const built = await build({
    entryPoints: [entry instanceof URL ? fileURLToPath(entry) : entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    alias: { ...WORKSPACE_ALIASES },
    logLevel: 'silent',
  });
  const js = built.outputFiles[0]?.text;
  if (js === undefined) throw new Error(`esbuild produced no output for ${String(entry)}`);
  return js;
}
