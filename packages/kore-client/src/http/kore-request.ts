import { KaaError, redact, retryAfterMs } from '@kaa/core';
import type { FetchLike, Logger, Sleep } from '@kaa/core';
import type { RateWindow } from './rate-window.js';

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
  logger: Logger;
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
  /** What to change when the host is not Kore at all. Default: the Kore API host (agentAi.url, `kaa page --dist`). */
  wrongHost?: string;
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
 * fetch failure → `E_NETWORK`; an answer Kore cannot have given (HTML, not JSON, a bare 404/405/501 from a static
 * host) → `E_KORE_HOST_WRONG`. Every message names the method, origin and path called (never the query).
 */
export async function koreRequest(ctx: KoreHttpContext, req: KoreRequest): Promise<KoreResponse> {
  const secrets = ctx.secrets();
  const safeUrl = redact(req.url, secrets);
  const called = `${req.method} ${endpointOf(safeUrl)}`;
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
      throw new KaaError(
        'E_NETWORK',
        `${req.what} (${called}) got no answer (${describe(cause)}). Check the network, and that ${originOf(safeUrl)} is the Kore API host: a browser also gets no answer from a host that does not allow this page's origin (CORS). The host comes from agentAi.url (or agentAi.apiHost) in kaa.yaml, written into the page by "kaa page --dist".`,
        {
          cause: redact(describe(cause), secrets),
          details: { url: endpointOf(safeUrl), method: req.method },
          secrets,
        },
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new KaaError(
        'E_NETWORK',
        `${req.what} (${called}): the answer broke off while reading (${describe(cause)}). Try again.`,
        {
          details: { url: endpointOf(safeUrl), status: response.status },
          secrets,
        },
      );
    }
    const body = parseJson(text);
    const contentType = response.headers.get('content-type') ?? '';
    const correlationId = CORRELATION_HEADERS.map((h) => response.headers.get(h)).find((v) => v) ?? undefined;
    const vendor = vendorMessage(body.ok ? body.value : undefined, text);
    const base = {
      url: endpointOf(safeUrl),
      method: req.method,
      status: response.status,
      ...(correlationId ? { correlationId } : {}),
    };
    ctx.logger.debug(redact(`kore ${called} → ${response.status} in ${ctx.now() - started} ms`, secrets), { ...base });

    const notKore = notKoreAnswer(response.status, contentType, text, body);
    if (notKore !== null) {
      throw new KaaError(
        'E_KORE_HOST_WRONG',
        `${req.what}: ${called} answered HTTP ${response.status} with ${notKore}, so ${originOf(safeUrl)} is not the Kore API (a static web host or a web page answers like this). ${req.wrongHost ?? KORE_API_HOST_FIX}`,
        { details: { ...base, answer: notKore }, secrets },
      );
    }

    if (response.status === 429 || /rate limit/i.test(text)) {
      const hinted = retryAfterMs(response.headers.get('retry-after'), ctx.now());
      const wait = hinted ?? ctx.retry.baseDelayMs * 2 ** attempt;
      const waitText = hinted === undefined ? 'no Retry-After given' : `Retry-After ${Math.ceil(hinted / 1000)} s`;
      if (attempt >= ctx.retry.maxRetries || wait > ctx.retry.maxDelayMs) {
        throw new KaaError(
          'E_RATE_LIMITED',
          `${req.what} (${called}) was throttled by Kore (HTTP ${response.status}${vendor ? `: ${vendor}` : ''}; ${waitText}) after ${attempt + 1} attempt(s). Kore allows 600 requests per minute and 18,000 per hour per table: reduce how often the table is read (raise routing.cacheTtlSeconds, share the cache through localStorage) and try again later.`,
          {
            details: { ...base, attempts: attempt + 1, ...(hinted === undefined ? {} : { retryAfterMs: hinted }) },
            secrets,
          },
        );
      }
      ctx.logger.warn(redact(`kore ${req.what} throttled; retrying in ${wait} ms (${waitText})`, secrets), {
        ...base,
        attempt: attempt + 1,
      });
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
            ? ([
                'E_HTTP_NOT_FOUND',
                'Kore answered that it does not exist: check the name (e.g. the Data Table name in x_metadata or dataTable.name).',
              ] as const)
            : response.status >= 500
              ? ([
                  'E_HTTP_SERVER',
                  'Kore had a server error; try again, and contact Kore support if it persists.',
                ] as const)
              : (['E_HTTP_BAD_REQUEST', 'Check the names and values sent.'] as const);
      throw new KaaError(
        code,
        `${req.what} (${called}) failed with HTTP ${response.status}${vendor ? `: ${vendor}` : ''}. ${advice}`,
        { details: base, secrets },
      );
    }
    if (response.status < 200 || response.status >= 300) {
      // fetch follows redirects itself; any other non-2xx answer (an unfollowed 3xx) is not a result
      throw new KaaError(
        'E_RESPONSE_INVALID',
        `${req.what} (${called}) answered HTTP ${response.status}, which is not a result. Check the Kore API host (agentAi.url or agentAi.apiHost in kaa.yaml, setting kore.apiHost): it may redirect to a login or web page.`,
        {
          details: base,
          secrets,
        },
      );
    }
    return { status: response.status, body: body.ok ? body.value : undefined };
  }
}

const KORE_API_HOST_FIX =
  'Set agentAi.url in kaa.yaml to your Agent AI URL (or agentAi.apiHost to the Kore API host, e.g. https://platform.kore.ai), then run "kaa page --dist" and deploy the page again; "kaa lint" warns when the page would call its own origin.';

/** Statuses a static web host gives a POST/PUT/DELETE it cannot serve; Kore answers them with its JSON error body. */
const STATIC_HOST_STATUSES = new Set([404, 405, 501]);

/**
 * Why an answer cannot come from the Kore API, or null when it may: Kore answers JSON (its errors too, as
 * `{"errors":[…]}`), so an HTML page, a 2xx body that is not JSON, or a 404/405/501 without a JSON body is another
 * host. A gateway error (500, 502–504) stays "Kore failed"; other statuses with a short text body keep Kore's words.
 */
function notKoreAnswer(
  status: number,
  contentType: string,
  text: string,
  body: { ok: boolean; value?: unknown },
): string | null {
  const gateway = status === 500 || (status >= 502 && status <= 504);
  if (gateway || status === 429 || status === 401) return null;
  const html = /html/i.test(contentType) || /^\s*</.test(text);
  if (html) return 'an HTML page';
  const json = body.ok && typeof body.value === 'object' && body.value !== null;
  if (json) return null;
  if (status >= 200 && status < 300)
    return body.ok ? null : `a body that is not JSON (${contentType || 'no content type'})`;
  if (STATIC_HOST_STATUSES.has(status))
    return text.trim() === ''
      ? `an empty body (${contentType || 'no content type'})`
      : `a body that is not JSON (${contentType || 'no content type'})`;
  return null;
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

/** Origin and path of a URL, never its query or fragment (where a token could sit). */
function endpointOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the Kore API';
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.name === 'AbortError' ? 'aborted' : cause.message || cause.name;
  return String(cause);
}
