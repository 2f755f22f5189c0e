import { KaaError, redact } from '@kaa/core';
import type { FetchLike, KoreLogger, Sleep } from '../ports.js';
import type { RateWindow } from './rate-window.js';
import { retryAfterMs } from './retry-after.js';

/**
 * How the Kore HTTP calls back off when throttled (docs/kore-protocol.md#data-table-public-api, docs/assumptions.md#kore-rate-limit-and-token-error-statuses: the status is not
 * documented, so `429` and any body matching `/rate limit/i` both count as throttling).
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 30_000 };
 * ```
 */
export interface RetryPolicy {
  /** Retries after a throttled answer before `E_RATE_LIMITED` is raised. Default 3. */
  maxRetries?: number;
  /** First backoff when no `Retry-After` is given; doubles per retry. Default 1000 ms. */
  baseDelayMs?: number;
  /** Longest wait kaa accepts; a longer `Retry-After` (e.g. the hourly limit) fails at once. Default 60000 ms. */
  maxDelayMs?: number;
}

/** @internal Everything a request needs from its client. */
export interface KoreHttpContext {
  fetch: FetchLike;
  now: () => number;
  sleep: Sleep;
  logger: KoreLogger;
  retry: Required<RetryPolicy>;
  /** Secrets to scrub from every message, detail and log line. */
  secrets: () => readonly string[];
}

/** @internal One request. `what` names it for people: `Kore Data Table "kaa_bots" query`. */
export interface KoreRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  what: string;
  /** The whole `E_HTTP_UNAUTHORIZED` message, given Kore's own words (may be empty). */
  unauthorized: (vendor: string) => string;
  window?: RateWindow;
  signal?: AbortSignal;
}

/** @internal The answer: status and JSON body (`undefined` for an empty body). */
export interface KoreResponse {
  status: number;
  body: unknown;
}

const CORRELATION_HEADERS = ['x-request-id', 'requestid', 'x-correlation-id', 'x-trace-id'];

/**
 * @internal Sends one Kore request with throttling backoff and maps every failure to a {@link KaaError}:
 * 401 / `errors[].code == 401` → `E_HTTP_UNAUTHORIZED`; throttling → `E_RATE_LIMITED` once retries are spent;
 * 400 → `E_HTTP_BAD_REQUEST`; 403 → `E_HTTP_FORBIDDEN`; 404 → `E_HTTP_NOT_FOUND`; 5xx → `E_HTTP_SERVER`;
 * fetch failure → `E_NETWORK`; a 2xx body that is not JSON → `E_RESPONSE_INVALID`.
 */
