/**
 * `kaa doctor` and the page give the same answer for the same config and conversation: the same bot (or the same
 * error code) and the same widget URL. The page side runs the page's own steps 4–6 (`readBotSource`, `resolveBot`,
 * `mintLaunch`) with the settings `kaa page --dist` embeds; the doctor runs in process against the same sandbox,
 * reading those settings from the "deployed" page. 127.0.0.1 only.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  embedPageConfig,
  silentLogger,
  isKaaError,
  parseSettings,
  parseWidgetContext,
  queueOf,
  findAgentParticipant,
  parseConversation,
  resolveEnvironment,
} from '@kaa/core';
import type { KaaSettings } from '@kaa/core';
import { createClientCredentialsAuth, createGenesysApi } from '@kaa/genesys-adapter';
import { BOTS, CONVERSATIONS, KORE_DATA_TABLE, OAUTH_CLIENTS, USERS, startSandbox, type Sandbox } from '@kaa/sandbox';
import { loadConfig } from '../src/config/load-config.js';
import type { LoadedConfig } from '../src/config/loaded-config.js';
import { xMetadataToken } from '../src/connections.js';
import { runDoctor } from '../src/doctor/run-doctor.js';
import { nodeIo, type CliIo } from '../src/io.js';
import { pageSettingsOf } from '../src/page/page-settings.js';
import { readBotSource } from '../../iframe/src/read-bot-source.js';
import { mintLaunch, resolveBot } from '../../iframe/src/page-steps.js';
import * as pageChunk from '../../iframe/src/conversation-and-widget.js';
import { createPageSecrets } from '../../iframe/src/secrets.js';
import { createTimeline } from '../../iframe/src/timeline.js';
import { tempDir } from './helpers.js';
import { SANDBOX_ENV, writeSandboxConfig } from './sandbox-config.js';

/** A direct interaction (no ACD leg, no queue on any participant): the sandbox's voiceAlpha call without its routing. */
const DIRECT = 'c0a00000-0000-4000-8000-0000000000d1';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ desktop: false });
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
});

/** What the Genesys API answers for {@link DIRECT}: voiceAlpha as read, minus the ACD participant and every queue field. */
async function directConversation(url: string, init: RequestInit | undefined): Promise<Response> {
  const alpha = await fetch(url.replace(DIRECT, CONVERSATIONS.voiceAlpha), init);
  const body = (await alpha.json()) as { id: string; participants: Record<string, unknown>[] };
  const participants = body.participants
    .filter((p) => p['purpose'] !== 'acd')
    .map(({ queueId: _id, queueName: _name, queue: _queue, conversationRoutingData: _routing, ...rest }) => rest);
  return new Response(JSON.stringify({ ...body, id: DIRECT, participants }), {
    status: alpha.status,
    headers: { 'content-type': 'application/json' },
  });
}

/** The fetch both sides use: the sandbox, the direct interaction above, and the deployed page (index.html with the embedded settings). */
function fetchFor(pageUrl: string, pageHtml: () => string): CliIo['fetch'] {
  return async (url, init) => {
    if (url.split('?')[0] === pageUrl)
      return new Response(pageHtml(), { status: 200, headers: { 'content-type': 'text/html' } });
    if (url.includes(`/api/v2/conversations/${DIRECT}`)) return directConversation(url, init);
    return fetch(url, init);
  };
}

type Answer = { botId: string; widgetUrl: string } | { code: string };

