// Over 300 lines on purpose: GenesysService is the sandbox's one facade over its world, clock, faults and notifications; each method is a few lines.
import { KaaError, listIssues } from '@kaa/core';
import { RateBudget } from '../http/rate-budget.js';
import { TimerSet } from '../http/timers.js';
import { ORG, QUEUES, USERS } from '../seed.js';
import { type Env, makeEnv } from './clock.js';
import { FaultState, FaultsSchema } from './faults.js';
import { NotificationHub } from './notifications.js';
import type { OAuthClient } from './oauth-clients.js';
import { Org } from './org.js';
import { GENESYS_DEFAULTS, type GenesysOptions, type GenesysSettings } from './options.js';
import { SCENARIOS, type ScenarioName, seedWorld } from './seed-world.js';
import { toCallEvent, toMessageEvent, toUserConversationEvent } from './shapes.js';
import { TokenStore } from './tokens.js';
import { SecretLog } from '../secret-log.js';
import { toTranscriptionEvent } from './transcription.js';
import type { Media, ScriptLine, TranscribeResult, WorldConversation, WorldMessage } from './world-types.js';
import { type ConversationAction, World } from './world.js';

/** What `POST /sandbox/v1/conversations` (and {@link GenesysService.createConversation}) takes. */
export interface NewConversation {
  /** Copy media, queue, customer and script from a seeded scenario (a key of SCENARIOS). */
  scenario?: ScenarioName;
  media?: Media;
  queueId?: string;
  customer?: { name: string };
  /** Who gets the interaction; default USERS.agent. */
  agentUserId?: string;
  /** `alerting` (default) or `connected`. */
  state?: 'alerting' | 'connected';
}

/** The `GET /sandbox/v1/state` body (the composition adds `recorded`: the Kore platform's records). */
export interface SandboxState {
  users: { id: string; name: string; email: string }[];
  queues: { id: string; name: string }[];
  /** The seeded org's (ORG) conversations: what its agent desktop lists. */
  conversations: ConversationSummary[];
  /** Conversations of OTHER_ORG (seed.ts OTHER_ORG_CONVERSATIONS): only that org's users can read them. */
  otherOrgConversations: ConversationSummary[];
  /** Who the login page signs in next. */
  signedInUserId: string;
  channels: number;
  /** Topics subscribed over all channels (the lifecycle `stop` hook removes a page's). */
  subscribedTopics: number;
  openSockets: number;
  faults: ReturnType<FaultState['toJSON']>;
  recorded?: unknown;
  [extra: string]: unknown;
}

/** The conversation summary in `GET /sandbox/v1/state`. */
export interface ConversationSummary {
  id: string;
  media: Media;
  queueName: string;
  state: 'alerting' | 'connected' | 'ended';
  participants: {
    id: string;
    purpose: string;
    name?: string;
    userId?: string;
    state: string;
    held: boolean;
    disconnectType?: string;
    consultParticipantId?: string;
  }[];
}

/**
 * The Genesys half of the sandbox as one object: the world, tokens, notification hub and faults, plus the
 * driver operations the control API and `sandbox.genesys` expose. Every world change publishes
 * `v2.users.{id}.conversations` and `.calls`/`.messages` to each agent that has a participant in it.
 *
 * @example
 * ```ts
 * const g = new GenesysService({ koreOrigin }, () => apiOrigin);
 * g.act(CONVERSATIONS.voiceAlpha, 'hold');
 * await g.transcribe(CONVERSATIONS.voiceAlpha);
 * ```
 */
export class GenesysService {
  readonly env: Env;
  readonly settings: GenesysSettings;
  readonly world: World;
  readonly tokens: TokenStore;
  readonly hub: NotificationHub;
  readonly faultState: FaultState;
  readonly budget: RateBudget;
  /** The org's configuration: OAuth clients, integrations, roles and grants, groups, queue settings, data tables. */
  readonly org: Org;
  /** Every credential issued or received (tokens, codes, PKCE verifiers, client secrets); never cleared. */
  readonly secrets = new SecretLog();
  loginUserId: string;
  private readonly timers = new TimerSet();
  private readonly latencyTimers = new TimerSet();
  private readonly transcriptClock = new Map<string, { startMs: number; offsetMs: number }>();
  /** Bumped by reset and close: a transcript still playing from an earlier epoch stops. */
  private epoch = 0;