export async function koreRequest(ctx: KoreHttpContext, req: KoreRequest): Promise<KoreResponse> {
  const secrets = ctx.secrets();
  const safeUrl = redact(req.url, secrets);
  for (let attempt = 0; ; attempt++) {
    await req.window?.acquire(req.signal);
    const started = ctx.now();
    let response: Response;
    try {
      const init: RequestInit = { method: req.method, headers: req.headers };
      if (req.body !== undefined) init.body = JSON.stringify(req.body);
      if (req.signal) init.signal = req.signal;
      response = await ctx.fetch(req.url, init);
    } catch (cause) {
      throw new KaaError('E_NETWORK', `${req.what} could not reach ${originOf(safeUrl)} (${describe(cause)}). Check the network and that the Kore API host is right (config kore.apiHost).`, {
        cause: redact(describe(cause), secrets),
        details: { url: safeUrl, method: req.method },
        secrets,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new KaaError('E_NETWORK', `${req.what}: the answer from ${originOf(safeUrl)} broke off while reading (${describe(cause)}). Try again.`, {
        details: { url: safeUrl, status: response.status },
        secrets,
      });
    }
    const body = parseJson(text);
    const correlationId = CORRELATION_HEADERS.map((h) => response.headers.get(h)).find((v) => v) ?? undefined;
    const vendor = vendorMessage(body.ok ? body.value : undefined, text);
    const base = { url: safeUrl, method: req.method, status: response.status, ...(correlationId ? { correlationId } : {}) };
    ctx.logger.debug(redact(`kore ${req.method} ${safeUrl} → ${response.status} in ${ctx.now() - started} ms`, secrets), { ...base });

    if (response.status === 429 || /rate limit/i.test(text)) {
      const hinted = retryAfterMs(response.headers.get('retry-after'), ctx.now());
      const wait = hinted ?? ctx.retry.baseDelayMs * 2 ** attempt;
      const waitText = hinted === undefined ? 'no Retry-After given' : `Retry-After ${Math.ceil(hinted / 1000)} s`;
      if (attempt >= ctx.retry.maxRetries || wait > ctx.retry.maxDelayMs) {
        throw new KaaError('E_RATE_LIMITED', `${req.what} was throttled by Kore (HTTP ${response.status}${vendor ? `: ${vendor}` : ''}; ${waitText}) after ${attempt + 1} attempt(s). Kore allows 600 requests per minute and 18,000 per hour per table: reduce how often the table is read (raise routing.cacheTtlSeconds, share the cache through localStorage) and try again later.`, {
          details: { ...base, attempts: attempt + 1, ...(hinted === undefined ? {} : { retryAfterMs: hinted }) },
          secrets,
        });
      }
      ctx.logger.warn(redact(`kore ${req.what} throttled; retrying in ${wait} ms (${waitText})`, secrets), { ...base, attempt: attempt + 1 });
      await ctx.sleep(wait, req.signal);
      continue;
    }

    if (response.status === 401 || hasErrorCode(body.ok ? body.value : undefined, 401)) {
      throw new KaaError('E_HTTP_UNAUTHORIZED', req.unauthorized(vendor || `HTTP ${response.status} Unauthorized`), {
        details: { ...base, vendorCode: 401 },
        secrets,
      });
    }
    if (response.status >= 400) {
      const [code, advice] =
        response.status === 403
          ? (['E_HTTP_FORBIDDEN', 'Grant the app access to this resource in Kore and try again.'] as const)
          : response.status === 404
            ? (['E_HTTP_NOT_FOUND', 'Check the name and the Kore API host (config kore.apiHost).'] as const)
            : response.status >= 500
              ? (['E_HTTP_SERVER', 'Kore had a server error; try again, and contact Kore support if it persists.'] as const)
              : (['E_HTTP_BAD_REQUEST', 'Check the names and values sent.'] as const);
      throw new KaaError(code, `${req.what} failed with HTTP ${response.status}${vendor ? `: ${vendor}` : ''}. ${advice}`, { details: base, secrets });
    }
    if (response.status < 200 || response.status >= 300) {
      // fetch follows redirects itself; any other non-2xx answer (an unfollowed 3xx) is not a result
      throw new KaaError('E_RESPONSE_INVALID', `${req.what} answered HTTP ${response.status}, which is not a result. Check the Kore API host (config kore.apiHost): it may redirect to a login or web page.`, {
        details: base,
        secrets,
      });
    }
    if (!body.ok) {
      throw new KaaError('E_RESPONSE_INVALID', `${req.what} answered HTTP ${response.status} with a body that is not JSON. Check the Kore API host (config kore.apiHost): it may point at a web page, not the API.`, {
        details: base,
        secrets,
      });
    }
    return { status: response.status, body: body.value };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function hasErrorCode(body: unknown, code: number): boolean {
  if (!isRecord(body) || !Array.isArray(body.errors)) return false;
  return body.errors.some((e) => isRecord(e) && (e.code === code || e.code === String(code)));
}

/** Kore's own words: `errors[0].msg`, `message` or a short text body; at most 300 characters. */
function vendorMessage(body: unknown, text: string): string {
  let out = '';
  if (isRecord(body)) {
    const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
    if (isRecord(first) && typeof first.msg === 'string') out = first.msg;
    else if (isRecord(first) && typeof first.message === 'string') out = first.message;
    else if (typeof body.message === 'string') out = body.message;
    else if (typeof body.error === 'string') out = body.error;
  } else if (body === undefined && text.trim() !== '' && !/^\s*</.test(text)) {
    out = text.trim();
  }
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the Kore API';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.name === 'AbortError' ? 'aborted' : cause.message || cause.name;
  return String(cause);
}