async function setUp(
  routing: Record<string, unknown>,
): Promise<{ loaded: LoadedConfig; io: CliIo; settings: KaaSettings }> {
  const dir = await tempDir();
  await writeSandboxConfig(dir, sandbox, (c) => {
    c['settings'].routing = routing;
  });
  let html = '';
  const base = nodeIo();
  const io: CliIo = {
    ...base,
    env: { ...process.env, ...SANDBOX_ENV },
    stdout: () => undefined,
    stderr: () => undefined,
  };
  const loaded = await loadConfig(join(dir, 'kaa.yaml'), io);
  const settingsInput = pageSettingsOf(loaded);
  html = embedPageConfig(
    '<!doctype html>\n<html lang="en">\n<head>\n<title>kaa</title>\n</head>\n<body></body>\n</html>\n',
    settingsInput,
  );
  const withPage: CliIo = { ...io, fetch: fetchFor(loaded.config.page.url.split('?')[0] as string, () => html) };
  return { loaded, io: withPage, settings: parseSettings(settingsInput) };
}

/** The page's steps 4–6 for one conversation, with a client-credentials token standing in for the agent's. */
async function pageAnswer(
  loaded: LoadedConfig,
  io: CliIo,
  settings: KaaSettings,
  conversationId: string,
): Promise<Answer> {
  const environment = resolveEnvironment(
    { hostOrigin: sandbox.environment.appsOrigin, targetEnv: 'sandbox' },
    settings.genesys.environments,
    { enable: settings.genesys.enableEnvironments },
  );
  const xMetadata = JSON.stringify({
    datatable: { name: KORE_DATA_TABLE.name, token: await xMetadataToken(loaded, io), qDelimiter: '_' },
  });
  const ctx = parseWidgetContext(
    `${loaded.config.page.url}?conversationid=${conversationId}&environment=${encodeURIComponent(sandbox.environment.appsOrigin)}&targetenv=sandbox&genesysid=${OAUTH_CLIENTS.pkce.id}&multibot=true&x_metadata=${encodeURIComponent(xMetadata)}`,
  );
  const auth = createClientCredentialsAuth({
    clientId: OAUTH_CLIENTS.credentials.id,
    clientSecret: OAUTH_CLIENTS.credentials.secret,
    environment,
    fetch: io.fetch,
    now: Date.now,
  });
  const api = createGenesysApi({ environment, auth, fetch: io.fetch, maxAttempts: 2 });
  const secrets = createPageSecrets();
  const run = {
    timeline: createTimeline(() => 0, secrets),
    secrets,
    phase: Object.assign(() => undefined, { current: '' }),
  };
  try {
    const [conversation, read] = await Promise.all([
      api.getConversation(conversationId),
      readBotSource({
        ctx,
        settings,
        api,
        fetch: (u, i) => io.fetch(u, i),
        now: Date.now,
        logger: silentLogger,
        allowHttpLoopback: true,
      }),
    ]);
    const resolved = await resolveBot(run, pageChunk, { conversation, userId: USERS.agent.id, lookup: read.lookup });
    const launch = await mintLaunch(run, pageChunk, {
      resolved,
      ctx,
      settings,
      userId: USERS.agent.id,
      conversation,
      now: Date.now,
      secureModule: import('../../iframe/src/secure-custom-data.js'),
    });
    return { botId: resolved.record.botId, widgetUrl: pageChunk.describeWidgetUrl(launch.url, secrets.list()) };
  } catch (e) {
    if (isKaaError(e)) return { code: e.code };
    throw e;
  }
}

/** The doctor's answer: the bot of step "row" and the iframe src of step "widget URL", or the first failing step's code. */
async function doctorAnswer(
  loaded: LoadedConfig,
  io: CliIo,
  conversationId: string,
): Promise<Answer & { failedAt?: string }> {
  const steps = await runDoctor(loaded, io, { conversationId, userId: USERS.agent.id, widgetTimeoutMs: 10_000 });
  const failed = steps.find((s) => s.status === 'fail');
  if (failed) return { code: failed.error?.code ?? '?', failedAt: failed.step };
  const botId = /→ BotId (\S+?)(,|$)/.exec(steps.find((s) => s.step === 'row')?.detail ?? '')?.[1] ?? '?';
  const widgetUrl = /iframe src (\S+)$/.exec(steps.find((s) => s.step === 'widget URL')?.detail ?? '')?.[1] ?? '?';
  return { botId, widgetUrl };
}