  constructor(
    readonly options: GenesysOptions,
    apiOrigin: () => string,
  ) {
    this.env = makeEnv(options.env);
    this.settings = {
      tokenTtlSeconds: options.tokenTtlSeconds ?? GENESYS_DEFAULTS.tokenTtlSeconds,
      codeTtlSeconds: options.codeTtlSeconds ?? GENESYS_DEFAULTS.codeTtlSeconds,
      rateLimitPerMinute: options.rateLimitPerMinute ?? GENESYS_DEFAULTS.rateLimitPerMinute,
      userRateLimitPerMinute: options.userRateLimitPerMinute ?? GENESYS_DEFAULTS.userRateLimitPerMinute,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? GENESYS_DEFAULTS.heartbeatIntervalMs,
      channelTtlMs: options.channelTtlMs ?? GENESYS_DEFAULTS.channelTtlMs,
      maxChannelsPerUser: options.maxChannelsPerUser ?? GENESYS_DEFAULTS.maxChannelsPerUser,
      socketClosingGraceMs: options.socketClosingGraceMs ?? GENESYS_DEFAULTS.socketClosingGraceMs,
    };
    this.world = new World(this.env);
    this.tokens = new TokenStore(this.env, this.secrets);
    this.hub = new NotificationHub(this.env, this.tokens, {
      ...this.settings,
      apiOrigin,
      expiredTokenSockets: options.expiredTokenSockets ?? 'close',
    });
    this.faultState = new FaultState({
      latency: options.latency ?? 0,
      rateLimitPerMinute: this.settings.rateLimitPerMinute,
      userRateLimitPerMinute: this.settings.userRateLimitPerMinute,
      tokenTtlSeconds: this.settings.tokenTtlSeconds,
    });
    this.budget = new RateBudget(() => this.env.now());
    this.org = new Org(this.env, {
      start: options.org ?? 'seeded',
      ...(options.pageOrigin ? { pageOrigin: options.pageOrigin } : {}),
      redirectUris: options.redirectUris ?? [],
      koreOrigin: options.koreOrigin ?? 'http://127.0.0.1',
      ...(options.features ? { features: options.features } : {}),
    });
    for (const c of this.org.clients.values()) this.secrets.add('genesys-client-secret', c.secret);
    this.loginUserId = options.loginUserId ?? USERS.agent.id;
    this.world.onChange((c) => this.publishConversation(c));
    if (options.seed !== false) seedWorld(this.world);
  }

  /** The org's registered OAuth clients (the login server's view of {@link GenesysService.org}). */
  get clients(): Map<string, OAuthClient> {
    return this.org.clients;
  }

  /**
   * True when Genesys transcribes calls of this queue: voice transcription on for the queue and licensed for the org
   * (docs/assumptions.md#transcription-topic-requirements-and-partial-results). Otherwise the topic stays silent.
   */
  transcribes(queueId: string): boolean {
    return this.org.features.voiceTranscription && this.org.queues.get(queueId)?.enableTranscription === true;
  }

  /** Creates an interaction for an agent (alerting by default) and returns its id. */
  createConversation(input: NewConversation): string {
    const scenario = input.scenario ? SCENARIOS[input.scenario] : undefined;
    const media = input.media ?? scenario?.media;
    const queueId = input.queueId ?? scenario?.queueId;
    if (!media || !queueId) {
      throw new KaaError(
        'E_PARAM_INVALID',
        'A new sandbox conversation needs "media" and "queueId", or a "scenario" that supplies them (one of: ' +
          Object.keys(SCENARIOS).join(', ') +
          ').',
      );
    }
    const customerName = input.customer?.name ?? scenario?.customerName;
    return this.world.create({
      media,
      queueId,
      ...(customerName ? { customerName } : {}),
      ...(input.agentUserId ? { agentUserId: input.agentUserId } : {}),
      state: input.state ?? 'alerting',
      script: [...(scenario?.script ?? [])],
    });
  }

  /** Applies a driver action; when the conversation ends, a call also gets the transcription `SESSION_ENDED` event. */
  act(conversationId: string, action: ConversationAction, toUserId?: string): WorldConversation {
    const wasEnded = this.world.get(conversationId).endTime !== undefined;
    const c = this.world.act(conversationId, action, toUserId);
    if (!wasEnded && c.endTime && c.media === 'call' && this.transcribes(c.queueId)) {
      const clock = this.clockOf(c);
      this.hub.publish(
        `v2.conversations.${c.id}.transcription`,
        toTranscriptionEvent(c, undefined, this.env.now(), clock.startMs, clock.offsetMs),
      );
    }
    return c;
  }

