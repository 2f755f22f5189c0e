import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

const src = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

/**
 * The shared package build, except: one self-contained Node ESM file `kaa.js` (no declarations, no chunks) —
 * workspace packages are bundled from source, like every dependency.
 */
export default defineConfig({
  ...packageBuild,
  entry: { kaa: 'src/kaa.ts' },
  platform: 'node',
  target: 'node20',
  dts: false,
  splitting: false,
  noExternal: [/.*/],
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __kaaCreateRequire } from 'node:module'; const require = __kaaCreateRequire(import.meta.url);",
  },
  esbuildOptions(options) {
    options.alias = {
      '@kaa/broker/node': fileURLToPath(new URL('../../packages/broker/src/node.ts', import.meta.url)),
      '@kaa/broker': src('broker'),
      '@kaa/core': src('core'),
      '@kaa/genesys-adapter': src('genesys-adapter'),
      '@kaa/kore-client': src('kore-client'),
    };
  },
});
