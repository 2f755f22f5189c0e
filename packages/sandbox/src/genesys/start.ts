import { KaaError } from '@kaa/core';
import { latencyFor } from '../http/latency.js';
import type { CorsOrigins } from '../http/cors.js';
import { listen, type Listener } from '../http/listen.js';
import { apiHandler } from './api-server.js';
import { type GenesysDriver, makeDriver } from './driver.js';
import { loginHandler } from './login-server.js';
import type { GenesysOptions } from './options.js';
import { GenesysService } from './service.js';

/** The running Genesys half: two origins, the driver, and `close()`. */
export interface GenesysServers {
  loginOrigin: string;
  apiOrigin: string;
  /** `127.0.0.1:<apiPort>`: where notification sockets live (`connectUri` host). */
  streamingHost: string;
  driver: GenesysDriver;
  service: GenesysService;
  /** Closes both servers, every socket and timer. */
  close(): Promise<void>;
}

/**
 * Starts the emulated Genesys Cloud login origin and API origin on 127.0.0.1.
 *
 * @example
 * ```ts
 * const g = await startGenesys({ koreOrigin: 'http://127.0.0.1:4100', redirectUris: ['http://127.0.0.1:5173/cb'] });
 * const token = g.driver.issueToken();
 * await fetch(`${g.apiOrigin}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
 * await g.close();
 * ```
 */
export async function startGenesys(options: GenesysOptions = {}): Promise<GenesysServers> {
  let apiOrigin = '';
  const service = new GenesysService(options, () => apiOrigin);
  const cors = (): CorsOrigins => {
    const redirectOrigins = (options.redirectUris ?? []).flatMap((u) => {
      try {
        return [new URL(u).origin];
      } catch {
        return [];
      }
    });
    return [
      ...new Set(
        [
          options.pageOrigin,
          options.appsOrigin,
          ...(typeof options.corsOrigins === 'function' ? options.corsOrigins() : (options.corsOrigins ?? [])),
          ...redirectOrigins,
        ].filter((o): o is string => typeof o === 'string'),
      ),
    ];
  };
  let login: Listener | undefined;
  let api: Listener | undefined;
  try {
    login = await listen(loginHandler(service, cors), options.loginPort ?? 0);
    api = await listen(
      apiHandler(service, cors, () => service.org.tables),
      options.apiPort ?? 0,
    );
  } catch (e) {
    service.close();
    await login?.close();
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The sandbox Genesys servers could not listen on 127.0.0.1 (login port ${options.loginPort ?? 0}, API port ${options.apiPort ?? 0}). Free the ports or choose others (KAA_SANDBOX_PORT_BASE).`,
      { cause: e },
    );
  }
  const loginOrigin = login.origin;
  apiOrigin = api.origin;
  api.server.on('upgrade', (req, socket, head) => {
    // the notification socket's handshake gets the same injected latency as the API routes (path /channels/…)
    const ms = latencyFor(service.faultState.latency, new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    const answer = () => {
      if (socket.destroyed) return;
      try {
        if (!service.hub.upgrade(req, socket, head))
          socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      } catch {
        socket.destroy(); // the servers closed during the delay
      }
    };
    if (ms > 0) void service.sleep(ms).then(answer);
    else answer();
  });
  const l = login;
  const a = api;
  return {
    loginOrigin,
    apiOrigin,
    streamingHost: new URL(apiOrigin).host,
    driver: makeDriver(service, loginOrigin, apiOrigin),
    service,
    async close() {
      service.close();
      await Promise.all([l.close(), a.close()]);
    },
  };
}