  /**
   * Publishes transcription events for `utterances` (default: the conversation's scripted transcript): for an
   * utterance with `partials`, growing partial results (`isFinal: false`) and then the final, all with the same
   * `utteranceId`; `intervalMs` apart. Resolves when all are published, with the ids and those whose final result
   * reached no notification socket (`undelivered`: lost on the Genesys side, as when a socket is down — Genesys does
   * not replay them).
   */
  async transcribe(
    conversationId: string,
    utterances?: readonly ScriptLine[],
    intervalMs = 0,
  ): Promise<TranscribeResult> {
    const c = this.world.get(conversationId);
    if (c.media !== 'call')
      throw new KaaError(
        'E_PARAM_INVALID',
        `Conversation "${c.id}" is a messaging conversation; transcripts exist only for calls. Use POST …/messages instead.`,
      );
    if (c.endTime)
      throw new KaaError(
        'E_PARAM_INVALID',
        `Conversation "${c.id}" has ended; Genesys publishes no transcripts after the session ends.`,
      );
    // a queue without voice transcription: Genesys publishes nothing on the topic (the call still happens)
    const lines = this.transcribes(c.queueId) ? (utterances ?? c.script) : [];
    const clock = this.clockOf(c);
    const ids: string[] = [];
    const undelivered: string[] = [];
    const epoch = this.epoch;
    let first = true;
    for (const line of lines) {
      const utteranceId = this.env.uuid();
      ids.push(utteranceId);
      const words = line.text.split(/\s+/).filter(Boolean);
      const durationMs = Math.max(400, words.length * 300);
      const texts = line.partials ? partialsOf(words) : [];
      for (const [i, text] of [...texts, line.text].entries()) {
        if (!first) await this.timers.sleep(intervalMs);
        if (epoch !== this.epoch) return { utteranceIds: ids, undelivered };
        first = false;
        const isFinal = i === texts.length;
        const piece = {
          utteranceId,
          channel: line.channel,
          text,
          isFinal,
          offsetMs: clock.offsetMs,
          durationMs: isFinal ? durationMs : Math.round((durationMs * text.length) / line.text.length),
        };
        const reached = this.hub.publish(
          `v2.conversations.${c.id}.transcription`,
          toTranscriptionEvent(c, piece, this.env.now(), clock.startMs),
        );
        if (isFinal && reached === 0) undelivered.push(utteranceId);
      }
      clock.offsetMs += durationMs + 200;
    }
    return { utteranceIds: ids, undelivered };
  }

  /** Stores a customer (`inbound`) or agent (`outbound`) web message and publishes the `.messages` event. */
  message(
    conversationId: string,
    direction: 'inbound' | 'outbound',
    text: string,
    fromSessionId?: string,
  ): WorldMessage {
    return this.world.addMessage(conversationId, direction, text, fromSessionId);
  }

  /** Applies faults (validated with {@link FaultsSchema}; a {@link FaultsInput} in TypeScript); one-shot faults act now. */
  faults(input: unknown): void {
    const parsed = FaultsSchema.safeParse(input);
    if (!parsed.success) {
      throw new KaaError(
        'E_PARAM_INVALID',
        `Sandbox faults are invalid: ${listIssues(parsed.error.issues, { root: 'body' }).join('; ')}. See FaultsSchema in packages/sandbox/src/genesys/faults.ts.`,
      );
    }
    const f = parsed.data;
    if (f.latencyMs !== undefined) this.faultState.latency = f.latencyMs;
    if (f.rateLimitPerMinute !== undefined) this.faultState.rateLimitPerMinute = f.rateLimitPerMinute;
    if (f.userRateLimitPerMinute !== undefined) this.faultState.userRateLimitPerMinute = f.userRateLimitPerMinute;
    if (f.tokenTtlSeconds !== undefined) this.faultState.tokenTtlSeconds = f.tokenTtlSeconds;
    if (f.failNext) this.faultState.failNext(f.failNext);
    if (f.refuseFraming !== undefined) this.faultState.refuseFraming = f.refuseFraming;
    if (f.expireTokens) {
      this.tokens.expireAll();
      this.hub.tokensExpired();
    }
    if (f.revokeTokens) this.hub.tokenRevoked(this.tokens.revoke().map((t) => t.token));
    if (f.dropSockets) this.hub.dropSockets();
    if (f.socketClosing) this.hub.socketClosing();
    this.options.onFaults?.(f);
  }

  /** Revokes one token (`DELETE /api/v2/tokens/me`) and tells its channels. */
  revoke(token: string): void {
    this.hub.tokenRevoked(this.tokens.revoke(token).map((t) => t.token));
  }

