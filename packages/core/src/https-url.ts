/**
 * Which URLs kaa calls or frames: `https:` anywhere, `http:` only on a loopback host (the sandbox and local
 * development). One rule for the settings, bot rows, widget URLs, the Kore API host and the page URL.
 */

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * True for a loopback host name as `URL.hostname` spells it: `127.0.0.1`, `localhost` or `[::1]`.
 *
 * @example
 * ```ts
 * isLoopbackHost(new URL('http://[::1]:4000/').hostname); // true
 * ```
 */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/**
 * True for an absolute URL on a loopback host (any scheme): the sandbox and local development. kaa accepts `http:`
 * widget and API URLs only when the Genesys environment or the Agent AI URL it was given is such a URL.
 *
 * @example
 * ```ts
 * isLoopbackUrl('http://127.0.0.1:4102'); // true
 * isLoopbackUrl('https://api.mypurecloud.ie'); // false
 * ```
 */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * True for an `https:` URL, or an `http:` URL on a loopback host ({@link isLoopbackHost}) unless
 * `allowHttpLoopback` is `false`. A string that is not an absolute URL is false. Credentials, query and fragment are
 * the caller's to check.
 *
 * @example
 * ```ts
 * isHttpsOrLoopback('https://platform.kore.ai');                                     // true
 * isHttpsOrLoopback('http://127.0.0.1:4003/');                                       // true
 * isHttpsOrLoopback('http://127.0.0.1:4003/', { allowHttpLoopback: false });         // false
 * isHttpsOrLoopback('http://kore.example.com');                                      // false
 * ```
 */
export function isHttpsOrLoopback(url: string | URL, options: { readonly allowHttpLoopback?: boolean } = {}): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && options.allowHttpLoopback !== false && isLoopbackHost(parsed.hostname);
}
