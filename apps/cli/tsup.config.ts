import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const src = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));

/** One self-contained Node ESM file: workspace packages are bundled from source, like every dependency. */
export default defineConfig({
  entry: { kaa: 'src/kaa.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  clean: true,
  dts: false,
  splitting: false,
  noExternal: [/.*/],
  banner: { js: "#!/usr/bin/env node\nimport { createRequire as __kaaCreateRequire } from 'node:module'; const require = __kaaCreateRequire(import.meta.url);" },
  esbuildOptions(options) {
    options.alias = { '@kaa/core': src('core'), '@kaa/genesys-adapter': src('genesys-adapter'), '@kaa/kore-client': src('kore-client') };
  },
});
