import { KaaError, signPlatformJwt, signWidgetJwt } from '@kaa/core';
import type { Command } from '../command.js';
import { requireDataTable } from '../connections.js';
import { EXIT } from '../exit-codes.js';
import { botNamed } from './bot-named.js';

/**
 * `kaa token widget|platform`: mints a JWT with core's `signWidgetJwt` / `signPlatformJwt` and prints only the token.
 *
 * @example
 * ```sh
 * kaa token widget --bot alpha --user a9e00000-0000-4000-8000-000000000001
 * kaa token platform --app read --ttl 31536000
 * ```
 */
export const tokenCommand: Command = {
  name: 'token',
  summary: 'Mint a widget or platform JWT and print only the token',
  options: { bot: { type: 'string' }, user: { type: 'string' }, app: { type: 'string' }, ttl: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  help: `Usage: kaa token widget --bot <name> [--user <genesys-user-id>] [--ttl <seconds>]
       kaa token platform [--app read|admin | --bot <name>] [--ttl <seconds>]

Prints only the token on stdout (nothing else), for tests and scripts.

  widget     the Agent AI widget JWT (iframe "token", jwtgrant "assertion") of a bot in the config:
             {iss, sub, appId, aud, iat, exp, isAnonymous}, signed with the bot's ClientSecret (HS256) or
             RSPrivatePem (RS256/RS512). Settings kore.jwt.aud/ttlSeconds/includeJti/secretEncoding apply.
             --user sets "sub" (default "kaa-cli").
  platform   a Kore public-API JWT {sub, appId, iat, exp} (header "auth"): of the Data app
             (--app read, the default: the x_metadata token; --app admin) or of a bot (--bot <name>,
             e.g. for the AudioHook Advanced "token").

Options:
  --ttl <s>   lifetime in seconds (widget default kore.jwt.ttlSeconds; platform default 300)
  --json      print {"token": "..."} instead
`,
  async run(ctx) {
    const kind = ctx.positionals[0];
    if (kind !== 'widget' && kind !== 'platform') {
      throw new KaaError(
        'E_CLI_USAGE',
        `"kaa token" needs "widget" or "platform" (got "${kind ?? ''}"). Run "kaa token --help".`,
      );
    }
    const loaded = await ctx.load();
    const { settings } = loaded;
    const ttlText = ctx.values['ttl'];
    const ttl = typeof ttlText === 'string' ? Number(ttlText) : undefined;
    if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))
      throw new KaaError('E_CLI_USAGE', `--ttl must be a whole number of seconds above 0 (got "${String(ttlText)}").`);
    const now = new Date(ctx.io.now());
    let token: string;
    if (kind === 'widget') {
      const name = ctx.values['bot'];
      if (typeof name !== 'string')
        throw new KaaError('E_CLI_USAGE', '"kaa token widget" needs --bot <name> (a key under "bots" in the config).');
      const bot = botNamed(loaded, name);
      const path = ['bots', name];
      token = await signWidgetJwt({
        clientId: bot.clientId,
        subject: typeof ctx.values['user'] === 'string' ? ctx.values['user'] : 'kaa-cli',
        algorithm: bot.algorithm,
        ...(bot.algorithm === 'HS256'
          ? { clientSecret: await loaded.secret(bot.clientSecret, [...path, 'clientSecret']) }
          : {
              privateKeyPem:
                bot.rsPrivatePem === undefined ? '' : await loaded.secret(bot.rsPrivatePem, [...path, 'rsPrivatePem']),
            }),
        ttlSeconds: ttl ?? settings.kore.jwt.ttlSeconds,
        now,
        audience: settings.kore.jwt.aud,
        includeJti: settings.kore.jwt.includeJti,
        secretEncoding: settings.kore.jwt.secretEncoding,
      });
    } else {
      const botName = ctx.values['bot'];
      let appId: string;
      let clientSecret: string;
      if (typeof botName === 'string') {
        const bot = botNamed(loaded, botName);
        appId = bot.clientId;
        clientSecret = await loaded.secret(bot.clientSecret, ['bots', botName, 'clientSecret']);
      } else {
        const which = ctx.values['app'] ?? 'read';
        if (which !== 'read' && which !== 'admin')
          throw new KaaError('E_CLI_USAGE', `--app must be "read" or "admin" (got "${String(which)}").`);
        const key = which === 'read' ? 'readApp' : 'adminApp';
        const app = requireDataTable(loaded, '"kaa token platform --app"')[key];
        if (app === undefined) {
          throw new KaaError(
            'E_CONFIG_INVALID',
            `${loaded.where(['dataTable'])}: "dataTable.${key}" is missing. Add ${key} { clientId, clientSecret } to mint its token.`,
            { details: { file: loaded.file, field: `dataTable.${key}` } },
          );
        }
        appId = app.clientId;
        clientSecret = await loaded.secret(app.clientSecret, ['dataTable', key, 'clientSecret']);
      }
      token = await signPlatformJwt({
        appId,
        clientSecret,
        now,
        ...(ttl !== undefined && { ttlSeconds: ttl }),
        secretEncoding: settings.kore.jwt.secretEncoding,
      });
    }
    ctx.out.secretLine(ctx.out.json ? JSON.stringify({ token }) : token);
    return EXIT.ok;
  },
};
