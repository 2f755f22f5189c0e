import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
// Node side of the build: the region table is read from core's source (no imports), not from a possibly stale dist.
import { ENVIRONMENTS } from '../../packages/core/src/context/environments.ts';
import { defaultProductionCsp } from './src/csp.ts';

const src = (pkg: string) => fileURLToPath(new URL(`../../packages/${pkg}/src/index.ts`, import.meta.url));
const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);

/** Emits `csp.txt` (the header value) and `_headers` (Netlify / Cloudflare Pages format) next to index.html. */
function cspFiles(): Plugin {
  return {
    name: 'kaa-csp',
    generateBundle() {
      const koreHosts = list(process.env['KAA_CSP_KORE_HOSTS']);
      const widgetOrigins = list(process.env['KAA_CSP_WIDGET_ORIGINS']);
      const csp = defaultProductionCsp(ENVIRONMENTS, { ...(koreHosts ? { koreHosts } : {}), ...(widgetOrigins ? { widgetOrigins } : {}) });
      this.emitFile({ type: 'asset', fileName: 'csp.txt', source: `${csp}\n` });
      this.emitFile({ type: 'asset', fileName: '_headers', source: `/*\n  Content-Security-Policy: ${csp}\n  Referrer-Policy: no-referrer\n  X-Content-Type-Options: nosniff\n` });
    },
  };
}

/**
 * Adds `<link rel="modulepreload">` to index.html for the lazy chunks of the warm critical path (step 6: widget
 * token and secure custom data): fetched and compiled while the entry runs, so they are ready when step 4's
 * round trip returns instead of costing a page-origin round trip after it. Other lazy chunks stay on demand.
 */
function preloadCriticalChunks(sources: readonly string[]): Plugin {
  return {
    name: 'kaa-preload-critical-chunks',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle || !ctx.filename.endsWith('index.html')) return html;
        const files = Object.values(ctx.bundle)
          .filter((c) => c.type === 'chunk' && !c.isEntry && sources.some((s) => c.facadeModuleId?.endsWith(s)))
          .map((c) => c.fileName);
        if (files.length !== sources.length) throw new Error(`kaa-preload-critical-chunks: expected chunks for ${sources.join(', ')}, found ${files.join(', ') || 'none'}`);
        const links = files.map((f) => `<link rel="modulepreload" crossorigin href="./${f}">`).join('\n');
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
  plugins: [cspFiles(), preloadCriticalChunks(['/src/widget-credentials.ts', '/src/secure-custom-data.ts'])],
});
