import { silentLogger } from '@kaa/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  KaaError,
  findAgentParticipant,
  parseConversation,
  parseSettings,
  parseWidgetContext,
  queueOf,
} from '@kaa/core';
import type { KaaSettingsInput } from '@kaa/core';
import type { GenesysApi } from '@kaa/genesys-adapter';
import { BOTS, KORE_DATA_TABLE, Q_DELIMITER, QUEUES } from '@kaa/sandbox';
import { readBotSource } from '../src/read-bot-source.js';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const row = (bot: { botId: string; clientId: string; clientSecret: string }, queueIdentifier: string) => ({
  QueueIdentifier: queueIdentifier,
  BotId: bot.botId,
  ClientId: bot.clientId,
  ClientSecret: bot.clientSecret,
  AgentAssistWidgetURL: WIDGET,
  AudiohookEnabled: 'false',
  JWEPublicKey: '',
});
// the Kore guide's examples: "ALPHAINC" with delimiter "_", and one row for several queues "Kore, KoreSupport"
const ROWS = [row(BOTS.alpha, 'ALPHAINC'), row(BOTS.kore, 'Kore, KoreSupport'), row(BOTS.rs, 'ALPHAINC_VIP')];

/** A real Genesys call (GET /api/v2/conversations/calls) made direct: customer and agent legs only (no IVR, no ACD), no queue on either. */
function directCall(): { conversation: unknown; agentId: string } {
  const listing = JSON.parse(
    readFileSync(
      new URL('../../../fixtures/genesys/conversations/conversations_calls_active_voice.json', import.meta.url),
      'utf8',
    ),
  ) as {
    entities: { participants: Record<string, unknown>[] }[];
  };
  const call = listing.entities[0];
  if (!call) throw new Error('fixture has no conversation');
  const participants = call.participants
    .filter((p) => p['purpose'] === 'customer' || p['purpose'] === 'agent')
    .map(
      ({ queue: _queue, queueId: _queueId, queueName: _queueName, conversationRoutingData: _routing, ...rest }) => rest,
    );
  const agent = participants.find((p) => p['purpose'] === 'agent') as { user: { id: string } };
  return { conversation: { ...call, participants }, agentId: agent.user.id };
}

/** Step 4 (bot source read through an injected fetch answering the Kore query API) and step 5, as the page runs them. */
async function resolveDirect(settingsInput: KaaSettingsInput) {
  const settings = parseSettings({ kore: { apiHost: 'https://bots.kore.ai' }, ...settingsInput });
  const ctx = parseWidgetContext(
    `https://kaa.example.com/koreaiaa-genesys/?conversationid=c0a00000-0000-4000-8000-000000000001&environment=https://apps.mypurecloud.ie&genesysid=c1a00000-0000-4000-8000-00000000000b&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: KORE_DATA_TABLE.name, token: 'x-metadata-token-value', qDelimiter: Q_DELIMITER } }))}`,
  );
  const requested: string[] = [];
  const read = await readBotSource({
    ctx,
    settings,
    api: {} as GenesysApi, // the Kore Data Table source never calls Genesys
    fetch: async (url) => {
      requested.push(url);
      return new Response(JSON.stringify({ queryResult: ROWS, hasMore: false }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
    now: () => 1_700_000_000_000,
    logger: silentLogger,
    allowHttpLoopback: false,
  });
  expect(requested).toEqual([
    `https://bots.kore.ai/api/public/tables/${KORE_DATA_TABLE.name}/query?sys_limit=100&sys_offset=0`,
  ]);
  const { conversation, agentId } = directCall();
  const parsed = parseConversation(conversation);
  const queue = queueOf(parsed, findAgentParticipant(parsed, agentId));
  const { lookup } = read;
  return { queue, forQueue: async (q = queue) => lookup.forQueue(q) };
}

describe('routing settings reach the bot lookup (step 5)', () => {
  it('a direct interaction without a queue gets the default row with routing.noQueuePolicy "defaultRow"', async () => {
    const { queue, forQueue } = await resolveDirect({ routing: { noQueuePolicy: 'defaultRow', defaultRow: 'Kore' } });
    expect(queue).toEqual({});
    const record = await forQueue();
    expect(record.botId).toBe(BOTS.kore.botId);
    // a queued interaction is still routed by its QueueIdentifier
    expect((await forQueue(QUEUES.alpha)).botId).toBe(BOTS.alpha.botId);
  });

  it('without the policy (default "error") the same interaction is E_NO_QUEUE, naming what to change, without a secret', async () => {
    for (const routing of [{}, { defaultRow: 'Kore' }] as const) {
      const { forQueue } = await resolveDirect({ routing });
      const error = await forQueue().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KaaError);
      expect((error as KaaError).code).toBe('E_NO_QUEUE');
      expect((error as KaaError).step).toBe('queue');
      expect((error as KaaError).message).toContain('routing.defaultRow');
      const printed = JSON.stringify((error as KaaError).toJSON()) + (error as KaaError).message;
      for (const secret of [BOTS.alpha.clientSecret, BOTS.kore.clientSecret, 'x-metadata-token-value'])
        expect(printed).not.toContain(secret);
    }
  });

  it('passes caseSensitive and fullNameFallback through', async () => {
    const strict = await resolveDirect({});
    await expect(strict.forQueue({ name: 'alphainc_SALES' })).rejects.toMatchObject({ code: 'E_QUEUE_NOT_MAPPED' });
    const relaxed = await resolveDirect({ routing: { caseSensitive: false } });
    expect((await relaxed.forQueue({ name: 'alphainc_SALES' })).botId).toBe(BOTS.alpha.botId);
    // a row listing the full queue name wins only with fullNameFallback (docs/assumptions.md#queue-matching-details); by default the identifier decides
    expect((await strict.forQueue({ name: 'ALPHAINC_VIP' })).botId).toBe(BOTS.alpha.botId);
    const fullName = await resolveDirect({ routing: { fullNameFallback: true } });
    expect((await fullName.forQueue({ name: 'ALPHAINC_VIP' })).botId).toBe(BOTS.rs.botId);
  });
});

describe('the Kore API host of step 4 (docs/assumptions.md#kore-data-table-api-host)', () => {
  it('without setting kore.apiHost the page asks for "kaa page --dist" and calls nobody — never its own origin', async () => {
    const ctx = parseWidgetContext(
      `https://kaa.example.com/koreaiaa-genesys/?conversationid=c0a00000-0000-4000-8000-000000000001&environment=https://apps.mypurecloud.ie&genesysid=c1a00000-0000-4000-8000-00000000000b&multibot=true&x_metadata=${encodeURIComponent(JSON.stringify({ datatable: { name: KORE_DATA_TABLE.name, token: 'x-metadata-token-value' } }))}`,
    );
    const requested: string[] = [];
    const read = readBotSource({
      ctx,
      settings: parseSettings({}),
      api: {} as GenesysApi,
      fetch: async (url) => {
        requested.push(url);
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
      now: () => 1_700_000_000_000,
      logger: silentLogger,
      allowHttpLoopback: false,
    });
    await expect(read).rejects.toMatchObject({
      code: 'E_CONFIG_INVALID',
      step: 'configuration',
      details: { key: 'kore.apiHost' },
    });
    await expect(read).rejects.toThrow(/kaa page --dist/);
    expect(requested).toEqual([]);
  });
});
