/**
 * The paths a table or a URL can make large, at the sizes that froze the page before they were made linear
 * (2,000 rows sharing one QueueIdentifier took 14.7 s in the page; 32–48 KB crafted text took ~1.4 s to redact or to
 * check for `{{…}}`). Budgets (mean per iteration, on the 2-core CI box): 10,000 rows sharing an identifier
 * ≤ 250 ms to resolve and ≤ 2 s to lint (measured here: 15 ms and 0.96 s); each 48 KB crafted input ≤ 20 ms
 * (measured: 0.9–1.6 ms). Every iteration checks its result.
 */
import { bench, describe } from 'vitest';
import { isKaaError, lintBotTable, parseWidgetContext, redact, REDACTED, resolveBotRecord } from '@kaa/core';
import { benchWork } from '@kaa/test-support';

const WIDGET = 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html';
const shared = Array.from({ length: 10_000 }, (_, i) => ({
  QueueIdentifier: 'ALPHAINC',
  BotId: `st-${i}`,
  ClientId: `cs-${i}`,
  ClientSecret: `client-secret-${i}-abcdefgh`,
  AgentAssistWidgetURL: WIDGET,
  AudiohookEnabled: 'false',
  sys_Id: `sys-${i}`,
}));
const identical = Array.from({ length: 10_000 }, () => ({ ...shared[0] }));
const options = { qDelimiter: '_', tableName: 'kaa_bots' };

const ambiguous = benchWork('E_QUEUE_AMBIGUOUS under 2 KB', 1);
const linted = benchWork('duplicate findings', 9_999);
const tokens = benchWork('crafted text unchanged', 1);
const keys = benchWork('crafted text unchanged', 1);
const placeholders = benchWork('coded error', 1);

const RUN_OF_EYJ = 'eyJ'.repeat(16_384); // 48 KB
const BEGIN_LINES = '-----BEGIN PRIVATE KEY-----\n'.repeat(1_755); // 48 KB
const BASE =
  'https://kaa.example.com/koreaiaa-genesys/?genesysid=8d5e9c40-1111-4222-8333-944445555666&environment=https%3A%2F%2Fapps.mypurecloud.com';
const OPEN_SPACES = `${BASE}&conversationid=${encodeURIComponent(`{{${' '.repeat(48_000)}`)}`;

describe('linear paths: 10,000 rows sharing one identifier', () => {
  bench(
    'resolveBotRecord → E_QUEUE_AMBIGUOUS (fresh index each time, as a page load)',
    () => {
      try {
        resolveBotRecord('ALPHAINC_CUSTOMERSERVICE', shared, options);
        ambiguous.add(0);
      } catch (e) {
        ambiguous.add(isKaaError(e) && e.code === 'E_QUEUE_AMBIGUOUS' && e.message.length < 2000 ? 1 : 0);
      }
    },
    { ...ambiguous.options, time: 2000, iterations: 5 },
  );
  bench(
    'lintBotTable on 10,000 identical rows',
    () => {
      linted.add(lintBotTable(identical, options).filter((f) => f.code.startsWith('duplicate')).length);
    },
    { ...linted.options, time: 2000, iterations: 3 },
  );
});

describe('linear paths: 48 KB crafted inputs', () => {
  bench(
    'redact: 48 KB of "eyJ" without dots',
    () => {
      tokens.add(redact(RUN_OF_EYJ) === RUN_OF_EYJ ? 1 : 0);
    },
    { ...tokens.options, time: 1000, iterations: 10 },
  );
  bench(
    'redact: 48 KB of BEGIN PRIVATE KEY lines without END',
    () => {
      keys.add(
        redact(BEGIN_LINES) === BEGIN_LINES && redact(`${BEGIN_LINES}-----END PRIVATE KEY-----`) === REDACTED ? 1 : 0,
      );
    },
    { ...keys.options, time: 1000, iterations: 10 },
  );
  bench(
    'parseWidgetContext: "{{" then 48 KB of spaces',
    () => {
      try {
        parseWidgetContext(OPEN_SPACES);
        placeholders.add(0);
      } catch (e) {
        placeholders.add(isKaaError(e) && e.step === 'parameters' ? 1 : 0);
      }
    },
    { ...placeholders.options, time: 1000, iterations: 10 },
  );
});
