import type { Models } from 'purecloud-platform-client-v2';
import { INTERACTION_WIDGET_TYPE, KaaError } from '@kaa/core';
import type { SandboxSecret } from '../secret-log.js';
import { PAGE_CLIENT_SCOPES } from './oauth-clients.js';
import type { Org, OrgIntegration } from './org.js';
import { OAUTH_CLIENTS, USERS } from '../seed.js';
import type { FaultsInput } from './faults.js';
import type { GenesysService, NewConversation, SandboxState } from './service.js';
import { toConversation } from './shapes.js';
import type { ScriptLine, TranscribeResult } from './world-types.js';
import type { ConversationAction } from './world.js';

/**
 * The TypeScript twin of the `/sandbox/v1` control API: drive conversations, transcripts, messages and faults
 * from a test without HTTP. Methods throw {@link KaaError} on impossible actions, like the API answers 4xx.
 *
 * @example
 * ```ts
 * const { genesys } = await startSandbox();
 * genesys.hold(CONVERSATIONS.voiceAlpha);
 * genesys.transferCold(CONVERSATIONS.voiceAlpha, USERS.agent2.id);
 * await genesys.transcribe(CONVERSATIONS.voiceAlpha, [{ channel: 'EXTERNAL', text: 'Hello', partials: true }]);
 * ```
 */
export interface GenesysDriver {
  readonly loginOrigin: string;
  readonly apiOrigin: string;
  /** Creates an interaction (alerting for USERS.agent by default); returns its id. */
  create(input: NewConversation): string;
  act(conversationId: string, action: ConversationAction, toUserId?: string): void;
  answer(conversationId: string, userId?: string): void;
  hold(conversationId: string, userId?: string): void;
  resume(conversationId: string, userId?: string): void;
  /** Blind transfer to `toUserId` (default USERS.agent2): my leg ends with `transfer`, new acd + alerting agent legs. */
  transferCold(conversationId: string, toUserId?: string): void;
  /** Consult transfer: a connected consult leg linked by `consultParticipantId`; the customer is held. */
  transferWarm(conversationId: string, toUserId?: string): void;
  /** Completes the consult: my leg ends with `transfer.consult`. */
  completeWarm(conversationId: string): void;
  /** The agent hangs up (`client`); the call ends when no agent is left. */
  disconnect(conversationId: string, userId?: string): void;
  /** The customer hangs up (`endpoint`); every agent leg ends with `peer`. */
  end(conversationId: string): void;
  /** Publishes transcription events (default: the conversation's script). */
  transcribe(
    conversationId: string,
    utterances?: readonly ScriptLine[],
    intervalMs?: number,
  ): Promise<TranscribeResult>;
  /** A customer web message; returns its id. */
  customerMessage(conversationId: string, text: string): string;
  /** An agent web message from the connected agent leg; returns its id. */
  agentMessage(conversationId: string, text: string): string;
  faults(faults: FaultsInput): void;
  reset(): Promise<void>;
  /** Who the login page signs in next. */
  signIn(userId: string): void;
  state(): SandboxState;
  /** The conversation as `GET /api/v2/conversations/{id}` returns it. */
  conversation(conversationId: string): Models.Conversation;
  /** Issues an access token without a browser flow (default: USERS.agent through the PKCE client). */
  issueToken(input?: { userId?: string; clientId?: string }): string;
  /** Revokes a token; its channels get `v2.system.token_revoked`. */
  revokeToken(token: string): void;
  /**
   * Every credential the Genesys half issued or received since it started (access tokens, authorization codes,
   * PKCE verifiers, OAuth client secrets), oldest first; a reset keeps them. For secret scans.
   */
  issuedSecrets(): SandboxSecret[];
  /**
   * Registers a browser OAuth client as an admin creates one in Admin › Integrations › OAuth: its grant and exactly
   * these redirect URIs (nothing added for the page origin). Replaces a client of the same id. Survives `reset()`.
   */
  registerClient(client: {
    id: string;
    grants: readonly ('implicit' | 'pkce')[];
    redirectUris: readonly string[];
    scopes?: readonly string[];
  }): void;
  /**
   * The org's configuration as the admin API holds it (OAuth clients, integrations, roles, grants, groups, queue
   * settings): read it back after `kaa provision apply`, or change it as an admin would in the console. It survives
   * `reset()`; {@link GenesysDriver.restoreOrg} goes back to how the org started.
   */
  readonly org: Org;
  /** An admin turns a queue's Voice Transcription on or off (Admin › Queues › Voice). */
  setQueueTranscription(queueId: string, on: boolean): void;
  /** The Interaction Widget integrations with their current configuration, as `GET …/config/current` returns it. */
  interactionWidgets(): { id: string; name: string; enabled: boolean; config: OrgIntegration['config'] }[];
  /** The org back to how it started (`org: 'seeded' | 'empty'`). */
  restoreOrg(): void;
}

