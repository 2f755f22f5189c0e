import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which origins may call a server from a browser: a list of exact origins, or `'*'` for any. */
export type CorsOrigins = readonly string[] | '*';

/** CORS settings for {@link applyCors}. */
export interface CorsOptions {
  origins: CorsOrigins;
  /** Response headers the browser may read (e.g. `Retry-After`, `inin-correlation-id`). */
  exposeHeaders?: readonly string[];
  /** Methods allowed on preflight; default GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS. */
  methods?: readonly string[];
}

/**
 * Adds CORS headers for an allowed `Origin` and answers preflight requests. Returns true when the request
 * was a preflight and has been answered (the caller stops there).
 *
 * @example
 * ```ts
 * if (applyCors(req, res, { origins: [pageOrigin], exposeHeaders: ['Retry-After'] })) return;
 * ```
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, options: CorsOptions): boolean {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && (options.origins === '*' || options.origins.includes(origin));
  if (allowed) {
    res.setHeader('access-control-allow-origin', options.origins === '*' ? '*' : origin);
    if (options.origins !== '*') res.setHeader('vary', 'Origin');
    if (options.exposeHeaders?.length) res.setHeader('access-control-expose-headers', options.exposeHeaders.join(', '));
  }
  if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return false;
  if (allowed) {
    res.setHeader(
      'access-control-allow-methods',
      (options.methods ?? ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).join(', '),
    );
    const requested = req.headers['access-control-request-headers'];
    res.setHeader('access-control-allow-headers', requested ?? 'authorization, content-type');
    res.setHeader('access-control-max-age', '600');
  }
  res.writeHead(allowed ? 204 : 403, { 'content-length': 0 });
  res.end();
  return true;
}
