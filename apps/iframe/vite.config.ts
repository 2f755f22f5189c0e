import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
// Node side of the build: the region table is read from core's source (no imports), not from a possibly stale dist.
import { ENVIRONMENTS } from '../../packages/core/src/context/environments.ts';
import { defaultProductionCsp, pageHeadersFile } from '../../packages/core/src/admin/page-csp.ts';

const src = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));
const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Emits `csp.txt` (the header value) and `_headers` (Netlify / Cloudflare Pages format) next to index.html. */
function cspFiles(): Plugin {
  return {
    name: 'kaa-csp',
    generateBundle() {
      const koreHosts = list(process.env['KAA_CSP_KORE_HOSTS']);
      const widgetOrigins = list(process.env['KAA_CSP_WIDGET_ORIGINS']);
      const csp = defaultProductionCsp(ENVIRONMENTS, {
        ...(koreHosts ? { koreHosts } : {}),
        ...(widgetOrigins ? { widgetOrigins } : {}),
      });
      this.emitFile({ type: 'asset', fileName: 'csp.txt', source: `${csp}\n` });
      this.emitFile({ type: 'asset', fileName: '_headers', source: pageHeadersFile(csp) });
    },
  };
}

/**
 * Adds `<link rel="modulepreload">` to index.html for the lazy chunks the page imports during step 4 (the Kore
 * Data Table source, and the code of steps 5–8: `conversation-and-widget`, the JWE chunk, the live feed) and the shared chunks they import, so they are fetched
 * and compiled while the first chunk runs and evaluated while step 4's round trip is in flight, instead of costing
 * a page-origin round trip after it. The first chunk holds only what must run before the step-4 requests start.
 * Other lazy chunks (Third-Party / legacy sources, SDK mode) stay on demand.
 */
function preloadCriticalChunks(sources: readonly string[]): Plugin {
  return {
    name: 'kaa-preload-critical-chunks',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle || !ctx.filename.endsWith('index.html')) return html;
        const chunks = new Map(
          Object.values(ctx.bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
        );
        // by module, not facadeModuleId: a chunk of re-exports only (conversation-and-widget.ts) has no facade module
        const facades = [...chunks.values()].filter(
          (c) => !c.isEntry && c.moduleIds.some((id) => sources.some((s) => id.endsWith(s))),
        );
        if (facades.length !== sources.length)
          throw new Error(
            `kaa-preload-critical-chunks: expected chunks for ${sources.join(', ')}, found ${facades.map((c) => c.fileName).join(', ') || 'none'}`,
          );
        const files = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = chunks.get(fileName);
          if (!chunk || chunk.isEntry || files.has(fileName)) return;
          files.add(fileName);
          chunk.imports.forEach(visit);
        };
        facades.forEach((c) => visit(c.fileName));
        const links = [...files].map((f) => `<link rel="modulepreload" crossorigin href="./${f}">`).join('\n');
        return html.replace('</head>', `${links}\n</head>`);
      },
    },
  };
}

/** The static page: relative asset URLs (servable at any base path, default /koreaiaa-genesys/), no inline script. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: {
      // the broker's browser half only (its server half is never bundled into the page)
      '@kaa/broker/client': fileURLToPath(new URL('../../packages/broker/src/client.ts', import.meta.url)),
      '@kaa/core': src('core'),
      '@kaa/genesys-adapter': src('genesys-adapter'),
      '@kaa/kore-client': src('kore-client'),
    },
  },
  build: {
    outDir: process.env['KAA_IFRAME_OUT_DIR'] ?? 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
    rollupOptions: {
      // zod's sources carry comments rollup cannot place; harmless, and not ours to change
      onwarn(warning, warn) {
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/zod/')) return;
        warn(warning);
      },
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        'auth-callback': fileURLToPath(new URL('auth-callback.html', import.meta.url)),
      },
    },
  },
  plugins: [
    cspFiles(),
    preloadCriticalChunks([
      '/src/kore-table-source.ts',
      '/src/conversation-and-widget.ts',
      '/src/secure-custom-data.ts',
      '/src/start-live.ts',
    ]),
  ],
});
