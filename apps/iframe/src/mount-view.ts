import type { Logger } from '@kaa/core';
import { KaaError } from '@kaa/core';
import type { BotRecord, KaaSettings } from '@kaa/core';
import { mountAgentAssist } from '@kaa/kore-client';
import type { AgentAssistView } from '@kaa/kore-client';
import type { Screen } from './screen.js';

/** Input of {@link mountView}. */
export interface MountViewInput {
  record: BotRecord;
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
export async function mountView(input: MountViewInput): Promise<AgentAssistView> {
  const { record, settings, launch, screen, logger } = input;
  if (record.isAgentAISDK) {
    try {
      const { loadAgentAiSdk, mountAgentAiSdkView } = await import('./sdk-mode.js');
      const AAWindow = await loadAgentAiSdk({ scriptUrl: settings.kore.webSdk.scriptUrl });
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
      screen.notice('This bot is set to the Agent AI Web SDK (isAgentAISDK=true), but the SDK could not be loaded; the widget is shown in iframe mode instead. Set kore.webSdk.scriptUrl in kaa.config.json to use the SDK.');
    }
  }
  return mountAgentAssist(screen.widgetContainer, { url: launch.url, allowHttpLoopback: input.allowHttpLoopback, logger });
}
