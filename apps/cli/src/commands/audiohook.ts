import { buildAudiohookUri, formatAudiohookAdvancedConfig, KaaError, signPlatformJwt } from '@kaa/core';
import type { Command } from '../command.js';
import { audiohookAdvanced } from '../audiohook-advanced.js';
import { EXIT } from '../exit-codes.js';
import { botNamed } from './bot-named.js';

/**
 * `kaa audiohook`: what the Kore guide has the admin enter in the AudioHook Monitor integration, tab by tab —
 * Configuration (Channel `both`, the Connection URI from core's `buildAudiohookUri`), Advanced (the JSON of
 * `formatAudiohookAdvancedConfig`; `sendEventsToVG` defaults to true as in the guide's sample) and Credentials (the
 * bot's ClientId and ClientSecret, which Kore uses to check the audio stream's signature) — secrets masked unless
 * `--reveal`.
 *
 * @example
 * ```sh
 * kaa audiohook --reveal
 * ```
 */
export const audiohookCommand: Command = {
  name: 'audiohook',
  summary: 'Print the AudioHook Monitor Connection URI and Advanced-tab JSON',
  options: { reveal: { type: 'boolean' } },
  help: `Usage: kaa audiohook [--reveal] [--json]

Prints, for Admin > Integrations > AudioHook Monitor:
  Configuration    Channel: both
                   Connection URI: wss://{audiohook.kvgHost}/audiosocket/genesys/?sipuri=…&token=…&botId=…&accountId=…&agentassist=true[&multiBot=true]
  Advanced         {environment, oauthClientId, koreDomainURL, oauthClientSecret, sendEventsToVG, botId, token}
  Credentials      Client ID and Client Secret of the bot (Kore checks the audio stream's signature with them)

Reads the "audiohook" section (kvgHost, sipuri, token, accountId, bot, multiBot, tokenTtlSeconds),
genesys.environment and genesys.clientCredentials (a Client Credentials OAuth client),
agentAi.url (koreDomainURL, https) and widget.sendEventsToVG (default true here, as in the guide's
sample: the new AudioHook flow; set widget.sendEventsToVG: false for the old one). The Advanced "token"
is a JWT signed with the bot's ClientId/ClientSecret (audiohook.bot, default the first bot with
audiohookEnabled).

Secrets (the KVG token, the OAuth client secret, the bot token, the bot's ClientSecret) are masked
unless --reveal.
`,
  async run(ctx) {
    const loaded = await ctx.load();
    const { config } = loaded;
    const hook = config.audiohook;
    if (hook === undefined) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${loaded.file}: there is no "audiohook" section. Add audiohook { sipuri, token, accountId } (see "kaa init").`,
        { details: { file: loaded.file, field: 'audiohook' } },
      );
    }
    const cc = config.genesys.clientCredentials;
    if (cc === undefined) {
      throw new KaaError(
        'E_CONFIG_INVALID',
        `${loaded.where(['genesys'])}: "genesys.clientCredentials" is missing; the AudioHook Advanced settings need a Client Credentials OAuth client. Add clientCredentials { clientId, clientSecret }.`,
        { details: { file: loaded.file, field: 'genesys.clientCredentials' } },
      );
    }
    const botName =
      hook.bot ??
      Object.entries(config.bots).find(([, b]) => b.audiohookEnabled)?.[0] ??
      Object.keys(config.bots)[0] ??
      '';
    const bot = botNamed(loaded, botName);
    const uri = buildAudiohookUri({
      kvgHost: hook.kvgHost,
      sipuri: hook.sipuri,
      token: await loaded.secret(hook.token, ['audiohook', 'token']),
      botId: bot.botId,
      accountId: hook.accountId,
      multiBot: hook.multiBot,
    });
    const botSecret = await loaded.secret(bot.clientSecret, ['bots', botName, 'clientSecret']);
    const token = await signPlatformJwt({
      appId: bot.clientId,
      clientSecret: botSecret,
      now: new Date(ctx.io.now()),
      ttlSeconds: hook.tokenTtlSeconds,
      secretEncoding: loaded.settings.kore.jwt.secretEncoding,
    });
    (loaded.secrets as string[]).push(token);
    const advanced = formatAudiohookAdvancedConfig(await audiohookAdvanced(loaded, cc, bot, token));
    const reveal = ctx.values['reveal'] === true;
    const { out } = ctx;
    const print = (text: string) => (reveal ? out.secretLine(text) : out.line(text));
    if (out.json) {
      const value = JSON.stringify(
        {
          channel: 'both',
          connectionUri: uri,
          advanced: JSON.parse(advanced) as unknown,
          credentials: { clientId: bot.clientId, clientSecret: botSecret },
          bot: botName,
          revealed: reveal,
        },
        null,
        2,
      );
      if (reveal) out.secretLine(value);
      else out.result(JSON.parse(value));
      return EXIT.ok;
    }
    out.line(out.colour.bold(`AudioHook Monitor › Configuration (bot "${botName}")`));
    out.line('Channel: both');
    out.line('Connection URI:');
    print(uri);
    out.line();
    out.line(out.colour.bold('AudioHook Monitor › Advanced'));
    print(advanced);
    out.line();
    out.line(
      out.colour.bold(
        "AudioHook Monitor › Credentials (the bot's ClientId and ClientSecret: Kore checks the audio stream's signature with them)",
      ),
    );
    out.line(`Client ID: ${bot.clientId}`);
    print(`Client Secret: ${botSecret}`);
    if (!reveal) out.line(out.colour.dim('(secrets masked; run "kaa audiohook --reveal" to paste them)'));
    return EXIT.ok;
  },
};
