import type { ServerResponse } from 'node:http';

/**
 * What a route handler answers, written by {@link writeAnswer}. `json` wins over `text`.
 *
 * @example
 * ```ts
 * const answer: HttpAnswer = { status: 404, json: { errors: [{ msg: 'No such table.', code: 404 }] } };
 * ```
 */
export interface HttpAnswer {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Writes an {@link HttpAnswer} (never cached); `extraHeaders` (e.g. CORS) go under the answer's own headers.
 *
 * @example
 * ```ts
 * writeAnswer(res, { status: 200, text: html, contentType: 'text/html; charset=utf-8' }, { 'access-control-allow-origin': '*' });
 * ```
 */
export function writeAnswer(res: ServerResponse, answer: HttpAnswer, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...extraHeaders, ...answer.headers };
  let body: string;
  if (answer.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    body = JSON.stringify(answer.json);
  } else {
    headers['content-type'] = answer.contentType ?? 'text/plain; charset=utf-8';
    body = answer.text ?? '';
  }
  res.writeHead(answer.status, headers);
  res.end(body);
}
