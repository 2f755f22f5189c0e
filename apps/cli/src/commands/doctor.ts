import { KaaError } from '@kaa/core';
import type { Command } from '../command.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { EXIT } from '../exit-codes.js';

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

Runs, for one conversation, what the page does when the agent opens the Interaction Widget, and prints each
step with its outcome and time:
  environment        genesys.environment (+ settings.genesys.environments) → API and login hosts
  token              a Client Credentials token (genesys.clientCredentials)
  conversation       GET /api/v2/conversations/{id}
  agent participant  the participant of --user (client credentials have no users/me, so --user is required)
  queue              the queue name of that participant
  identifier         the QueueIdentifier: text before the first dataTable.qDelimiter
  table              the Kore Data Table, read with the x_metadata token exactly as the page reads it
  row                the bot row for the queue (routing.* settings)
  widget token       the widget JWT signed with the row's ClientSecret / RSPrivatePem
  JWE                KvpConfig values encrypted with the row's JWEPublicKey
  widget URL         the iframe URL built, and AgentAssistWidgetURL reachable (HTTP < 400)
It stops at the first failing step, names it and prints the fix. Secrets are never printed.

Options:
  --conversation <id>  the conversation id (gcConversationId)
  --user <id>          the agent's Genesys user id (Admin > People, or the URL of the user's profile)
  --timeout <ms>       how long the widget URL may take (default 5000)
Exit 0 when every step passed, 1 when a step failed, 2 for usage or config errors.
`,
  async run(ctx) {
    const conversationId = ctx.values['conversation'];
    const userId = ctx.values['user'];
    if (typeof conversationId !== 'string' || conversationId.trim() === '') throw new KaaError('E_CLI_USAGE', '"kaa doctor" needs --conversation <id>. Run "kaa doctor --help".');
    if (typeof userId !== 'string' || userId.trim() === '') {
      throw new KaaError('E_CLI_USAGE', '"kaa doctor" needs --user <genesys-user-id>: with client credentials there is no signed-in user (users/me), so kaa cannot tell which agent participant is yours. Pass the id of the agent who handled the conversation.');
    }
    const timeoutText = ctx.values['timeout'];
    const widgetTimeoutMs = typeof timeoutText === 'string' ? Number(timeoutText) : 5000;
    if (!(Number.isInteger(widgetTimeoutMs) && widgetTimeoutMs > 0)) throw new KaaError('E_CLI_USAGE', `--timeout must be a whole number of milliseconds (got "${String(timeoutText)}").`);
    const loaded = await ctx.load();
    const { out } = ctx;
    const c = out.colour;
    let stop: (() => void) | undefined;
    if (!out.json) out.line(c.bold(`kaa doctor — conversation ${conversationId}, agent ${userId}`));
    const steps = await runDoctor(loaded, ctx.io, {
      conversationId: conversationId.trim(),
      userId: userId.trim(),
      widgetTimeoutMs,
      onStart: (name) => void (stop = out.progress(name)),
      onStep: () => stop?.(),
    });
    const failure = steps.find((s) => s.status === 'fail');
    if (out.json) {
      out.result({ conversationId, userId, ok: failure === undefined, firstFailure: failure ? { step: failure.step, ...failure.error } : null, steps });
      return failure ? EXIT.findings : EXIT.ok;
    }
    out.table(
      ['', 'Step', 'Time', 'Outcome'],
      steps.map((s) => [s.status === 'ok' ? c.green('ok') : s.status === 'fail' ? c.red('FAIL') : c.dim('-'), s.step, s.status === 'skip' ? '' : `${s.ms} ms`, s.status === 'fail' ? (s.error?.code ?? '') : s.detail]),
    );
    out.line();
    if (failure) {
      out.line(c.red(`First failing step: ${failure.step} (${failure.error?.code ?? ''})`));
      out.line(`Fix: ${failure.error?.message ?? ''}`);
      return EXIT.findings;
    }
    out.line(c.green('Every step passed: the widget would load for this conversation.'));
    return EXIT.ok;
  },
};
