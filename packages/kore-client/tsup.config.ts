import { defineConfig } from 'tsup';
import { packageBuild, packageEntries } from '../../tsup.base.js';

/**
 * The shared package build. The declarations name DOM types (`Window`, `Document`, `HTMLElement`,
 * `HTMLIFrameElement`: the widget host mounts an iframe), so they reference the DOM library themselves and a
 * consumer whose tsconfig has no `"DOM"` in `lib` (a Node server) still type-checks with `skipLibCheck: false`.
 */
export default defineConfig({
  ...packageBuild,
  entry: packageEntries(import.meta.url),
  dts: { banner: '/// <reference lib="dom" />' },
});
