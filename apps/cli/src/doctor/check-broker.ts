import { createBrokerClient } from '@kaa/broker';
import { BROKER_PATHS, brokerError, brokerUrlOf, checkKoreHostAllowed, KaaError, type KaaSettings } from '@kaa/core';

/** `fetch` as the broker checks use it (the CLI's injected one). */
type CheckFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * An origin no broker should allow: the CORS check sends a preflight from it and expects no
 * `Access-Control-Allow-Origin` for it (`.invalid` is reserved, RFC 2606).
 */
export const PROBE_ORIGIN = 'https://kaa-doctor-probe.invalid';

/**
 * The token broker `kaa doctor` checks: the one the deployed page calls (its setting `tokens.serverUrl`, core's
 * `brokerUrlOf`). Undefined when neither the deployed page nor the config names a broker (browser mode).
 *
 * @throws {KaaError} `E_CONFIG_INVALID` when the config names a broker (`tokens.serverUrl`, or a `broker` section) but
 * the deployed page calls another one or none: the page would mint in the browser, or call a broker the admin did not
 * mean.
 * @example
 * ```ts
 * brokerToCheck({ page: deployed.settings, config: loaded.settings, brokerSection: true, file: 'kaa.yaml', pageUrl }); // 'https://broker.example.com'
 * ```
 */
export function brokerToCheck(input: {
  page: KaaSettings;
  config: KaaSettings;
  brokerSection: boolean;
  file: string;
  pageUrl: string;
}): string | undefined {
  const onPage = brokerUrlOf(input.page.tokens);
  const inConfig = brokerUrlOf(input.config.tokens);
  if (onPage !== undefined && (inConfig === undefined || sameBase(onPage, inConfig))) return onPage;
  if (inConfig === undefined && !input.brokerSection) return undefined;
  const fix =
    inConfig === undefined
      ? `${input.file} has a "broker" section but no settings.tokens.serverUrl: set it to the broker's public URL, then run "kaa page --dist" and deploy the page again`
      : `${input.file} names the token broker ${inConfig} (settings.tokens.serverUrl): run "kaa page --dist" and deploy the page again`;
  throw new KaaError(
    'E_CONFIG_INVALID',
    `The page deployed at ${input.pageUrl} ${onPage === undefined ? "calls no token broker: it reads the bot table and signs the widget token in the agent's browser" : `calls the token broker ${onPage}`}. ${fix}.`,
    {
      details: {
        pageUrl: input.pageUrl,
        pageBroker: onPage ?? null,
        configBroker: inConfig ?? null,
        field: 'settings.tokens.serverUrl',
      },
    },
  );
}

