import type { Logger } from '@kaa/core';
import { KaaError } from '@kaa/core';
import type { BotRecord, KaaSettings } from '@kaa/core';
import { mountAgentAssist } from '@kaa/kore-client';
import type { AgentAssistHost, AgentAssistView } from '@kaa/kore-client';
import type { Screen } from './screen.js';

/**
 * What the agent's panel says when a row asks for the Web SDK and it cannot be used: exactly what to set when
 * `kore.webSdk.scriptUrl` is missing (docs/assumptions.md#agent-ai-web-sdk-availability), else why loading failed.
 */
function sdkUnavailableNotice(scriptUrl: string | undefined, why: string): string {
  if (!scriptUrl) {
    return 'This bot\'s row has isAgentAISDK=True, but the page has no Agent AI Web SDK to load, so the widget is shown in iframe mode. Kore does not publish the SDK: host its UMD bundle yourself and set, in kaa.yaml, settings: kore: webSdk: { scriptUrl: "https://<your host>/agentai-web-sdk-umd.min.js", integrity: "sha384-<hash of that file>" }, then run "kaa page --dist" again (it also allows that host in the page\'s Content-Security-Policy). See docs/assumptions.md#agent-ai-web-sdk-availability.';
  }
  return `This bot's row has isAgentAISDK=True, but the Agent AI Web SDK could not be used, so the widget is shown in iframe mode. ${why}`;
}

/** Input of {@link mountView}. */
export interface MountViewInput {
  /** The bot's public fields (a bot-table record, or the token broker's `bot`). */
  record: Pick<BotRecord, 'botId' | 'agentAssistWidgetUrl' | 'isAgentAISDK'>;
  conversationId: string;
  settings: KaaSettings;
  /** The widget URL and token from core's `mintWidgetLaunch`. */
  launch: { url: string; token: string; isCall: boolean };
  screen: Pick<Screen, 'widgetContainer' | 'notice'>;
  /** Accept an `http:` widget URL on a loopback host (the sandbox). */
  allowHttpLoopback: boolean;
  logger: Logger;
}

/**
 * Step 7: the SDK-mode view when the row asks for it (`isAgentAISDK`) and the SDK loads (`kore.webSdk.scriptUrl`),
 * else the widget iframe — with a notice when SDK mode was asked for but is unavailable (the SDK is not public).
 *
 * @example
 * ```ts
 * const view = await mountView({ record, conversationId: ctx.conversationId, settings, launch, screen, allowHttpLoopback: false, logger });
 * view.setAgentInfo({ agentId: me.id });
 * ```
 */
export async function mountView(
  input: MountViewInput,
): Promise<AgentAssistHost | (AgentAssistView & { readonly mode: 'sdk' })> {
  const { record, settings, launch, screen, logger } = input;
  if (record.isAgentAISDK) {
    try {
      const { loadAgentAiSdk, mountAgentAiSdkView } = await import('./sdk-mode.js');
      const AAWindow = await loadAgentAiSdk({
        scriptUrl: settings.kore.webSdk.scriptUrl,
        integrity: settings.kore.webSdk.integrity,
      });
      return mountAgentAiSdkView(screen.widgetContainer, {
        AAWindow,
        connectionDetails: {
          domainUrl: settings.kore.agentAssistUrl ?? new URL(record.agentAssistWidgetUrl).origin,
          token: launch.token,
          botId: record.botId,
          conversationId: input.conversationId,
          channel: launch.isCall ? 'voice' : 'chat',
          isSecure: false,
          source: settings.kore.source,
        },
        logger,
      });
    } catch (e) {
      if (!(e instanceof KaaError) || e.code !== 'E_WIDGET_SDK_UNAVAILABLE') throw e;
      screen.notice(sdkUnavailableNotice(settings.kore.webSdk.scriptUrl, e.message));
    }
  }
  return mountAgentAssist(screen.widgetContainer, {
    url: launch.url,
    allowHttpLoopback: input.allowHttpLoopback,
    logger,
  });
}