  /** Selects who the login page signs in (USERS.agent or USERS.agent2). */
  signIn(userId: string): void {
    if (!Object.values(USERS).some((u) => u.id === userId)) {
      throw new KaaError(
        'E_PARAM_INVALID',
        `User id "${userId}" is not a sandbox user. Use USERS.agent or USERS.agent2 from packages/sandbox/src/seed.ts.`,
      );
    }
    this.loginUserId = userId;
  }

  /** Back to the seeded world: conversations, channels, faults, rate budgets and the signed-in user. Issued tokens stay valid. */
  async reset(): Promise<void> {
    this.epoch += 1;
    this.timers.clear();
    this.hub.clear();
    this.world.clear();
    this.transcriptClock.clear();
    this.faultState.reset();
    this.budget.reset();
    this.loginUserId = this.options.loginUserId ?? USERS.agent.id;
    if (this.options.seed !== false) seedWorld(this.world);
    await this.options.onReset?.();
  }

  /** The `GET /sandbox/v1/state` body. */
  state(): SandboxState {
    return {
      users: Object.values(USERS),
      queues: Object.values(QUEUES),
      // the desktop is the seeded org's: another org's interactions are listed apart
      conversations: [...this.world.conversations.values()].filter((c) => c.orgId === ORG.id).map((c) => summarize(c)),
      otherOrgConversations: [...this.world.conversations.values()]
        .filter((c) => c.orgId !== ORG.id)
        .map((c) => summarize(c)),
      signedInUserId: this.loginUserId,
      channels: this.hub.channels.size,
      subscribedTopics: [...this.hub.channels.values()].reduce((n, c) => n + c.topics.size, 0),
      openSockets: this.hub.openSockets,
      faults: this.faultState.toJSON(),
      ...(this.options.extraState?.() ?? {}),
    };
  }

  /** Waits `ms` (injected latency); pending waits end early on close. */
  async sleep(ms: number): Promise<void> {
    await this.latencyTimers.sleep(ms);
  }

  /** Stops every timer and socket. */
  close(): void {
    this.epoch += 1;
    this.timers.clear();
    this.latencyTimers.clear();
    this.hub.close();
  }

  private clockOf(c: WorldConversation): { startMs: number; offsetMs: number } {
    let clock = this.transcriptClock.get(c.id);
    if (!clock) {
      clock = { startMs: Date.parse(c.startTime), offsetMs: Math.max(0, this.env.now() - Date.parse(c.startTime)) };
      this.transcriptClock.set(c.id, clock);
    }
    return clock;
  }

  private publishConversation(c: WorldConversation): void {
    const users = new Set(
      c.participants.filter((p) => p.purpose === 'agent' && p.userId).map((p) => p.userId as string),
    );
    const nested = toUserConversationEvent(c);
    const flat = c.media === 'call' ? toCallEvent(c) : toMessageEvent(c);
    for (const userId of users) {
      this.hub.publish(`v2.users.${userId}.conversations`, nested);
      this.hub.publish(`v2.users.${userId}.conversations.${c.media === 'call' ? 'calls' : 'messages'}`, flat);
    }
    for (const topic of [
      `v2.routing.queues.${c.queueId}.conversations`,
      `v2.routing.queues.${c.queueId}.conversations.${c.media === 'call' ? 'calls' : 'messages'}`,
    ]) {
      this.hub.publish(topic, topic.endsWith('conversations') ? nested : flat);
    }
  }
}

function partialsOf(words: readonly string[]): string[] {
  if (words.length < 2) return [];
  const cuts = [...new Set([Math.ceil(words.length / 3), Math.ceil((2 * words.length) / 3)])].filter(
    (n) => n > 0 && n < words.length,
  );
  return cuts.map((n) => words.slice(0, n).join(' '));
}

function summarize(c: WorldConversation): ConversationSummary {
  const agentActive = c.participants.some((p) => p.purpose === 'agent' && p.state === 'connected');
  return {
    id: c.id,
    media: c.media,
    queueName: c.queueName,
    state: c.endTime ? 'ended' : agentActive ? 'connected' : 'alerting',
    participants: c.participants.map((p) => ({
      id: p.id,
      purpose: p.purpose,
      ...(p.name ? { name: p.name } : {}),
      ...(p.userId ? { userId: p.userId } : {}),
      state: p.state,
      held: p.held,
      ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
      ...(p.consultParticipantId ? { consultParticipantId: p.consultParticipantId } : {}),
    })),
  };
}