/**
 * Wraps a {@link GenesysService} as a {@link GenesysDriver}.
 *
 * @example
 * ```ts
 * const driver = makeDriver(service, loginOrigin, apiOrigin);
 * ```
 */
export function makeDriver(g: GenesysService, loginOrigin: string, apiOrigin: string): GenesysDriver {
  const act = (id: string, action: ConversationAction, user?: string): void => {
    g.act(id, action, user);
  };
  return {
    loginOrigin,
    apiOrigin,
    create: (input) => g.createConversation(input),
    act,
    answer: (id, user) => act(id, 'answer', user),
    hold: (id, user) => act(id, 'hold', user),
    resume: (id, user) => act(id, 'resume', user),
    transferCold: (id, to) => act(id, 'transferCold', to),
    transferWarm: (id, to) => act(id, 'transferWarm', to),
    completeWarm: (id) => act(id, 'completeWarm'),
    disconnect: (id, user) => act(id, 'disconnect', user),
    end: (id) => act(id, 'end'),
    transcribe: (id, utterances, intervalMs) => g.transcribe(id, utterances, intervalMs),
    customerMessage: (id, text) => g.message(id, 'inbound', text).id,
    agentMessage: (id, text) => g.message(id, 'outbound', text).id,
    faults: (f) => g.faults(f),
    reset: () => g.reset(),
    signIn: (userId) => g.signIn(userId),
    state: () => g.state(),
    conversation: (id) => toConversation(g.world.get(id)),
    issueToken: (input = {}) => {
      const clientId = input.clientId ?? OAUTH_CLIENTS.pkce.id;
      const client = g.clients.get(clientId);
      const grant = client?.grants[0] ?? (clientId === OAUTH_CLIENTS.implicit.id ? 'implicit' : 'pkce');
      const userId = grant === 'client_credentials' ? undefined : (input.userId ?? USERS.agent.id);
      return g.tokens.issue(
        { clientId, grant, ...(userId ? { userId } : {}), scopes: client?.scopes ?? PAGE_CLIENT_SCOPES },
        g.faultState.tokenTtlSeconds,
      ).token;
    },
    revokeToken: (token) => g.revoke(token),
    issuedSecrets: () => g.secrets.list(),
    registerClient: (client) => {
      if (Object.values(OAUTH_CLIENTS).some((c) => c.id === client.id))
        throw new KaaError(
          'E_PARAM_INVALID',
          `OAuth client "${client.id}" is a seeded sandbox client; register the admin's client under another id.`,
        );
      g.clients.set(client.id, {
        id: client.id,
        name: `Admin's client ${client.id}`,
        grants: [...client.grants],
        redirectUris: [...client.redirectUris],
        scopes: [...(client.scopes ?? PAGE_CLIENT_SCOPES)],
      });
    },
    org: g.org,
    setQueueTranscription: (queueId, on) => {
      const q = g.org.queues.get(queueId);
      if (!q)
        throw new KaaError(
          'E_PARAM_INVALID',
          `Queue id "${queueId}" is not a sandbox queue. Use one of the ids in packages/sandbox/src/seed.ts QUEUES.`,
        );
      q.enableTranscription = on;
    },
    interactionWidgets: () =>
      [...g.org.integrations.values()]
        .filter((i) => i.typeId === INTERACTION_WIDGET_TYPE)
        .map((i) => ({
          id: i.id,
          name: i.name,
          enabled: i.intendedState === 'ENABLED',
          config: structuredClone(i.config),
        })),
    restoreOrg: () => g.org.restore(),
  };
}
