/**
 * Which URLs kaa calls or frames: `https:` anywhere, `http:` only on a loopback host (the sandbox and local
 * development). One rule for the settings, bot rows, widget URLs, the Kore API host and the page URL; and one rule
 * ({@link allowsHttpLoopback}) for when a deployment accepts `http:` widget and bot URLs at all.
 */
import type { GenesysEnvironment } from './context/environments.js';

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
 * True for an absolute URL on a loopback host (any scheme): the sandbox and local development. Whether `http:`
 * widget and bot URLs are accepted is {@link allowsHttpLoopback}'s to say.
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

/**
 * Whether a deployment accepts `http:` URLs on a loopback host in bot rows, Third-Party answers and the widget it
 * frames (the `allowHttpLoopback` option of the bot sources, `parseBotRow`, `lintBotTable` and `mountAgentAssist`):
 * exactly when the Genesys environment it serves has its API on a loopback host — the sandbox or local development.
 * Decided from the Genesys environment alone, never from the Kore URLs: the page, `kaa doctor`, the CLI
 * (`kaa lint`, `kaa table`, `kaa broker serve`) and server-side resolvers all call this with the environment they
 * resolved, so they accept and refuse the same rows (docs/architecture.md#plain-http-on-loopback).
 *
 * @example
 * ```ts
 * allowsHttpLoopback(resolveEnvironment({ hostOrigin: 'https://apps.mypurecloud.ie' })); // false
 * allowsHttpLoopback({ apiBase: 'http://127.0.0.1:4100' });                              // true (the sandbox)
 * ```
 */
export function allowsHttpLoopback(environment: Pick<GenesysEnvironment, 'apiBase'>): boolean {
  return isLoopbackUrl(environment.apiBase);
}
