// Over 300 lines on purpose: World is the sandbox organisation's one state machine (conversations and their actions); splitting it would spread one invariant.
import { KaaError } from '@kaa/core';
import { ORG, OTHER_ORG, OTHER_ORG_QUEUES, OTHER_ORG_USERS, QUEUES, USERS, orgIdOfUser } from '../seed.js';
import { type Env, iso } from './clock.js';
import type { CommState, Media, ScriptLine, WorldConversation, WorldMessage, WorldParticipant } from './world-types.js';

/**
 * Driver actions on a conversation (the control API's `action`).
 *
 * @example
 * ```ts
 * CONVERSATION_ACTIONS.includes('hold'); // true
 * ```
 */
export const CONVERSATION_ACTIONS = [
  'answer',
  'hold',
  'resume',
  'transferCold',
  'transferWarm',
  'completeWarm',
  'disconnect',
  'end',
] as const;
export type ConversationAction = (typeof CONVERSATION_ACTIONS)[number];

/** What to create with {@link World.create}. */
export interface CreateConversation {
  id?: string;
  media: Media;
  queueId: string;
  customerName?: string;
  /** The agent the interaction is routed to; default USERS.agent. */
  agentUserId?: string;
  /** `alerting` (default): the agent must answer; `connected`: already answered. */
  state?: 'alerting' | 'connected';
  script?: ScriptLine[];
  /** How long ago the interaction started, to give seeded conversations a past. Default 0. */
  agoMs?: number;
}

/** Called after every change with the conversation as it now is. */
export type WorldListener = (conversation: WorldConversation) => void;

const ACTIVE: readonly CommState[] = ['alerting', 'connected'];

/**
 * The Genesys side of the sandbox world: conversations, their participants and web messages, mutated the way
 * Genesys mutates them (docs/genesys-protocol.md#conversation-model). Every change notifies the listeners, which publish notification events.
 * Invalid operations throw a {@link KaaError} (`E_CONVERSATION_NOT_FOUND`, `E_AGENT_NOT_PARTICIPANT`, `E_PARAM_INVALID`).
 *
 * @example
 * ```ts
 * const world = new World(makeEnv());
 * const id = world.create({ media: 'call', queueId: QUEUES.alpha.id });
 * world.act(id, 'answer');
 * world.act(id, 'transferCold', USERS.agent2.id);
 * ```
 */
export class World {
  readonly conversations = new Map<string, WorldConversation>();
  private readonly listeners = new Set<WorldListener>();

  constructor(private readonly env: Env) {}

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: WorldListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The conversation, or a KaaError `E_CONVERSATION_NOT_FOUND`. */
  get(id: string): WorldConversation {
    const c = this.conversations.get(id);
    if (!c) {
      throw new KaaError(
        'E_CONVERSATION_NOT_FOUND',
        `Sandbox conversation "${id}" does not exist. Create it with POST /sandbox/v1/conversations or use an id from GET /sandbox/v1/state.`,
        {
          details: { conversationId: id },
        },
      );
    }
    return c;
  }

  /** Removes every conversation (listeners stay). */
  clear(): void {
    this.conversations.clear();
  }

