import { KaaError, redact, signPlatformJwt, type BotSource, type Logger } from '@kaa/core';
import { createBroker, createRedisStore, type BrokerStore } from '@kaa/broker';
import { nodeJoseEngine, serveFetch } from '@kaa/broker/node';
import { createClientCredentialsAuth, createGenesysApi, type GenesysApi } from '@kaa/genesys-adapter';
import { createDataTableClient, createKoreTableBotSource } from '@kaa/kore-client';
import { createClient } from '@redis/client';
import { configBotSource } from '../bot-source/config-bot-source.js';
import type { Command } from '../command.js';
import type { LoadedConfig } from '../config/loaded-config.js';
import { allowHttpLoopback, genesysEnvironment, koreApiBase, requireDataTable } from '../connections.js';
import { EXIT } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/**
 * `kaa broker serve`: the token broker as one plain Node process (docs/architecture.md#broker-mode). It reads the same
 * config file as every other command (section `broker`, secrets from `{env}` / `{file}` references), serves
 * `@kaa/broker`'s handler on node:http with `/healthz` and `/readyz`, writes one JSON log line per request to stdout
 * (never a secret), and shuts down gracefully on SIGTERM or SIGINT.
 *
 * @example
 * ```sh
 * KAA_TABLE_READ_SECRET=… KAA_ALPHA_SECRET=… kaa broker serve --config kaa.yaml --port 8787
 * ```
 */
