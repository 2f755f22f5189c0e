import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { packageBuild, packageEntries } from '../../tsup.base.js';
import { buildBrowserScripts } from './src/browser-build.js';

const packageDir = fileURLToPath(new URL('.', import.meta.url));

/**
 * The shared package build, plus the browser scripts (agent desktop, stand-in widget) bundled into `dist/browser/`,
 * which the built package serves. esbuild stays external: only the from-source path loads it.
 */
export default defineConfig({
  ...packageBuild,
  entry: packageEntries(import.meta.url),
  external: ['esbuild'],
  async onSuccess() {
    await buildBrowserScripts(packageDir, 'dist/browser');
  },
});
