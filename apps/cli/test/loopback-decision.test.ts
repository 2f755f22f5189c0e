/**
 * "http on loopback" is decided once (core's `allowsHttpLoopback`, docs/architecture.md#plain-http-on-loopback) and
 * the page, `kaa doctor` and the CLI reach the same answer for the same config:
 * - the page: its own steps 1–2 (`readContext`, `findEnvironment`) on the widget URL the desktop loads, with the
 *   settings `kaa page --dist` embeds; page-steps passes `allowsHttpLoopback(environment)` to the bot source and the
 *   widget mount, and the bot sources hand it to `parseBotRow`;
 * - `kaa doctor`: its step "environment" against the "deployed" page (no network: the fetch serves index.html only);
 * - the CLI: `allowHttpLoopback(loaded)` and the options `kaa lint` / `kaa table` / `kaa provision` lint with.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowsHttpLoopback,
  createMemoryStorage,
  embedPageConfig,
  lintBotTable,
  parseBotRow,
  parseSettings,
  silentLogger,
  type BotRow,
} from '@kaa/core';
import { loadConfig } from '../src/config/load-config.js';
import { allowHttpLoopback } from '../src/connections.js';
import { runDoctor } from '../src/doctor/run-doctor.js';
import { nodeIo, type CliIo } from '../src/io.js';
import { pageSettingsOf } from '../src/page/page-settings.js';
import { lintOptions } from '../src/table/lint-options.js';
import { findEnvironment, readContext, type PageRun } from '../../iframe/src/page-steps.js';
import { createPageSecrets } from '../../iframe/src/secrets.js';
import { createTimeline } from '../../iframe/src/timeline.js';
import { GOOD_CONFIG, GOOD_ENV, tempDir } from './helpers.js';

const LOCAL_WIDGET = 'http://127.0.0.1:4010/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const SANDBOX = {
  name: 'sandbox',
  region: 'local',
  domain: '',
  apiBase: 'http://127.0.0.1:4100',
  loginBase: 'http://127.0.0.1:4101',
  streamingHost: '127.0.0.1:4102',
  appsOrigin: 'http://127.0.0.1:4103',
};
const PRIVATE = {
  name: 'private-1',
  region: 'private',
  domain: 'example.test',
  apiBase: 'https://api.example.test',
  loginBase: 'https://login.example.test',
  streamingHost: 'streaming.example.test',
  appsOrigin: 'https://apps.example.test',
};

interface Case {
  readonly name: string;
  /** `genesys.environment` / `genesys.targetEnv` of the config, i.e. `{{gcHostOrigin}}` / `{{gcTargetEnv}}` on the desktop. */
  readonly hostOrigin: string;
  readonly targetEnv?: string;
  readonly agentAiUrl: string;
  readonly environments: readonly Record<string, string>[];
  readonly expected: boolean;
}

const cases: readonly Case[] = [
  {
    name: 'sandbox Genesys, sandbox Kore',
    hostOrigin: SANDBOX.appsOrigin,
    targetEnv: 'sandbox',
    agentAiUrl: 'http://127.0.0.1:4003',
    environments: [SANDBOX],
    expected: true,
  },
  {
    name: 'sandbox Genesys, production Kore',
    hostOrigin: SANDBOX.appsOrigin,
    targetEnv: 'sandbox',
    agentAiUrl: 'https://platform.kore.ai',
    environments: [SANDBOX],
    expected: true,
  },
  {
    name: 'production Genesys, production Kore',
    hostOrigin: 'https://apps.mypurecloud.ie',
    targetEnv: 'prod-euw1',
    agentAiUrl: 'https://platform.kore.ai',
    environments: [],
    expected: false,
  },
  {
    name: 'production Genesys, loopback Kore',
    hostOrigin: 'https://apps.mypurecloud.ie',
    targetEnv: 'prod-euw1',
    agentAiUrl: 'http://127.0.0.1:4003',
    environments: [],
    expected: false,
  },
  {
    name: 'production Genesys (no targetEnv), loopback Kore, a sandbox record also listed',
    hostOrigin: 'https://apps.mypurecloud.com',
    agentAiUrl: 'http://localhost:4003',
    environments: [SANDBOX],
    expected: false,
  },
  {
    name: 'an extra environment on a real host, loopback Kore',
    hostOrigin: PRIVATE.appsOrigin,
    targetEnv: 'private-1',
    agentAiUrl: 'http://[::1]:4003',
    environments: [PRIVATE],
    expected: false,
  },
];