export const brokerCommand: Command = {
  name: 'broker',
  summary: 'Run the token broker (kaa broker serve)',
  options: { port: { type: 'string' }, host: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  help: `Usage: kaa broker serve [--host <address>] [--port <n>] [--config <file>]

Runs the token broker: the server that holds the bot secrets and the bot-table credentials, so that no secret
reaches the agent's browser. The page calls it when the settings name it (tokens.serverUrl).

Reads the config file's "broker" section:
  organizations    Genesys organization ids served in genesys.environment (required)
  allowedOrigins   page origins allowed by CORS (default: the origin of page.url)
  listen           { host, port } (default 127.0.0.1:8787; --host and --port override)
  widgetTokenTtlSeconds, verifyCacheSeconds, requestsPerMinute, maxBodyBytes, shutdownGraceSeconds
  store            { redis: { url: { env: KAA_REDIS_URL }, keyPrefix } }: several instances share one Redis
                   (verifications, rate limits, end claims); default: in memory, one instance

Secrets come from the references of the config ({ env: NAME } or { file: path }): the Data app of dataTable.readApp
(or dataTable.token), genesys.clientCredentials with botSource genesys-legacy-table, the bots' secrets with botSource
third-party (static lookup).

Endpoints: POST /v1/launch, POST /v1/conversations/{id}/transcription, POST /v1/conversations/{id}/events,
GET /healthz (the process answers), GET /readyz (the bot table is readable).
Logs: one JSON line per request on stdout. SIGTERM/SIGINT: stop accepting, finish requests in flight, exit 0.
`,
  async run(ctx) {
    const sub = ctx.positionals[0];
    if (sub !== 'serve')
      throw new KaaError('E_CLI_USAGE', `"kaa broker ${sub ?? ''}" is not a command. Use "kaa broker serve".`, {
        details: { command: 'broker' },
      });
    const loaded = await ctx.load();
    const section = loaded.config.broker;
    if (section === undefined) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${loaded.file}: the config has no "broker" section. Add broker { organizations: [<your Genesys organization id>] } to run the token broker.`,
        { details: { file: loaded.file, field: 'broker' } },
      );
    }
    const io = ctx.io;
    const portFlag = ctx.values['port'];
    const port = typeof portFlag === 'string' ? Number(portFlag) : section.listen.port;
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new KaaError('E_CLI_USAGE', `--port must be a port number (0-65535).`, { details: { command: 'broker' } });
    const host = typeof ctx.values['host'] === 'string' ? ctx.values['host'] : section.listen.host;

    const botSource = await brokerBotSource(loaded, io);
    const secrets = () => loaded.secrets;
    const line = (level: string) => (msg: string, data?: Readonly<Record<string, unknown>>) =>
      io.stdout(
        `${redact(JSON.stringify({ time: new Date(io.now()).toISOString(), level, msg, ...data }), secrets())}\n`,
      );
    const logger: Logger = { debug: () => undefined, info: line('info'), warn: line('warn'), error: line('error') };
    const store = section.store ? await redisStore(loaded, section.store.redis, logger) : undefined;
    // Genesys and Kore calls per launch go through a pooled undici client when the IO has one (packages/broker/README.md#performance)
    const upstream = io.upstreamFetch?.() ?? {
      fetch: (u: string, i: RequestInit) => io.fetch(u, i),
      close: async () => {},
    };
    const broker = createBroker({
      settings: loaded.settings,
      ...(store ? { store } : {}),
      served: [{ environment: genesysEnvironment(loaded), orgIds: section.organizations }],
      allowedOrigins: (section.allowedOrigins ?? [loaded.config.page.url]).map((u) => new URL(u).origin),
      botSource,
      fetch: upstream.fetch,
      now: () => io.now(),
      logger,
      secrets,
      engine: nodeJoseEngine,
      limits: {
        widgetTokenTtlSeconds: section.widgetTokenTtlSeconds,
        verifyCacheSeconds: section.verifyCacheSeconds,
        requestsPerMinute: section.requestsPerMinute,
        maxBodyBytes: section.maxBodyBytes,
      },
    });
    const server = await serveFetch((r) => broker.fetch(r), { host, port, logger, secrets }).catch((cause: unknown) => {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `The token broker cannot listen on ${host}:${port} (${(cause as NodeJS.ErrnoException)?.code ?? 'error'}). Choose another broker.listen.port or --port.`,
        { cause, details: { host, port } },
      );
    });
    logger.info('listening', {
      url: server.url,
      environment: genesysEnvironment(loaded).name,
      organizations: section.organizations,
      botSource: botSource.kind,
      store: store ? 'redis' : 'memory',
    });
    const signal = await new Promise<string>((resolve) => {
      const stop = io.onShutdown?.((name) => {
        stop?.();
        resolve(name);
      });
      if (stop === undefined) resolve('none'); // an IO without signals (tests of other commands) never blocks
    });
    logger.info('shutting down', { signal, graceSeconds: section.shutdownGraceSeconds });
    await server.close(section.shutdownGraceSeconds * 1000);
    await broker.store.close?.();
    await upstream.close();
    logger.info('stopped');
    return EXIT.ok;
  },
};

/**
 * The shared store of several broker instances (docs/deploy.md#token-broker-with-redis): `@redis/client` connected
 * to `broker.store.redis.url`, reconnecting with a capped backoff; commands fail fast while it is down (the broker
 * answers 503 and /readyz fails) instead of queueing. The URL may hold a password: it is read as a secret and only its
 * host is logged.
 */
async function redisStore(
  loaded: LoadedConfig,
  options: { url: Parameters<LoadedConfig['secret']>[0]; keyPrefix: string },
  logger: Logger,
): Promise<BrokerStore> {
  const url = await loaded.secret(options.url, ['broker', 'store', 'redis', 'url']);
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('not a redis URL');
    host = parsed.host;
  } catch {
    throw new KaaError(
      'E_CONFIG_INVALID',
      'broker.store.redis.url is not a Redis URL. Set it to redis://host:port (or rediss:// for TLS), with the password in the URL if Redis asks for one.',
      { details: { field: 'broker.store.redis.url' } },
    );
  }
  let connected = false;
  // the first connection fails the start at once; after that a lost connection is retried with a capped backoff
  const reconnectStrategy = (retries: number, cause: Error) =>
    connected ? Math.min(100 * 2 ** retries, 5_000) : cause;
  const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: 5_000, reconnectStrategy } });
  let lastError = '';
  client.on('error', (e: unknown) => {
    const code = (e as { code?: string }).code ?? (e instanceof Error ? e.name : 'error');
    if (code !== lastError) logger.warn('redis error', { host, code }); // once per kind, not once per retry
    lastError = code;
  });
  client.on('ready', () => {
    connected = true;
    if (lastError !== '') logger.info('redis connected again', { host });
    lastError = '';
  });
  try {
    await client.connect();
  } catch (cause) {
    if (client.isOpen) client.destroy();
    throw new KaaError(
      'E_CONFIG_INVALID',
      `The token broker cannot reach Redis at ${host} (broker.store.redis.url). Start Redis or correct the URL.`,
      { cause, details: { field: 'broker.store.redis.url', host } },
    );
  }
  logger.info('redis connected', { host, keyPrefix: options.keyPrefix });
  return createRedisStore({
    command: (args) => client.sendCommand([...args]),
    keyPrefix: options.keyPrefix,
    quit: () => client.close(),
  });
}

/**
 * The bot source the broker reads with its own credentials: the Kore Data Table through the read Data app (a
 * short platform JWT per read; or dataTable.token), the Third-Party Configuration, or the legacy Genesys table read
 * with the client credentials. The broker caches the rows (routing.cacheTtlSeconds).
 */
async function brokerBotSource(loaded: LoadedConfig, io: CliIo): Promise<BotSource> {
  const fetch = (u: string, i?: RequestInit) => io.fetch(u, i);
  const loopback = allowHttpLoopback(loaded);
  if (loaded.config.botSource.kind === 'kore-data-table') {
    const table = requireDataTable(loaded, 'The token broker');
    const deps = {
      fetch,
      now: () => io.now(),
      signPlatformJwt,
      cacheTtlMs: 0,
      retry: { maxRetries: 1, baseDelayMs: 200, maxDelayMs: 2_000 },
      tokenOrigin: 'config' as const,
    };
    const baseUrl = koreApiBase(loaded);
    let connection;
    if (table.readApp !== undefined) {
      connection = {
        baseUrl,
        appId: table.readApp.clientId,
        clientSecret: await loaded.secret(table.readApp.clientSecret, ['dataTable', 'readApp', 'clientSecret']),
      };
    } else if (table.token !== undefined) {
      connection = { baseUrl, token: await loaded.secret(table.token, ['dataTable', 'token']) };
    } else {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${loaded.where(['dataTable'])}: the token broker reads table "${table.name}" with dataTable.readApp (or dataTable.token); neither is set. Add readApp { clientId, clientSecret } of a Data app with read access.`,
        { details: { file: loaded.file, field: 'dataTable.readApp' } },
      );
    }
    const client = createDataTableClient(connection, deps);
    return createKoreTableBotSource({
      client,
      table: table.name,
      qDelimiter: table.qDelimiter,
      lookup: { allowHttpLoopback: loopback },
    });
  }
  return configBotSource(loaded, io, await clientCredentialsApi(loaded, io));
}