  /** Creates an interaction: customer, ivr (for calls), acd (ended, transfer) and an agent participant. Returns its id. */
  create(input: CreateConversation): string {
    const queue: { id: string; name: string } | undefined = [
      ...Object.values(QUEUES),
      ...Object.values(OTHER_ORG_QUEUES),
    ].find((q) => q.id === input.queueId);
    if (!queue) {
      throw new KaaError(
        'E_PARAM_INVALID',
        `Queue id "${input.queueId}" is not a sandbox queue. Use one of the ids in packages/sandbox/src/seed.ts QUEUES (or OTHER_ORG_QUEUES).`,
        {
          details: { queueId: input.queueId },
        },
      );
    }
    const orgId = Object.values(OTHER_ORG_QUEUES).some((q) => q.id === queue.id) ? OTHER_ORG.id : ORG.id;
    const agent = userById(input.agentUserId ?? (orgId === ORG.id ? USERS.agent.id : OTHER_ORG_USERS.agent.id), orgId);
    const id = input.id ?? this.env.uuid();
    if (this.conversations.has(id))
      throw new KaaError(
        'E_PARAM_INVALID',
        `Sandbox conversation "${id}" already exists. Pick another id or reset the sandbox.`,
      );
    const t0 = this.env.now() - (input.agoMs ?? 0);
    const at = (ms: number): string => iso(t0 + ms);
    const customerName = input.customerName ?? 'Casey Customer';
    const call = input.media === 'call';
    const customer: WorldParticipant = {
      id: this.env.uuid(),
      purpose: 'customer',
      name: customerName,
      queueId: queue.id,
      queueName: queue.name,
      address: call ? 'tel:+15555550100' : customerName,
      ...(call ? { ani: 'tel:+15555550100', dnis: 'tel:+15555550199' } : {}),
      startTime: at(0),
      connectedTime: at(20),
      sessionId: this.env.uuid(),
      state: 'connected',
      initialState: call ? 'alerting' : 'connected',
      direction: 'inbound',
      held: false,
      confined: false,
      wrapupRequired: false,
      attributes: {},
    };
    const parts: WorldParticipant[] = [customer];
    if (call) {
      parts.push(
        this.handoffLeg(
          customer,
          { purpose: 'ivr', name: 'Sandbox IVR', address: 'sip:ivr@127.0.0.1;user=ivr' },
          at(30),
          at(40),
          at(2000),
        ),
      );
    }
    parts.push(this.acdParticipant(queue, customer, at(2010), at(4000)));
    const state = input.state ?? 'alerting';
    parts.push(
      this.agentParticipant(agent, queue, customer, at(4000), state, state === 'connected' ? at(6000) : undefined),
    );
    const conversation: WorldConversation = {
      id,
      orgId,
      media: input.media,
      queueId: queue.id,
      queueName: queue.name,
      customerName,
      startTime: customer.startTime,
      participants: parts,
      messages: [],
      script: input.script ?? [],
      recentTransfers: [],
    };
    this.conversations.set(id, conversation);
    this.emit(conversation);
    return id;
  }

  /** Applies a driver action, exactly as Genesys would change the participants (docs/genesys-protocol.md#transfers). */
  act(conversationId: string, action: ConversationAction, toUserId?: string): WorldConversation {
    const c = this.get(conversationId);
    const now = iso(this.env.now());
    switch (action) {
      case 'answer': {
        const p = this.agentIn(c, ['alerting'], toUserId);
        p.state = 'connected';
        p.connectedTime = now;
        break;
      }
      case 'hold':
      case 'resume': {
        const p = this.agentIn(c, ['connected'], toUserId);
        const hold = action === 'hold';
        if (p.held === hold)
          throw invalid(`The agent participant is already ${hold ? 'on hold' : 'off hold'} in conversation "${c.id}".`);
        p.held = hold;
        if (hold) p.startHoldTime = now;
        else delete p.startHoldTime;
        const customer = this.customerOf(c);
        customer.confined = hold;
        break;
      }
      case 'transferCold': {
        const from = this.agentIn(c, ['connected', 'alerting'], undefined, toUserId);
        const target = userById(toUserId ?? otherAgent(from.userId), c.orgId);
        const queue = { id: c.queueId, name: c.queueName };
        const customer = this.customerOf(c);
        this.end(from, 'transfer', now);
        c.participants.push(this.acdParticipant(queue, customer, now, now));
        c.participants.push(this.agentParticipant(target, queue, customer, now, 'alerting'));
        c.recentTransfers.push({
          id: this.env.uuid(),
          state: 'Complete',
          dateIssued: now,
          initiatorUserId: from.userId ?? '',
          destinationUserId: target.id,
          transferType: 'Unattended',
        });
        break;
      }
      case 'transferWarm': {
        const from = this.agentIn(c, ['connected'], undefined, toUserId);
        if (c.participants.some((p) => p.purpose === 'agent' && p.consultParticipantId && ACTIVE.includes(p.state))) {
          throw invalid(
            `A consult is already in progress in conversation "${c.id}". Complete it (completeWarm) first.`,
          );
        }
        const target = userById(toUserId ?? otherAgent(from.userId), c.orgId);
        const customer = this.customerOf(c);
        const consult = this.agentParticipant(
          target,
          { id: c.queueId, name: c.queueName },
          customer,
          now,
          'connected',
          now,
        );
        consult.consultParticipantId = from.id;
        from.consultParticipantId = consult.id;
        customer.consultParticipantId = consult.id;
        customer.held = true;
        customer.startHoldTime = now;
        c.participants.push(consult);
        break;
      }
      case 'completeWarm': {
        // The consult leg was added after the original one, so search from the end.
        const consult = c.participants.findLast(
          (p) =>
            p.purpose === 'agent' &&
            p.consultParticipantId &&
            ACTIVE.includes(p.state) &&
            c.participants.some(
              (q) => q.id === p.consultParticipantId && q.consultParticipantId === p.id && ACTIVE.includes(q.state),
            ),
        );
        if (!consult)
          throw invalid(`No consult is in progress in conversation "${c.id}". Start one with transferWarm first.`);
        const from = c.participants.find((p) => p.id === consult.consultParticipantId);
        if (from) this.end(from, 'transfer.consult', now);
        const customer = this.customerOf(c);
        customer.held = false;
        delete customer.startHoldTime;
        delete customer.consultParticipantId;
        c.recentTransfers.push({
          id: this.env.uuid(),
          state: 'Complete',
          dateIssued: now,
          initiatorUserId: from?.userId ?? '',
          destinationUserId: consult.userId ?? '',
          transferType: 'Attended',
        });
        break;
      }
      case 'disconnect': {
        const p = this.agentIn(c, ['connected', 'alerting'], toUserId);
        this.end(p, 'client', now);
        if (!c.participants.some((q) => q.purpose === 'agent' && ACTIVE.includes(q.state))) {
          this.end(this.customerOf(c), 'peer', now);
          c.endTime = now;
        }
        break;
      }
      case 'end': {
        const customer = this.customerOf(c);
        if (!ACTIVE.includes(customer.state)) throw invalid(`Conversation "${c.id}" has already ended.`);
        this.end(customer, 'endpoint', now);
        for (const p of c.participants) if (p.purpose === 'agent' && ACTIVE.includes(p.state)) this.end(p, 'peer', now);
        c.endTime = now;
        break;
      }
    }
    this.emit(c);
    return c;
  }

