import { WIDGET_MESSAGE } from './message-names.js';
import { nonBlank } from './build-utterance-message.js';

/** The `setAgentInfo` postMessage. */
export interface AgentInfoMessage {
  name: typeof WIDGET_MESSAGE.setAgentInfo;
  agentDetails: { agentId: string; agentName: string; agentInfo: Record<string, unknown> };
}

/** The `setUserInfo` postMessage. */
export interface UserInfoMessage {
  name: typeof WIDGET_MESSAGE.setUserInfo;
  userDetails: { userId: string; userName: string; userInfo: Record<string, unknown> };
}

/**
 * Builds `setAgentInfo`, sent after `agentassist_loaded` (docs/kore-protocol.md#host-to-widget-messages). kaa passes the Genesys user id and name.
 *
 * @example
 * ```ts
 * import { buildAgentInfoMessage } from '@kaa/core';
 *
 * buildAgentInfoMessage({ agentId: 'a9e0…01', agentName: 'Ava Agent' });
 * // → { name: 'setAgentInfo', agentDetails: { agentId: 'a9e0…01', agentName: 'Ava Agent', agentInfo: {} } }
 * ```
 */
export function buildAgentInfoMessage(input: {
  agentId: string;
  agentName?: string | undefined;
  agentInfo?: Record<string, unknown> | undefined;
}): AgentInfoMessage {
  return {
    name: WIDGET_MESSAGE.setAgentInfo,
    agentDetails: {
      agentId: nonBlank(input.agentId, 'agentId'),
      agentName: input.agentName ?? '',
      agentInfo: { ...input.agentInfo },
    },
  };
}

/**
 * Builds `setUserInfo` (the customer), sent after `agentassist_loaded` (docs/kore-protocol.md#host-to-widget-messages).
 *
 * @example
 * ```ts
 * import { buildUserInfoMessage } from '@kaa/core';
 *
 * buildUserInfoMessage({ userId: 'customer-participant-id', userName: 'Carla Customer' });
 * // → { name: 'setUserInfo', userDetails: { userId: 'customer-participant-id', userName: 'Carla Customer', userInfo: {} } }
 * ```
 */
export function buildUserInfoMessage(input: {
  userId: string;
  userName?: string | undefined;
  userInfo?: Record<string, unknown> | undefined;
}): UserInfoMessage {
  return {
    name: WIDGET_MESSAGE.setUserInfo,
    userDetails: {
      userId: nonBlank(input.userId, 'userId'),
      userName: input.userName ?? '',
      userInfo: { ...input.userInfo },
    },
  };
}
