import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { FetchLike } from '@kaa/core';

/**
 * A {@link FetchLike} for a Node server, closed with the server.
 *
 * @example
 * ```ts
 * const upstream = createNodeFetch();
 * const broker = createBroker({ ...options, fetch: upstream.fetch });
 * await upstream.close();
 * ```
 */
export interface NodeFetch {
  /** `fetch(url, init)` → a standard `Response` holding the whole body. */
  readonly fetch: FetchLike;
  /** Closes the pooled keep-alive connections (after the requests in flight). */
  close(): Promise<void>;
}

/** Statuses whose response has no body (a `Response` with one cannot be built). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The broker's calls to Genesys and Kore through undici's `request` over keep-alive connection pools, instead of the
 * global `fetch`: the same library under Node's `fetch`, without the WHATWG fetch machinery (request and response
 * streams, spec steps) that costs about half the CPU of a small JSON call (packages/broker/README.md#performance). Every answer is
 * read whole and handed back as a standard `Response`, so the adapters use it exactly like `fetch`.
 *
 * Differences from `fetch`, all on purpose for server-to-API calls: redirects are not followed (a 3xx is returned as
 * it is, and the adapters report it as an unexpected answer); no `Accept-Encoding` is added, so answers come
 * uncompressed; `init.body` may be a string, bytes or `URLSearchParams` (what kaa sends). `init.signal` aborts as with
 * `fetch` (the promise rejects with the signal's reason). A refused or broken connection rejects with a `TypeError`
 * whose `cause` is undici's error, as `fetch` does, so the adapters' network-error handling applies unchanged.
 *
 * @example
 * ```ts
 * import { createNodeFetch } from '@kaa/broker/node';
 *
 * const upstream = createNodeFetch({ connectionsPerOrigin: 32 });
 * const me = await upstream.fetch('https://api.mypurecloud.com/api/v2/users/me', { headers: { authorization } });
 * ```
 */
export function createNodeFetch(options: { connectionsPerOrigin?: number } = {}): NodeFetch {
  const agent = new Agent({ connections: options.connectionsPerOrigin ?? 64, keepAliveTimeout: 4_000 });
  const fetchLike: FetchLike = async (input, init) => {
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError(`fetch failed: unsupported protocol ${url.protocol}`);
    init.signal?.throwIfAborted();
    let answer: Dispatcher.ResponseData;
    try {
      answer = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: (init.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod,
        headers: headerList(init.headers, init.body),
        body: bodyOf(init.body),
        ...(init.signal ? { signal: init.signal } : {}),
      });
    } catch (cause) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new TypeError('fetch failed', { cause });
    }
    let bytes: ArrayBuffer;
    try {
      bytes = await answer.body.arrayBuffer();
    } catch (cause) {
      if (init.signal?.aborted) throw init.signal.reason;
      throw new TypeError('fetch failed: the answer body could not be read', { cause });
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      else if (value !== undefined) headers.append(name, value);
    }
    return new Response(NULL_BODY.has(answer.statusCode) ? null : bytes, { status: answer.statusCode, headers });
  };
  return { fetch: fetchLike, close: () => agent.close() };
}

/** The request headers, with the `Content-Type` `fetch` would add for a string or form body that names none. */
function headerList(headers: HeadersInit | undefined, body: RequestInit['body']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers !== undefined)
    new Headers(headers).forEach((value, name) => {
      out[name] = value;
    });
  if (out['content-type'] === undefined) {
    if (typeof body === 'string') out['content-type'] = 'text/plain;charset=UTF-8';
    else if (body instanceof URLSearchParams) out['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  }
  return out;
}

function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new TypeError('fetch: kaa sends string, byte or URLSearchParams bodies only');
}