const cases: {
  name: string;
  routing: Record<string, unknown>;
  conversation: string;
  expected: { botId: string } | { code: string };
}[] = [
  {
    name: 'defaults, a queued call',
    routing: {},
    conversation: CONVERSATIONS.voiceAlpha,
    expected: { botId: BOTS.alpha.botId },
  },
  { name: 'defaults, a chat', routing: {}, conversation: CONVERSATIONS.chatKore, expected: { botId: BOTS.kore.botId } },
  {
    name: 'defaults, a queue no row lists',
    routing: {},
    conversation: CONVERSATIONS.voiceUnmapped,
    expected: { code: 'E_QUEUE_NOT_MAPPED' },
  },
  {
    name: 'defaults, a queue two rows list',
    routing: {},
    conversation: CONVERSATIONS.voiceDuplicate,
    expected: { code: 'E_QUEUE_AMBIGUOUS' },
  },
  {
    name: 'defaultRow, a queue no row lists',
    routing: { defaultRow: 'Kore' },
    conversation: CONVERSATIONS.voiceUnmapped,
    expected: { botId: BOTS.kore.botId },
  },
  { name: 'defaults, a direct call (no queue)', routing: {}, conversation: DIRECT, expected: { code: 'E_NO_QUEUE' } },
  {
    name: 'defaultRow with noQueuePolicy "error", a direct call',
    routing: { defaultRow: 'Kore', noQueuePolicy: 'error' },
    conversation: DIRECT,
    expected: { code: 'E_NO_QUEUE' },
  },
  {
    name: 'defaultRow with noQueuePolicy "defaultRow", a direct call',
    routing: { defaultRow: 'Kore', noQueuePolicy: 'defaultRow' },
    conversation: DIRECT,
    expected: { botId: BOTS.kore.botId },
  },
  {
    name: 'noQueuePolicy "defaultRow", a queued call still routes by its queue',
    routing: { defaultRow: 'Kore', noQueuePolicy: 'defaultRow' },
    conversation: CONVERSATIONS.voiceAlpha,
    expected: { botId: BOTS.alpha.botId },
  },
];

describe('kaa doctor and the page agree (same config, same conversation)', () => {
  it('the direct interaction really has no queue', async () => {
    const { io, settings } = await setUp({});
    const environment = resolveEnvironment(
      { hostOrigin: sandbox.environment.appsOrigin, targetEnv: 'sandbox' },
      settings.genesys.environments,
      { enable: settings.genesys.enableEnvironments },
    );
    const auth = createClientCredentialsAuth({
      clientId: OAUTH_CLIENTS.credentials.id,
      clientSecret: OAUTH_CLIENTS.credentials.secret,
      environment,
      fetch: io.fetch,
      now: Date.now,
    });
    const conversation = parseConversation(
      await createGenesysApi({ environment, auth, fetch: io.fetch }).getConversation(DIRECT),
    );
    expect(queueOf(conversation, findAgentParticipant(conversation, USERS.agent.id))).toEqual({});
  });

  for (const c of cases) {
    it(`${c.name} → ${'botId' in c.expected ? `bot ${c.expected.botId}` : c.expected.code}`, async () => {
      sandbox.kore.reset();
      const { loaded, io, settings } = await setUp(c.routing);
      const page = await pageAnswer(loaded, io, settings, c.conversation);
      const doctor = await doctorAnswer(loaded, io, c.conversation);
      expect(page).toMatchObject(c.expected);
      if ('code' in c.expected) {
        expect(doctor).toEqual({ code: c.expected.code, failedAt: 'row' });
      } else {
        expect(doctor).toEqual(page);
        expect((page as { widgetUrl: string }).widgetUrl).toContain('token=[REDACTED]');
      }
    }, 60_000);
  }
});
