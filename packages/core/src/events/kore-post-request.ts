/**
 * A JSON POST to the Kore API host, described without its token: the port adds header `authHeader.name`
 * with the JWT and sends `body` as JSON. The shape of {@link HooksRequest} and {@link ControlTranscriptionRequest}.
 *
 * @example
 * ```ts
 * import type { KorePostRequest } from '@kaa/core';
 *
 * async function send(host: string, r: KorePostRequest<unknown>, jwt: string) {
 *   return fetch(host + r.path, { method: r.method, headers: { ...r.headers, [r.authHeader.name]: jwt }, body: JSON.stringify(r.body) });
 * }
 * ```
 */
export interface KorePostRequest<Body> {
  readonly method: 'POST';
  /** Path (and query) on the Kore API host. */
  readonly path: string;
  readonly headers: { readonly 'content-type': 'application/json' };
  /** Name of the header for the JWT; the value is added by the caller and never appears here. */
  readonly authHeader: { readonly name: string };
  readonly body: Body;
}
