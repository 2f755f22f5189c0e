import type { ServerResponse } from 'node:http';

/** Extra response headers. */
export type ResponseHeaders = Readonly<Record<string, string | number>>;

/**
 * Answers with a JSON body.
 *
 * @example
 * ```ts
 * sendJson(res, 200, { id: 'c0a0…' });
 * ```
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: ResponseHeaders = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/**
 * Answers with an HTML page.
 *
 * @example
 * ```ts
 * sendHtml(res, 400, '<h1>Unknown client</h1>');
 * ```
 */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: ResponseHeaders = {}): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
  });
  res.end(html);
}

/**
 * Answers 302 to `location`.
 *
 * @example
 * ```ts
 * redirect(res, 'http://127.0.0.1:5173/koreaiaa-genesys/#access_token=…');
 * ```
 */
export function redirect(res: ServerResponse, location: string, headers: ResponseHeaders = {}): void {
  res.writeHead(302, { ...headers, location, 'cache-control': 'no-store' });
  res.end();
}

/**
 * Answers with no body.
 *
 * @example
 * ```ts
 * sendEmpty(res, 204);
 * ```
 */
export function sendEmpty(res: ServerResponse, status: number, headers: ResponseHeaders = {}): void {
  res.writeHead(status, { ...headers, 'content-length': 0 });
  res.end();
}

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<b>Ava</b>'); // '&#60;b&#62;Ava&#60;/b&#62;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `decodeURIComponent` that never throws: malformed escapes are kept as written (they then match no id).
 *
 * @example
 * ```ts
 * safeDecode('%E0%A4%A'); // '%E0%A4%A'
 * ```
 */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
