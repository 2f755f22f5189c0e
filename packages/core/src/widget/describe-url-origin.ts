/**
 * How a message names where a URL points without echoing it: the origin of an `http:`/`https:` URL, else its scheme
 * (`a "javascript:" URL`). `URL.origin` is the string `"null"` for `javascript:`, `data:`, `blob:` and the like, and the
 * rest of such a URL is content, not a place (and may hold anything), so it is never shown.
 *
 * @example
 * ```ts
 * import { describeUrlOrigin } from '@kaa/core';
 *
 * describeUrlOrigin(new URL('http://agentassist.example.com/x.html')); // 'http://agentassist.example.com'
 * describeUrlOrigin(new URL('javascript:alert(1)'));                  // 'a "javascript:" URL'
 * ```
 */
export function describeUrlOrigin(url: URL): string {
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  const scheme = url.protocol.length > 40 ? `${url.protocol.slice(0, 39)}…` : url.protocol;
  return `a "${scheme}" URL`;
}
