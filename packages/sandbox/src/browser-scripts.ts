/**
 * Node only: where the desktop and Kore servers get the sandbox's browser scripts (built by `src/browser-build.ts`).
 * - Run from the built package (`dist/index.js`): `pnpm build` wrote `dist/browser/<name>.js`; that file is served.
 * - Run from source (tsx for `pnpm demo` and `pnpm sandbox`, vitest through its alias): this module is a `.ts` file,
 *   so the script is bundled from `src/browser/` with esbuild (a devDependency) once per process, with the package
 *   build's options. Nothing is cached on disk, so what is served is never older than its sources, and every way of
 *   starting the sandbox serves the same code.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { KaaError } from '@kaa/core';
import { bundleBrowserScript } from './browser-build.js';
import type { BrowserScriptName } from './browser-build.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

async function readBuilt(name: BrowserScriptName): Promise<string> {
  const file = fileURLToPath(new URL(`./browser/${name}.js`, import.meta.url));
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The sandbox's browser script ${file} is missing. Build @kaa/sandbox again (pnpm build).`,
      { cause: e },
    );
  }
}

const loaded = new Map<BrowserScriptName, Promise<string>>();

/**
 * The JavaScript of one browser script as the servers serve it: `dist/browser/<name>.js` when the sandbox runs built,
 * bundled from `src/browser/` (once per process) when it runs from source.
 *
 * @example
 * ```ts
 * const js = await browserScript('desktop'); // served as /desktop/app.js
 * ```
 */
export function browserScript(name: BrowserScriptName): Promise<string> {
  let text = loaded.get(name);
  if (!text) {
    text = FROM_SOURCE ? bundleBrowserScript(name) : readBuilt(name);
    loaded.set(name, text);
    text.catch(() => loaded.delete(name)); // a failed build is tried again by the next server that starts
  }
  return text;
}