function sameBase(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/**
 * `GET /healthz` and `GET /readyz` of the broker. Unreachable: `E_NETWORK`; not ready: the broker's own coded error
 * (its bot table or store), with its message.
 *
 * @example
 * ```ts
 * await checkBrokerHealth({ broker: 'https://broker.example.com', fetch, timeoutMs: 5000 }); // 'healthz 200, readyz 200'
 * ```
 */
export async function checkBrokerHealth(input: {
  broker: string;
  fetch: CheckFetch;
  timeoutMs: number;
}): Promise<string> {
  const base = input.broker.replace(/\/+$/, '');
  const get = async (path: string): Promise<{ status: number; text: string }> => {
    let response: Response;
    try {
      response = await input.fetch(`${base}${path}`, {
        method: 'GET',
        cache: 'no-store',
        signal: AbortSignal.timeout(input.timeoutMs),
      });
    } catch (cause) {
      const why =
        (cause as Error)?.name === 'TimeoutError' ? `no answer within ${input.timeoutMs} ms` : 'connection failed';
      throw new KaaError(
        'E_NETWORK',
        `The token broker at ${base} cannot be reached (${path}: ${why}). Start it ("kaa broker serve", or your own server with @kaa/broker), and check that settings.tokens.serverUrl is the URL the agents' browsers reach it at.`,
        {
          details: { broker: base, path },
        },
      );
    }
    return { status: response.status, text: await response.text().catch(() => '') };
  };
  const health = await get(BROKER_PATHS.health);
  if (health.status !== 200) {
    throw new KaaError(
      health.status === 404 ? 'E_HTTP_NOT_FOUND' : 'E_HTTP_SERVER',
      `The token broker at ${base} answered ${BROKER_PATHS.health} with HTTP ${health.status}, not 200. Check that settings.tokens.serverUrl points at the broker itself (not a proxy or a login page) and that it runs.`,
      {
        details: { broker: base, path: BROKER_PATHS.health, status: health.status },
      },
    );
  }
  const ready = await get(BROKER_PATHS.ready);
  if (ready.status !== 200) {
    const e = brokerError(ready.status, ready.text, `${base}${BROKER_PATHS.ready}`);
    throw new KaaError(
      e.code,
      `The token broker at ${base} runs but is not ready (${BROKER_PATHS.ready} answered HTTP ${ready.status}): ${e.message} Fix the broker's configuration (its bot-table credentials or its store) and restart it.`,
      {
        details: { ...e.details, broker: base, path: BROKER_PATHS.ready },
      },
    );
  }
  return `${base}: ${BROKER_PATHS.health} 200, ${BROKER_PATHS.ready} 200`;
}

/**
 * The preflight a browser sends before `POST /v1/launch`, from the page's origin: the broker must answer with that exact
 * origin in `Access-Control-Allow-Origin` and allow `POST` with `authorization` and `content-type`. The same preflight
 * from {@link PROBE_ORIGIN} must not be allowed (a broker, or a proxy in front of it, that allows any origin lets any
 * web page spend an agent's token on it).
 *
 * @throws {KaaError} `E_ORIGIN_NOT_ALLOWED` (the page's origin refused), `E_CONFIG_INVALID` (any origin allowed),
 * `E_NETWORK`.
 * @example
 * ```ts
 * await checkBrokerCors({ broker, pageOrigin: 'https://kaa.example.com', fetch, timeoutMs: 5000 });
 * ```
 */
export async function checkBrokerCors(input: {
  broker: string;
  pageOrigin: string;
  fetch: CheckFetch;
  timeoutMs: number;
}): Promise<string> {
  const base = input.broker.replace(/\/+$/, '');
  const url = `${base}${BROKER_PATHS.launch}`;
  const preflight = async (origin: string): Promise<Response> => {
    try {
      return await input.fetch(url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
        cache: 'no-store',
        signal: AbortSignal.timeout(input.timeoutMs),
      });
    } catch (cause) {
      throw new KaaError(
        'E_NETWORK',
        `The token broker at ${base} did not answer the CORS preflight (OPTIONS ${BROKER_PATHS.launch}) from ${origin}: ${(cause as Error)?.name === 'TimeoutError' ? `no answer within ${input.timeoutMs} ms` : 'connection failed'}. Check that it runs and that nothing between the browsers and the broker drops OPTIONS requests.`,
        {
          details: { broker: base, origin },
        },
      );
    }
  };
  const page = await preflight(input.pageOrigin);
  await page.body?.cancel().catch(() => undefined);
  const allowOrigin = page.headers.get('access-control-allow-origin');
  const methods = (page.headers.get('access-control-allow-methods') ?? '').toUpperCase();
  const headers = (page.headers.get('access-control-allow-headers') ?? '').toLowerCase();
  // "*" would let the browser through (the launch sends no cookies); the probe below reports it as too wide
  if (page.status >= 300 || (allowOrigin !== input.pageOrigin && allowOrigin !== '*')) {
    throw new KaaError(
      'E_ORIGIN_NOT_ALLOWED',
      `The token broker at ${base} does not let the page's origin ${input.pageOrigin} call it: the preflight answered HTTP ${page.status} with Access-Control-Allow-Origin ${allowOrigin === null ? 'absent' : `"${allowOrigin.slice(0, 200)}"`}, so the agents' browsers would refuse every launch. Add ${input.pageOrigin} to broker.allowedOrigins in the broker's config (default: the origin of page.url) and restart the broker.`,
      {
        details: { broker: base, pageOrigin: input.pageOrigin, status: page.status, allowOrigin },
      },
    );
  }
  const missing = [
    ...(/\bPOST\b/.test(methods) ? [] : ['method POST']),
    ...['authorization', 'content-type'].filter((h) => !headers.includes(h)).map((h) => `header ${h}`),
  ];
  if (missing.length > 0) {
    throw new KaaError(
      'E_ORIGIN_NOT_ALLOWED',
      `The token broker at ${base} answers the page's preflight from ${input.pageOrigin} without allowing ${missing.join(', ')} (Access-Control-Allow-Methods "${methods.slice(0, 100)}", Access-Control-Allow-Headers "${headers.slice(0, 200)}"), so the browser would refuse the launch. Check that nothing in front of the broker rewrites its CORS headers.`,
      {
        details: { broker: base, pageOrigin: input.pageOrigin, missing },
      },
    );
  }
  const probe = await preflight(PROBE_ORIGIN);
  await probe.body?.cancel().catch(() => undefined);
  const probeAllowed = probe.headers.get('access-control-allow-origin');
  if (probeAllowed === '*' || probeAllowed === PROBE_ORIGIN) {
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The token broker at ${base} lets any web page call it: a preflight from ${PROBE_ORIGIN} was answered with Access-Control-Allow-Origin "${probeAllowed}". List the page origins exactly under broker.allowedOrigins, and check that no proxy in front of the broker adds its own CORS headers.`,
      {
        details: { broker: base, probeOrigin: PROBE_ORIGIN, allowOrigin: probeAllowed },
      },
    );
  }
  return `preflight from ${input.pageOrigin} allowed (POST; authorization, content-type); one from ${PROBE_ORIGIN} refused`;
}

/**
 * `POST /v1/launch` for one conversation with an agent's Genesys token, as the page sends it (with the page's
 * `Origin`), and the answer held to the page's pin (`allow.koreHosts`, core's `checkKoreHostAllowed`) as the page
 * holds it. Reports the bot the broker resolved and what it minted; the widget JWT and the JWE go into `secrets`
 * (the caller's redaction list) and are never part of the result.
 *
 * @throws {KaaError} the broker's coded error (`E_AGENT_NOT_PARTICIPANT`, `E_QUEUE_NOT_MAPPED`, …), `E_NETWORK`,
 * `E_KORE_HOST_NOT_ALLOWED`.
 * @example
 * ```ts
 * const detail = await checkBrokerLaunch({ broker, environment: 'prod-euw1', conversationId, agentToken, pageOrigin, allow: page.settings.allow, fetch, now: Date.now, timeoutMs: 5000, secrets });
 * ```
 */
export async function checkBrokerLaunch(input: {
  broker: string;
  environment: string;
  conversationId: string;
  agentToken: string;
  pageOrigin: string;
  allow: KaaSettings['allow'];
  fetch: CheckFetch;
  /** Epoch milliseconds (the token's remaining lifetime is reported). */
  now: () => number;
  timeoutMs: number;
  secrets: string[];
}): Promise<string> {
  const client = createBrokerClient({
    serverUrl: input.broker,
    environment: input.environment,
    fetch: (url, init) =>
      input.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: input.pageOrigin } }),
    getToken: () => input.agentToken,
  });
  const launch = await client
    .launch({ conversationId: input.conversationId }, { signal: AbortSignal.timeout(input.timeoutMs) })
    .catch((e: unknown) => {
      if ((e as Error)?.name === 'TimeoutError') {
        throw new KaaError(
          'E_NETWORK',
          `The token broker at ${input.broker} did not answer ${BROKER_PATHS.launch} within ${input.timeoutMs} ms. Check its log (one line per request) and the Genesys and Kore hosts it calls.`,
          { details: { broker: input.broker } },
        );
      }
      throw e;
    });
  input.secrets.push(launch.widget.token, ...(launch.widget.secureCustomData ? [launch.widget.secureCustomData] : []));
  checkKoreHostAllowed(launch.bot.agentAssistWidgetUrl, input.allow);
  checkKoreHostAllowed(launch.widget.url, input.allow);
  const queue = launch.queue.name ?? launch.queue.id ?? '(no queue)';
  const jwe = launch.widget.secureCustomData
    ? `JWE minted${launch.widget.missingSecureKeys.length ? ` (not found in the conversation: ${launch.widget.missingSecureKeys.join(', ')})` : ''}`
    : 'no JWE (the bot has no KvpConfig)';
  const lifetime = Math.max(0, launch.widget.expiresAt - Math.floor(input.now() / 1000));
  const page = new URL(launch.widget.url);
  return `bot ${launch.bot.botId} for queue "${queue}", agent ${launch.agent.id}; widget URL minted (${page.origin}${page.pathname}, widget token valid ${lifetime} s); ${jwe}`;
}
