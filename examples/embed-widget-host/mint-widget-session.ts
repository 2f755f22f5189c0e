import { buildAgentAssistUrl, signWidgetJwt } from '@kaa/core';
import type { WidgetSession } from './widget-session.js';

/**
 * Options of {@link mintWidgetSession}: one bot's credentials (server-side only) and what the page should show.
 *
 * @example
 * ```ts
 * const options: MintWidgetSessionOptions = { bot, agentAssistWidgetUrl, conversationId, agent, customer, utterances: [], now: Date.now };
 * ```
 */
export interface MintWidgetSessionOptions {
  /** From the bot record: `BotId`, `ClientId`, `ClientSecret` (secret), `Algorithm`, `RSPrivatePem` (secret). */
  bot: { botId: string; clientId: string; clientSecret?: string; algorithm?: string; privateKeyPem?: string };
  /** The bot row's `AgentAssistWidgetURL`. */
  agentAssistWidgetUrl: string;
  conversationId: string;
  agent: WidgetSession['agent'];
  customer: WidgetSession['customer'];
  utterances: WidgetSession['utterances'];
  /** `gcLangTag`, e.g. `en-us` → `interactiveLanguage=en`. */
  lang?: string;
  /** Voice (`true`, default) or chat. */
  isCall?: boolean;
  /** Clock, epoch milliseconds. */
  now: () => number;
}

/**
 * Mints a widget session on the server: the widget JWT with core's `signWidgetJwt` (the secret never reaches the
 * browser) and the iframe `src` with core's `buildAgentAssistUrl`.
 *
 * @example
 * ```ts
 * const session = await mintWidgetSession({
 *   bot: { botId: 'st-…', clientId: 'cs-…', clientSecret: process.env.BOT_CLIENT_SECRET! },
 *   agentAssistWidgetUrl: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
 *   conversationId, agent: { id: userId, name: 'Ava Agent' }, customer: { id: 'cu-1', name: 'Carla' },
 *   utterances: [{ speaker: 'customer', text: 'I want to check my balance' }], now: Date.now,
 * });
 * ```
 */
export async function mintWidgetSession(options: MintWidgetSessionOptions): Promise<WidgetSession> {
  const token = await signWidgetJwt({
    clientId: options.bot.clientId,
    clientSecret: options.bot.clientSecret,
    algorithm: options.bot.algorithm,
    privateKeyPem: options.bot.privateKeyPem,
    subject: options.agent.id,
    now: new Date(options.now()),
  });
  const widgetUrl = buildAgentAssistUrl(
    { botId: options.bot.botId, agentAssistWidgetUrl: options.agentAssistWidgetUrl },
    { conversationId: options.conversationId, lang: options.lang ?? 'en-us' },
    { token, isCall: options.isCall ?? true },
  );
  return {
    conversationId: options.conversationId,
    widgetUrl,
    agent: options.agent,
    customer: options.customer,
    utterances: options.utterances,
  };
}
