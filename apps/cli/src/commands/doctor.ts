import { KaaError } from '@kaa/core';
import type { Command } from '../command.js';
import { thirdPartyLookupUrl } from '../bot-source/config-bot-source.js';
import { requireDataTable } from '../connections.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { EXIT } from '../exit-codes.js';
import { desiredRows } from '../table/desired-rows.js';

/**
 * `kaa doctor --conversation <id> --user <id>`: runs the page's resolution steps and names the first failing
 * step and its fix.
 *
 * @example
 * ```sh
 * kaa doctor --conversation c0a00000-0000-4000-8000-000000000003 --user a9e00000-0000-4000-8000-000000000001
 * ```
 */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: "Run the page's resolution steps for one conversation and name the first failing step",
  options: { conversation: { type: 'string' }, user: { type: 'string' }, timeout: { type: 'string' } },
  help: `Usage: kaa doctor --conversation <id> --user <genesys-user-id> [--timeout <ms>] [--json]
       KAA_GENESYS_TOKEN=<agent access token> kaa doctor --conversation <id>

Runs, for one conversation, what the page does when the agent opens the Interaction Widget, and prints each
step with its outcome and time:
  page               the page deployed at page.url and the settings it runs with, read as the page reads
                     them (the block "kaa page --dist" embeds in index.html, else kaa.config.json): the Kore
                     API host it will call (kore-data-table mode) must be the one kaa.yaml gives
  environment        genesys.environment (+ the page's settings.genesys.environments) → API and login hosts
  token              a Client Credentials token (genesys.clientCredentials), or KAA_GENESYS_TOKEN (users/me)
In broker mode (settings.tokens.serverUrl, or a "broker" section; the deployed page must call the same broker):
  broker health      GET /healthz and /readyz of the token broker the page calls
  broker CORS        a preflight (OPTIONS /v1/launch) from the page's origin gets that exact origin back, with
                     POST, authorization and content-type; one from a foreign origin does not
  broker launch      POST /v1/launch for the conversation with KAA_GENESYS_TOKEN, as the page sends it: the bot
                     the broker resolved, and that it minted the widget URL and the JWE (held to the page's
                     allow.koreHosts). Skipped without KAA_GENESYS_TOKEN: the broker serves signed-in agents only
  conversation       GET /api/v2/conversations/{id}
  agent participant  the participant of --user (client credentials have no users/me, so --user is required)
  queue              the queue name of that participant
  identifier         the QueueIdentifier: text before the first dataTable.qDelimiter (third-party: the full
                     queue name; legacy table: not used)
  table              the bot source of botSource.kind, read as the page reads it:
                       kore-data-table       the Kore Data Table, with the x_metadata token, at the page's
                                             Kore API host
                       third-party           Third-Party Configuration of botSource.accountId: the config's
                                             bots as records (lookup static) or botSource.url (lookup http)
                       genesys-legacy-table  the Architect data table with Reference Key label "agentAssist"
                                             (or botSource.tableId), read with the Genesys token
  row                the bot row / record for the queue (routing.* settings)
  widget token       the widget JWT signed with the row's ClientSecret / RSPrivatePem, exchanged at Kore's
                     jwtgrant (POST {agentassisturl}/api/1.1/oAuth/token/jwtgrant) as the widget does: a
                     secret that does not belong to the bot fails here
  JWE                KvpConfig values encrypted with the row's JWEPublicKey
  widget URL         the iframe URL built, and AgentAssistWidgetURL reachable (HTTP < 400)
  transcripts        for a voice call whose bot has AudiohookEnabled false: the agent's roles hold
                     "Conversation > Transcription > View" (read with genesys.adminClient, else
                     genesys.clientCredentials: authorization:readonly) and the queue has voice transcription on
                     ("kaa provision apply" fixes both)
It stops at the first failing step, names it and prints the fix. Secrets are never printed.

Options:
  --conversation <id>  the conversation id (gcConversationId)
  --user <id>          the agent's Genesys user id (Admin > People, or the URL of the user's profile)
  --timeout <ms>       how long the page, Kore's jwtgrant and the widget URL may each take (default 5000)
Environment:
  KAA_GENESYS_TOKEN    an agent's Genesys access token: used instead of genesys.clientCredentials, and
                       users/me names the agent, so --user may be left out
Exit 0 when every step passed, 1 when a step failed, 2 for usage or config errors (missing client
credentials or secrets are reported before any step runs).
`,
  async run(ctx) {
    const conversationId = ctx.values['conversation'];
    const userArg = ctx.values['user'];
    const agentToken = ctx.io.env['KAA_GENESYS_TOKEN'];
    if (typeof conversationId !== 'string' || conversationId.trim() === '')
      throw new KaaError('E_CLI_USAGE', '"kaa doctor" needs --conversation <id>. Run "kaa doctor --help".');
    const userId = typeof userArg === 'string' && userArg.trim() !== '' ? userArg.trim() : undefined;
    if (userId === undefined && (agentToken === undefined || agentToken.trim() === '')) {
      throw new KaaError(
        'E_CLI_USAGE',
        '"kaa doctor" needs --user <genesys-user-id>: with client credentials there is no signed-in user (users/me), so kaa cannot tell which agent participant is yours. Pass the id of the agent who handled the conversation, or export KAA_GENESYS_TOKEN with that agent\'s access token.',
      );
    }
    const timeoutText = ctx.values['timeout'];
    const widgetTimeoutMs = typeof timeoutText === 'string' ? Number(timeoutText) : 5000;
    if (!(Number.isInteger(widgetTimeoutMs) && widgetTimeoutMs > 0))
      throw new KaaError(
        'E_CLI_USAGE',
        `--timeout must be a whole number of milliseconds (got "${String(timeoutText)}").`,
      );
    const loaded = await ctx.load();
    // configuration problems are exit 2, not a failed step: check what the steps will need first
    const useToken = agentToken !== undefined && agentToken.trim() !== '';
    if (!useToken) {
      const cc = loaded.config.genesys.clientCredentials;
      if (cc === undefined) {
        throw new KaaError(
          'E_CONFIG_INVALID',
          `${loaded.where(['genesys'])}: "genesys.clientCredentials" is missing. Add a Client Credentials OAuth client { clientId, clientSecret } so kaa doctor can read the conversation, or export KAA_GENESYS_TOKEN with an agent's access token.`,
          {
            details: { file: loaded.file, ...loaded.locate(['genesys']), field: 'genesys.clientCredentials' },
          },
        );
      }
      await loaded.secret(cc.clientSecret, ['genesys', 'clientCredentials', 'clientSecret']);
    }
    const source = loaded.config.botSource;
    if (source.kind === 'kore-data-table') {
      const table = requireDataTable(loaded, '"kaa doctor"');
      if (table.token !== undefined) await loaded.secret(table.token, ['dataTable', 'token']);
      else if (table.readApp !== undefined)
        await loaded.secret(table.readApp.clientSecret, ['dataTable', 'readApp', 'clientSecret']);
    } else if (source.kind === 'third-party') {
      if (source.lookup === 'static')
        await desiredRows(loaded); // the bots are the records: their secrets must resolve
      else thirdPartyLookupUrl(loaded);
    }
    const { out } = ctx;
    const c = out.colour;
    let stop: (() => void) | undefined;
    if (!out.json)
      out.line(
        c.bold(`kaa doctor — conversation ${conversationId}, agent ${userId ?? '(users/me of KAA_GENESYS_TOKEN)'}`),
      );
    const steps = await runDoctor(loaded, ctx.io, {
      conversationId: conversationId.trim(),
      ...(userId !== undefined && { userId }),
      ...(useToken && { agentToken: (agentToken as string).trim() }),
      widgetTimeoutMs,
      onStart: (name) => void (stop = out.progress(name)),
      onStep: () => stop?.(),
    });
    const failure = steps.find((s) => s.status === 'fail');
    if (out.json) {
      out.result({
        conversationId,
        userId,
        ok: failure === undefined,
        firstFailure: failure ? { step: failure.step, ...failure.error } : null,
        steps,
      });
      return failure ? EXIT.findings : EXIT.ok;
    }
    out.table(
      ['', 'Step', 'Time', 'Outcome'],
      steps.map((s) => [
        s.status === 'ok' ? c.green('ok') : s.status === 'fail' ? c.red('FAIL') : c.dim('-'),
        s.step,
        s.status === 'skip' ? '' : `${s.ms} ms`,
        s.status === 'fail' ? (s.error?.code ?? '') : s.detail,
      ]),
    );
    out.line();
    if (failure) {
      out.line(c.red(`First failing step: ${failure.step} (${failure.error?.code ?? ''})`));
      out.line(`Fix: ${failure.error?.message ?? ''}`);
      return EXIT.findings;
    }
    const notChecked = steps.filter((s) => s.status === 'skip');
    if (notChecked.length > 0) {
      out.line(
        c.green(`Every step that ran passed; not checked: ${notChecked.map((s) => s.step).join(', ')} (see its line).`),
      );
      return EXIT.ok;
    }
    out.line(c.green('Every step passed: the widget would load for this conversation.'));
    return EXIT.ok;
  },
};