  /** Stores a web message from the customer (`inbound`) or the connected agent (`outbound`). */
  addMessage(
    conversationId: string,
    direction: 'inbound' | 'outbound',
    text: string,
    fromSessionId?: string,
  ): WorldMessage {
    const c = this.get(conversationId);
    if (c.media !== 'message')
      throw invalid(`Conversation "${c.id}" is a call; web messages need a messaging conversation.`);
    let from: WorldParticipant;
    if (direction === 'inbound') from = this.customerOf(c);
    else if (fromSessionId !== undefined) {
      const p = c.participants.find((q) => q.sessionId === fromSessionId);
      if (!p || p.purpose !== 'agent') {
        throw new KaaError(
          'E_AGENT_NOT_PARTICIPANT',
          `Communication "${fromSessionId}" is not an agent message session of conversation "${c.id}". Use the id of the agent participant's messages[] session.`,
          {
            details: { conversationId: c.id, communicationId: fromSessionId },
          },
        );
      }
      from = p;
    } else from = this.agentIn(c, ['connected']);
    if (!ACTIVE.includes(from.state))
      throw invalid(`The sender's session in conversation "${c.id}" is ${from.state}; it cannot send messages.`);
    const message: WorldMessage = {
      id: this.env.uuid().replace(/-/g, ''),
      conversationId: c.id,
      direction,
      text,
      timestamp: iso(this.env.now()),
      fromParticipantId: from.id,
    };
    c.messages.push(message);
    this.emit(c);
    return message;
  }

  /** The customer participant. */
  customerOf(c: WorldConversation): WorldParticipant {
    const p = c.participants.find((q) => q.purpose === 'customer');
    if (!p) throw new KaaError('E_INTERNAL', `Sandbox conversation "${c.id}" has no customer participant.`);
    return p;
  }

  private emit(c: WorldConversation): void {
    for (const l of this.listeners) l(c);
  }

  private end(p: WorldParticipant, disconnectType: string, now: string): void {
    p.state = 'disconnected';
    p.disconnectType = disconnectType;
    p.endTime = now;
    p.held = false;
    delete p.startHoldTime;
    if (p.purpose === 'agent') p.wrapupRequired = true;
  }

