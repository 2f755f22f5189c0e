import type { Models } from 'purecloud-platform-client-v2';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { readFixture } from '@kaa/test-support';
import { findAgentParticipant, mediaOf, queueOf } from '@kaa/core';
import type { GenesysConversation, GenesysMediaSession, GenesysParticipant } from '@kaa/core';

/**
 * Core writes its own Genesys conversation types so that its published declarations need nothing but core; this
 * keeps them compatible with the Genesys SDK (`purecloud-platform-client-v2`, a devDependency only). The type checks
 * fail `pnpm run typecheck`, which compiles this file, when a field's name or type drifts from the SDK's `Models`.
 */
describe("core's Genesys types against the Genesys SDK's models", () => {
  it('every SDK model routing reads is assignable to the type core declares for it', () => {
    expectTypeOf<Models.Conversation>().toExtend<GenesysConversation>();
    expectTypeOf<Models.Participant>().toExtend<GenesysParticipant>();
    expectTypeOf<Models.Call>().toExtend<GenesysMediaSession>();
    expectTypeOf<Models.Callback>().toExtend<GenesysMediaSession>();
    expectTypeOf<Models.Message>().toExtend<GenesysMediaSession>();
    expectTypeOf<Models.ConversationChat>().toExtend<GenesysMediaSession>();
    expectTypeOf<Models.Email>().toExtend<GenesysMediaSession>();
    // and core's types are not so wide that anything fits
    expectTypeOf<{ participants: string }>().not.toExtend<GenesysConversation>();
    expectTypeOf<{ purpose: number }>().not.toExtend<GenesysParticipant>();
  });

  it('a conversation typed by the SDK goes through routing without a cast (real Genesys payload)', () => {
    const conversation = readFixture<Models.Conversation>(
      'conversations/conversation_callback_agent_alert_retries.json',
    );
    const agent = findAgentParticipant(conversation, 'AGENT_USER_ID');
    expect(agent.id).toBe('00000000-0000-4000-8000-00000000000f');
    expect(mediaOf(agent)).toBe('callback');
    expect(queueOf(conversation, agent)).toMatchObject({ id: expect.any(String) });
  });
});