/** The Genesys API with the config's client credentials (the legacy table read); unused by the other sources. */
async function clientCredentialsApi(loaded: LoadedConfig, io: CliIo): Promise<GenesysApi> {
  const environment = genesysEnvironment(loaded);
  const fetch = (u: string, i?: RequestInit) => io.fetch(u, i);
  const cc = loaded.config.genesys.clientCredentials;
  if (cc === undefined) {
    if (loaded.config.botSource.kind !== 'genesys-legacy-table')
      return createGenesysApi({ environment, auth: { getToken: () => null }, fetch });
    throw new KaaError(
      'E_CONFIG_INVALID',
      `${loaded.where(['genesys'])}: the token broker reads the legacy Genesys data table with genesys.clientCredentials, which is missing. Add a Client Credentials OAuth client { clientId, clientSecret } with architect:readonly.`,
      { details: { file: loaded.file, field: 'genesys.clientCredentials' } },
    );
  }
  const clientSecret = await loaded.secret(cc.clientSecret, ['genesys', 'clientCredentials', 'clientSecret']);
  const auth = createClientCredentialsAuth({
    clientId: cc.clientId,
    clientSecret,
    environment,
    fetch,
    now: () => io.now(),
  });
  return createGenesysApi({ environment, auth, fetch, maxAttempts: 2 });
}