  /**
   * The latest agent participant in one of `states`: of `userId` when given, else of USERS.agent, else any.
   * `notUserId` excludes the transfer target (so transferring to agent2 picks agent's leg).
   */
  private agentIn(
    c: WorldConversation,
    states: readonly CommState[],
    userId?: string,
    notUserId?: string,
  ): WorldParticipant {
    const agents = c.participants.filter(
      (p) => p.purpose === 'agent' && states.includes(p.state) && p.userId !== notUserId,
    );
    const pick = userId ? agents.filter((p) => p.userId === userId) : agents;
    const found = pick.at(-1);
    if (!found) {
      throw new KaaError(
        'E_AGENT_NOT_PARTICIPANT',
        `Conversation "${c.id}" has no ${states.join(' or ')} agent participant${userId ? ` for user "${userId}"` : ''}. Check the conversation's state with GET /sandbox/v1/state.`,
        { details: { conversationId: c.id, states: [...states], userId: userId ?? null } },
      );
    }
    return found;
  }

  private acdParticipant(
    queue: { id: string; name: string },
    customer: WorldParticipant,
    start: string,
    end: string,
  ): WorldParticipant {
    return this.handoffLeg(
      customer,
      {
        purpose: 'acd',
        name: queue.name,
        queueId: queue.id,
        queueName: queue.name,
        address: `sip:${queue.id}@127.0.0.1;user=acd`,
      },
      start,
      start,
      end,
    );
  }

  /** A leg that handed the customer on (IVR, ACD): connected, then terminated by transfer. */
  private handoffLeg(
    customer: WorldParticipant,
    leg: Pick<WorldParticipant, 'purpose' | 'name' | 'queueId' | 'queueName' | 'address'>,
    startTime: string,
    connectedTime: string,
    endTime: string,
  ): WorldParticipant {
    return {
      id: this.env.uuid(),
      ...leg,
      ani: customer.ani,
      dnis: customer.dnis,
      startTime,
      connectedTime,
      endTime,
      sessionId: this.env.uuid(),
      state: 'terminated',
      initialState: 'connected',
      direction: 'inbound',
      disconnectType: 'transfer',
      held: false,
      confined: false,
      wrapupRequired: false,
      peerId: customer.sessionId,
      attributes: {},
    };
  }

  private agentParticipant(
    user: { id: string; name: string },
    queue: { id: string; name: string },
    customer: WorldParticipant,
    start: string,
    state: 'alerting' | 'connected',
    connectedTime?: string,
  ): WorldParticipant {
    return {
      id: this.env.uuid(),
      purpose: 'agent',
      name: user.name,
      userId: user.id,
      queueId: queue.id,
      queueName: queue.name,
      address: `sip:${user.id}@127.0.0.1`,
      ani: customer.ani,
      dnis: customer.dnis,
      startTime: start,
      ...(connectedTime ? { connectedTime } : {}),
      sessionId: this.env.uuid(),
      state,
      initialState: 'alerting',
      direction: 'inbound',
      held: false,
      confined: false,
      wrapupRequired: false,
      peerId: customer.sessionId,
      attributes: {},
    };
  }
}

/** An action that the conversation's current state does not allow (the control API answers 409). */
function invalid(message: string): KaaError {
  return new KaaError('E_PARAM_INVALID', message, { details: { reason: 'conflict' } });
}

/** A sandbox user of organisation `orgId` (an agent joins only conversations of their own org). */
function userById(id: string, orgId: string): { id: string; name: string } {
  const user = [...Object.values(USERS), ...Object.values(OTHER_ORG_USERS)].find((u) => u.id === id);
  if (!user)
    throw new KaaError(
      'E_PARAM_INVALID',
      `User id "${id}" is not a sandbox user. Use USERS.agent or USERS.agent2 from packages/sandbox/src/seed.ts.`,
      { details: { userId: id } },
    );
  if (orgIdOfUser(id) !== orgId)
    throw new KaaError(
      'E_PARAM_INVALID',
      `User "${id}" belongs to another organisation than the conversation's (${orgId}): an agent joins only their own org's interactions.`,
      { details: { userId: id, orgId } },
    );
  return user;
}

function otherAgent(userId: string | undefined): string {
  return userId === USERS.agent2.id ? USERS.agent.id : USERS.agent2.id;
}
