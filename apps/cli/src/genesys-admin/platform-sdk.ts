import type { GenesysEnvironment } from '@kaa/core';
import AbstractHttpClient from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/AbstractHttpClient.js';
import ApiClient from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/ApiClient.js';
import ArchitectApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/ArchitectApi.js';
import AuthorizationApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/AuthorizationApi.js';
import GroupsApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/GroupsApi.js';
import IntegrationsApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/IntegrationsApi.js';
import OAuthApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/OAuthApi.js';
import RoutingApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/RoutingApi.js';
import UsersApi from 'purecloud-platform-client-v2/src/purecloud-platform-client-v2/api/UsersApi.js';

/**
 * The platform SDK's API objects kaa's admin commands call, on one client.
 *
 * @example
 * ```ts
 * const sdk = createPlatformSdk({ environment, accessToken: () => token, fetch, sleep });
 * await sdk.oauth.getOauthClients();
 * ```
 */
export interface PlatformSdk {
  readonly oauth: InstanceType<typeof OAuthApi>;
  readonly integrations: InstanceType<typeof IntegrationsApi>;
  readonly authorization: InstanceType<typeof AuthorizationApi>;
  readonly groups: InstanceType<typeof GroupsApi>;
  readonly routing: InstanceType<typeof RoutingApi>;
  readonly users: InstanceType<typeof UsersApi>;
  readonly architect: InstanceType<typeof ArchitectApi>;
  /** Requests answered 429 and sent again after `Retry-After`. */
  readonly retried: () => number;
}

/** Options of {@link createPlatformSdk}. */
export interface PlatformSdkOptions {
  environment: GenesysEnvironment;
  /** The admin client's access token (client credentials). */
  accessToken: string;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** Waits (injected so tests and the CLI share one clock). */
  sleep: (ms: number) => Promise<void>;
  /** How many times a 429 is waited out before the error goes to the caller. Default 4. */
  maxRetries?: number;
  /** The longest `Retry-After` honoured, in seconds. Default 60. */
  maxRetryAfterSeconds?: number;
}

/** What the SDK's `callApi` expects from its HTTP client: the axios response shape. */
interface SdkResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  data: unknown;
  text?: string;
}

/**
 * The platform SDK (`purecloud-platform-client-v2`, its ES module sources, only the API classes kaa calls) pointed at
 * the config's environment, sending its requests through the CLI's injected `fetch` rather than the SDK's own
 * axios client: so tests and `KAA_DEBUG` see every call, and a 429 is waited out for its `Retry-After` (capped) and
 * sent again — the SDK itself does not retry. The SDK's own config file (`~/.genesyscloudjavascript/config`,
 * which can switch on request logging with bodies) is ignored.
 *
 * @example
 * ```ts
 * const sdk = createPlatformSdk({ environment: genesysEnvironment(loaded), accessToken, fetch: io.fetch, sleep });
 * const clients = await sdk.oauth.getOauthClients();
 * ```
 */
export function createPlatformSdk(options: PlatformSdkOptions): PlatformSdk {
  const client = new ApiClient();
  client.config.setConfigPath('');
  client.config.live_reload_config = false;
  (client.config.logger as unknown as { log_level: string }).log_level = 'none';
  client.config.refresh_access_token = false;
  const api = new URL(options.environment.apiBase);
  client.setGateway({
    host: api.hostname,
    protocol: api.protocol.replace(':', ''),
    port: Number(api.port) || -1,
    path_params_api: api.pathname.replace(/\/+$/, ''),
  });
  client.setAccessToken(options.accessToken);
  let retried = 0;
  const maxRetries = options.maxRetries ?? 4;
  const maxWaitMs = (options.maxRetryAfterSeconds ?? 60) * 1000;

  class FetchHttpClient extends AbstractHttpClient {
    async request(request: {
      url: string;
      method: string;
      headers?: Record<string, unknown>;
      params?: Record<string, unknown>;
      data?: unknown;
    }): Promise<SdkResponse> {
      const url = new URL(request.url);
      for (const [k, v] of Object.entries(request.params ?? {}))
        if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(request.headers ?? {}))
        if (v !== undefined && v !== null) headers[k] = String(v);
      const body =
        request.data === undefined
          ? undefined
          : typeof request.data === 'string'
            ? request.data
            : JSON.stringify(request.data);
      for (let attempt = 0; ; attempt++) {
        const res = await options.fetch(url.href, {
          method: request.method,
          headers,
          ...(body !== undefined && { body }),
        });
        const text = await res.text();
        let data: unknown = text;
        if (text !== '') {
          try {
            data = JSON.parse(text) as unknown;
          } catch {
            data = text;
          }
        }
        const response: SdkResponse = {
          status: res.status,
          statusText: res.statusText,
          headers: Object.fromEntries(res.headers.entries()),
          data,
          text,
        };
        if (res.status === 429 && attempt < maxRetries) {
          retried += 1;
          await options.sleep(retryDelayMs(res.headers.get('retry-after'), attempt, maxWaitMs));
          continue;
        }
        if (res.status >= 400) throw Object.assign(new Error(`HTTP ${res.status}`), { response });
        return response;
      }
    }
    enableHooks(): void {
      // no pre/post hooks: every request goes through request()
    }
  }
  client.setHttpClient(new FetchHttpClient() as unknown as InstanceType<typeof AbstractHttpClient>);
  return {
    oauth: new OAuthApi(client),
    integrations: new IntegrationsApi(client),
    authorization: new AuthorizationApi(client),
    groups: new GroupsApi(client),
    routing: new RoutingApi(client),
    users: new UsersApi(client),
    architect: new ArchitectApi(client),
    retried: () => retried,
  };
}

/**
 * How long to wait before sending a request again after a 429: `Retry-After` seconds (capped at `maxMs`), else an
 * exponential backoff from one second.
 *
 * @example
 * ```ts
 * retryDelayMs('3', 0, 60_000); // 3000
 * ```
 */
export function retryDelayMs(retryAfter: string | null, attempt: number, maxMs: number): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  const ms = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000 * 2 ** attempt;
  return Math.min(ms, maxMs);
}
