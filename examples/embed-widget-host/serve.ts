/**
 * Runs the embed-widget-host example against a running sandbox:
 *   tsx examples/embed-widget-host/serve.ts --kore http://127.0.0.1:4003 [--bot alpha] [--conversation <id>] [--port 4010]
 * It mints widget sessions for a seeded bot (sandbox credentials from `@kaa/sandbox`'s seed) and prints the page URL.
 * A real integration takes the bot record from its own bot source and keeps ClientSecret on the server, as here.
 */
import { parseArgs } from 'node:util';
import { BOTS, CONVERSATIONS, USERS } from '@kaa/sandbox';
import { mintWidgetSession } from './mint-widget-session.js';
import { startEmbedWidgetHost } from './start-embed-widget-host.js';

const { values } = parseArgs({
  options: {
    kore: { type: 'string' },
    bot: { type: 'string', default: 'alpha' },
    conversation: { type: 'string', default: CONVERSATIONS.voiceAlpha },
    port: { type: 'string', default: '0' },
  },
});
/** The seeded HS256 bots (the `rs` bot signs RS256 with a private key this example does not load). */
const HS256_BOTS = { alpha: BOTS.alpha, kore: BOTS.kore, dupe1: BOTS.dupe1, dupe2: BOTS.dupe2 };
const bot = HS256_BOTS[values.bot as keyof typeof HS256_BOTS];
if (!values.kore || !bot) {
  process.stderr.write(
    `Usage: tsx examples/embed-widget-host/serve.ts --kore <sandbox Kore origin> [--bot ${Object.keys(HS256_BOTS).join('|')}] [--conversation <id>] [--port <n>]\n`,
  );
  process.exit(2);
}
const kore = new URL(values.kore).origin;
const host = await startEmbedWidgetHost({
  widgetOrigin: kore,
  port: Number(values.port),
  onError: (e) => process.stderr.write(`error ${e.code}: ${e.message}\n`),
  session: () =>
    mintWidgetSession({
      bot,
      agentAssistWidgetUrl: `${kore}/koreagentassist-sdk-v3/UI/agentassist-iframe.html`,
      conversationId: values.conversation,
      agent: { id: USERS.agent.id, name: USERS.agent.name },
      customer: { id: 'customer-1', name: 'Carla Customer' },
      utterances: [
        { speaker: 'customer', text: 'I want to check my balance' },
        { speaker: 'agent', text: 'Sure, can you confirm your account number?' },
        { speaker: 'customer', text: 'It is 4 5 1 2.' },
      ],
      now: () => Date.now(),
    }),
});
process.stdout.write(
  `Embed-widget-host example: open ${host.url}\nWidget state: ${kore}/sandbox/kore/v1/widget-state?conversationId=${values.conversation}\nCtrl+C stops it.\n`,
);
const stop = () => void host.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
