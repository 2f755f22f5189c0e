import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { servePage } from './serve-page.js';

/**
 * Options of {@link startStaticHost}.
 *
 * @example
 * ```ts
 * const options: StaticHostOptions = { dir: siteDir, headers: () => ({ 'content-security-policy': csp }) };
 * ```
 */
export interface StaticHostOptions {
  /** The directory served as the site's root (`/` is `dir/index.html`). */
  dir: string;
  /** Headers sent with every answer (e.g. the page's Content-Security-Policy); read on every request. */
  headers?: () => Readonly<Record<string, string>>;
}

/**
 * One request a {@link StaticHost} answered.
 *
 * @example
 * ```ts
 * host.requests.filter((r) => r.method !== 'GET'); // what the page asked a static host that only serves files
 * ```
 */
export interface StaticHostRequest {
  readonly method: string;
  /** The path, without the query. */
  readonly path: string;
  readonly status: number;
}

/**
 * A running {@link startStaticHost}.
 *
 * @example
 * ```ts
 * const host = await startStaticHost({ dir });
 * await page.goto(`${host.origin}/koreaiaa-genesys/`);
 * await host.close();
 * ```
 */
export interface StaticHost {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Every request answered, in order. */
  readonly requests: readonly StaticHostRequest[];
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * A plain static file server on its own 127.0.0.1 origin, standing in for the admin's web host or CDN in tests. It
 * knows nothing about kaa, Genesys or Kore: it serves files from `dir` for GET and HEAD (a directory path serves its
 * `index.html`; a directory without the trailing slash is redirected to it), answers any other method with
 * `405 Not Allowed` as an HTML page and a missing file with `404` HTML — as nginx does — and sends `headers` with every
 * answer. Dot files and paths outside `dir` are 404.
 *
 * @example
 * ```ts
 * const host = await startStaticHost({ dir: site, headers: () => ({ 'content-security-policy': csp }) });
 * host.origin; // 'http://127.0.0.1:43121'
 * ```
 */
export async function startStaticHost(options: StaticHostOptions): Promise<StaticHost> {
  const root = normalize(options.dir);
  const requests: StaticHostRequest[] = [];
  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    type: string,
    body: Buffer | string,
    extra: Record<string, string> = {},
  ) => {
    requests.push({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname, status });
    res.writeHead(status, { ...options.headers?.(), 'content-type': type, 'cache-control': 'no-cache', ...extra });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  const page = (title: string) =>
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>static</center>\r\n</body>\r\n</html>\r\n`;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return answer(req, res, 405, 'text/html', page('405 Not Allowed'), { allow: 'GET, HEAD' });
      let path: string;
      try {
        path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
      } catch {
        return answer(req, res, 400, 'text/html', page('400 Bad Request'));
      }
      const file = normalize(join(root, path));
      if ((file !== root && !file.startsWith(root + sep)) || path.split('/').some((part) => part.startsWith('.')))
        return answer(req, res, 404, 'text/html', page('404 Not Found'));
      const info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        if (!path.endsWith('/'))
          return answer(req, res, 301, 'text/html', page('301 Moved Permanently'), { location: `${path}/` });
        const index = await readFile(join(file, 'index.html')).catch(() => undefined);
        return index
          ? answer(req, res, 200, TYPES['.html'] ?? 'text/html', index)
          : answer(req, res, 404, 'text/html', page('404 Not Found'));
      }
      const body = info?.isFile() ? await readFile(file).catch(() => undefined) : undefined;
      if (!body) return answer(req, res, 404, 'text/html', page('404 Not Found'));
      return answer(req, res, 200, TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const served = await servePage(handler);
  return { origin: served.origin, requests, close: () => served.close() };
}
