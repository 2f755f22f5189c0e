import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import type { ResponseHeaders } from './send.js';

/** Options for {@link serveStatic}. */
export interface ServeStaticOptions {
  /** The directory to serve (e.g. the built kaa page). */
  dir: string;
  /** URL path prefix, with leading and trailing slash. Default `/koreaiaa-genesys/`. */
  basePath?: string;
  /** Headers on every file response, e.g. the `Content-Security-Policy` the page declares. */
  headers?: ResponseHeaders | ((path: string) => ResponseHeaders);
  /**
   * `'production'` (default): hashed build assets ({@link isHashedAsset}) are `public, max-age=31536000, immutable`;
   * every other file is `no-cache` with a strong `ETag` (a matching `If-None-Match` gets 304), as a deployment should
   * serve the page. `'none'`: `no-store` on every file (nothing cached, for tests that need a fresh download).
   */
  caching?: 'production' | 'none';
}

/** `cache-control` of content-hashed build assets: they never change under the same name. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const HASHED_ASSET = /(?:^|\/)assets\/[^/]+-[A-Za-z0-9_-]{8,}\.(?:js|mjs|css)$/;

/**
 * Whether a path names a content-hashed build asset (vite's `assets/<name>-<hash>.js|css`), which may be cached
 * for a year: a new build gives changed files new names, and `index.html` (revalidated) names the new ones.
 *
 * @example
 * ```ts
 * isHashedAsset('/koreaiaa-genesys/assets/index-DnQi0lQw.js'); // true
 * isHashedAsset('/koreaiaa-genesys/kaa.config.json'); // false
 * ```
 */
export function isHashedAsset(path: string): boolean {
  return HASHED_ASSET.test(path);
}

/** Whether an `If-None-Match` header value matches `etag` (weak comparison, RFC 9110 §13.1.2). */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * A request handler serving `dir` under `basePath` (GET/HEAD). A path ending in `/` serves its
 * `index.html`; the query string is ignored (the OAuth redirect lands on `/koreaiaa-genesys/?code=…`).
 * Paths outside `dir` and other methods answer 404/405. Returns false for URLs outside `basePath`
 * so that the caller can answer them. Caching is production-like by default (see {@link ServeStaticOptions.caching}):
 * hashed `assets/*` immutable for a year, everything else `no-cache` + `ETag`, answered 304 when unchanged.
 *
 * @example
 * ```ts
 * const page = serveStatic({ dir: 'apps/iframe/dist', headers: { 'content-security-policy': "default-src 'self'" } });
 * const l = await listen(async (req, res) => { if (!(await page(req, res))) res.writeHead(404).end(); });
 * ```
 */
export function serveStatic(
  options: ServeStaticOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const root = resolve(options.dir);
  const base = options.basePath ?? '/koreaiaa-genesys/';
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return true;
    }
    if (path === base.slice(0, -1)) {
      res.writeHead(301, { location: base + url.search }).end();
      return true;
    }
    if (!path.startsWith(base)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    let rel = path.slice(base.length);
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(404).end();
      return true;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      const extra = typeof options.headers === 'function' ? options.headers(path) : (options.headers ?? {});
      const caching: Record<string, string> =
        options.caching === 'none'
          ? { 'cache-control': 'no-store' }
          : isHashedAsset(path)
            ? { 'cache-control': IMMUTABLE_CACHE_CONTROL }
            : {
                'cache-control': 'no-cache',
                etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
              };
      if (caching['etag'] && matchesEtag(req.headers['if-none-match'], caching['etag'])) {
        res.writeHead(304, { ...extra, ...caching }).end();
        return true;
      }
      res.writeHead(200, {
        ...extra,
        'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'content-length': body.length,
        ...caching,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
    return true;
  };
}