async function setUp(c: Case): Promise<{ loaded: Awaited<ReturnType<typeof loadConfig>>; io: CliIo }> {
  const yaml =
    GOOD_CONFIG.replace(
      '  url: https://platform.kore.ai',
      `  url: ${c.agentAiUrl}\n  apiHost: https://bots.kore.ai`,
    ).replace(
      '  environment: https://apps.mypurecloud.ie',
      `  environment: ${c.hostOrigin}${c.targetEnv !== undefined ? `\n  targetEnv: ${c.targetEnv}` : ''}`,
    ) + `settings:\n  genesys:\n    environments: ${JSON.stringify(c.environments)}\n`;
  const dir = await tempDir({ 'kaa.yaml': yaml });
  const base: CliIo = {
    ...nodeIo(),
    env: { ...process.env, ...GOOD_ENV },
    stdout: () => undefined,
    stderr: () => undefined,
  };
  const loaded = await loadConfig(join(dir, 'kaa.yaml'), base);
  const html = embedPageConfig(
    '<!doctype html>\n<html lang="en">\n<head>\n<title>kaa</title>\n</head>\n<body></body>\n</html>\n',
    pageSettingsOf(loaded),
  );
  const pageUrl = loaded.config.page.url;
  // the deployed page and nothing else: the doctor stops at step "token" (no clientCredentials in this config)
  const fetch: CliIo['fetch'] = async (url) =>
    url.split('?')[0] === pageUrl
      ? new Response(html, { status: 200, headers: { 'content-type': 'text/html' } })
      : Promise.reject(new Error(`no network in this test: ${url}`));
  return { loaded, io: { ...base, fetch } };
}

/** The page's steps 1 and 2 on the widget URL the desktop loads, then the decision page-steps passes on. */
async function pageDecision(c: Case, loaded: Awaited<ReturnType<typeof loadConfig>>): Promise<boolean> {
  const settings = parseSettings(pageSettingsOf(loaded));
  const xMetadata = JSON.stringify({ datatable: { name: 'kaa_bots', token: 'x-metadata-token', qDelimiter: '_' } });
  const query = `conversationid=c0a00000-0000-4000-8000-000000000001&environment=${encodeURIComponent(c.hostOrigin)}${c.targetEnv !== undefined ? `&targetenv=${c.targetEnv}` : ''}&genesysid=c1a00000-0000-4000-8000-00000000000b&multibot=true&x_metadata=${encodeURIComponent(xMetadata)}`;
  const secrets = createPageSecrets();
  const frame = {};
  const run = {
    env: {
      location: { search: `?${query}`, hash: '' },
      sessionStorage: createMemoryStorage(),
      window: { self: frame, top: {} },
      ancestorOrigins: [c.hostOrigin],
    },
    pageUrl: loaded.config.page.url,
    secrets,
    timeline: createTimeline(() => 0, secrets),
    logger: silentLogger,
    lifecycle: { trust: () => undefined },
    phase: Object.assign(() => undefined, { current: '' }),
    showDebug: () => undefined,
  } as unknown as PageRun;
  const { ctx } = await readContext(run);
  return allowsHttpLoopback(await findEnvironment(run, ctx, settings));
}

/** The doctor's step "environment" says whether http widget URLs on loopback are accepted. */
async function doctorDecision(loaded: Awaited<ReturnType<typeof loadConfig>>, io: CliIo): Promise<boolean> {
  const steps = await runDoctor(loaded, io, {
    conversationId: 'c0a00000-0000-4000-8000-000000000001',
    userId: 'a9e00000-0000-4000-8000-000000000001',
    widgetTimeoutMs: 5_000,
  });
  const environment = steps.find((s) => s.step === 'environment');
  expect(environment?.status, JSON.stringify(steps.slice(0, 2))).toBe('ok');
  return /http widget URLs on loopback accepted/.test(environment?.detail ?? '');
}

const localRow: BotRow = {
  QueueIdentifier: 'ALPHAINC',
  BotId: 'st-a1fa0000-0000-4000-8000-000000000001',
  ClientId: 'cs-a1fa0000-0000-4000-8000-000000000001',
  ClientSecret: 'alpha-secret-for-tests',
  AgentAssistWidgetURL: LOCAL_WIDGET,
  AudiohookEnabled: 'false',
};

describe('page, kaa doctor and the CLI decide "http on loopback" alike', () => {
  for (const c of cases) {
    it(`${c.name} → ${c.expected ? 'accepted' : 'refused'}`, async () => {
      const { loaded, io } = await setUp(c);
      const page = await pageDecision(c, loaded);
      const doctor = await doctorDecision(loaded, io);
      const cli = allowHttpLoopback(loaded);
      expect({ page, doctor, cli }).toEqual({ page: c.expected, doctor: c.expected, cli: c.expected });
      // what each does with an http widget URL on 127.0.0.1: the page's bot sources parse the row with its decision,
      // kaa lint / kaa table lint it with the CLI's options
      const parsed = (() => {
        try {
          return parseBotRow(localRow, { allowHttpLoopback: page }).agentAssistWidgetUrl;
        } catch (e) {
          return (e as Error).message.includes('AgentAssistWidgetURL') ? 'refused' : (e as Error).message;
        }
      })();
      expect(parsed).toBe(c.expected ? LOCAL_WIDGET : 'refused');
      const lint = lintBotTable([localRow], lintOptions(loaded)).filter(
        (f) => f.severity === 'error' && f.column === 'AgentAssistWidgetURL',
      );
      expect(lint.length).toBe(c.expected ? 0 : 1);
    }, 30_000);
  }
});
