import { CONVERSATIONS, OTHER_ORG_CONVERSATIONS, OTHER_ORG_QUEUES, OTHER_ORG_USERS, QUEUES } from '../seed.js';
import type { ScriptLine } from './world-types.js';
import type { World } from './world.js';

/**
 * The scripted transcript of the seeded alpha voice call (customer = EXTERNAL, agent = INTERNAL).
 *
 * @example
 * ```ts
 * await sandbox.genesys.transcribe(CONVERSATIONS.voiceAlpha); // plays ALPHA_SCRIPT
 * ```
 */
export const ALPHA_SCRIPT: readonly ScriptLine[] = [
  { channel: 'INTERNAL', text: 'Thank you for calling Alpha Inc, this is Ava. How can I help you today?' },
  { channel: 'EXTERNAL', text: 'Hi, I want to check the status of my order.', partials: true },
  { channel: 'INTERNAL', text: 'Sure, can I have your order number please?' },
  { channel: 'EXTERNAL', text: 'It is one two three four five.', partials: true },
  { channel: 'INTERNAL', text: 'Thank you, let me look that up for you.' },
];

/**
 * The messages already exchanged in the seeded web-messaging conversation.
 *
 * @example
 * ```ts
 * KORE_CHAT[0]?.text; // 'Hello, I need help resetting my password.'
 * ```
 */
export const KORE_CHAT: readonly { direction: 'inbound' | 'outbound'; text: string }[] = [
  { direction: 'inbound', text: 'Hello, I need help resetting my password.' },
  { direction: 'outbound', text: 'Hi, I can help with that. What is the e-mail on your account?' },
  { direction: 'inbound', text: 'It is casey@example.com' },
];

/**
 * The seeded scenarios: one per CONVERSATIONS entry in seed.ts.
 *
 * @example
 * ```ts
 * sandbox.genesys.create({ scenario: 'voiceAlpha' }); // a new alerting call like the seeded one
 * ```
 */
export const SCENARIOS = {
  voiceAlpha: {
    id: CONVERSATIONS.voiceAlpha,
    media: 'call',
    queueId: QUEUES.alpha.id,
    customerName: 'Casey Customer',
    script: ALPHA_SCRIPT,
  },
  chatKore: {
    id: CONVERSATIONS.chatKore,
    media: 'message',
    queueId: QUEUES.koreSupport.id,
    customerName: 'Casey Customer',
    script: [],
  },
  voiceUnmapped: {
    id: CONVERSATIONS.voiceUnmapped,
    media: 'call',
    queueId: QUEUES.unmapped.id,
    customerName: 'Dana Caller',
    script: ALPHA_SCRIPT,
  },
  voiceDuplicate: {
    id: CONVERSATIONS.voiceDuplicate,
    media: 'call',
    queueId: QUEUES.duplicate.id,
    customerName: 'Eli Caller',
    script: ALPHA_SCRIPT,
  },
  voiceRsa: {
    id: CONVERSATIONS.voiceRsa,
    media: 'call',
    queueId: QUEUES.rsa.id,
    customerName: 'Fay Caller',
    script: ALPHA_SCRIPT,
  },
  voiceAudiohook: {
    id: CONVERSATIONS.voiceAudiohook,
    media: 'call',
    queueId: QUEUES.audiohook.id,
    customerName: 'Gus Caller',
    script: ALPHA_SCRIPT,
  },
} as const;

/** A scenario name (a key of {@link SCENARIOS}). */
export type ScenarioName = keyof typeof SCENARIOS;

/**
 * Fills `world` with the seeded conversations: each connected to USERS.agent, started two minutes ago, with
 * customer, ivr (calls), acd (ended with `transfer`) and agent participants; the chat has three messages. Plus
 * OTHER_ORG_CONVERSATIONS.voiceBeta, a call of the second organisation connected to OTHER_ORG_USERS.agent.
 *
 * @example
 * ```ts
 * seedWorld(world);
 * world.get(CONVERSATIONS.voiceAlpha).queueName; // 'ALPHAINC_CUSTOMERSERVICE_16092024'
 * ```
 */
export function seedWorld(world: World): void {
  for (const s of Object.values(SCENARIOS)) {
    world.create({
      id: s.id,
      media: s.media,
      queueId: s.queueId,
      customerName: s.customerName,
      script: [...s.script],
      state: 'connected',
      agoMs: 120_000,
    });
  }
  for (const m of KORE_CHAT) world.addMessage(CONVERSATIONS.chatKore, m.direction, m.text);
  // another organisation's call on the same environment: its agent is OTHER_ORG's, and only OTHER_ORG's users see it
  world.create({
    id: OTHER_ORG_CONVERSATIONS.voiceBeta,
    media: 'call',
    queueId: OTHER_ORG_QUEUES.beta.id,
    agentUserId: OTHER_ORG_USERS.agent.id,
    customerName: 'Hal Caller',
    script: [...ALPHA_SCRIPT],
    state: 'connected',
    agoMs: 120_000,
  });
}
