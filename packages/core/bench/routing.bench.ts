/**
 * resolveBotRecord on a 1,000-row table. Goal: ≤ 1 ms per lookup. The index keeps each parsed record (memoised), so
 * the "cached index" benches time a lookup in an index that has served that queue before (one page, many lookups);
 * the cold bench times what a page load does: a fresh index over the rows, one scan, one row parsed.
 */
import { bench, describe } from 'vitest';
import { indexBotRows, isKaaError, resolveBotRecord } from '@kaa/core';
import { benchWork } from '@kaa/test-support';

const rows = Array.from({ length: 1000 }, (_, i) => ({
  QueueIdentifier: i === 999 ? 'ALPHAINC, AlphaBackup' : `TENANT${i}, T${i}ALT`,
  BotId: `st-${i}`,
  ClientId: `cs-${i}`,
  ClientSecret: `secret-${i}`,
  AgentAssistWidgetURL: 'https://agentassist.kore.ai/koreagentassist-sdk-v3/UI/agentassist-iframe.html',
  AudiohookEnabled: i % 2 ? 'true' : 'False',
  JWEPublicKey: JSON.stringify({ kty: 'RSA', n: 'sXchbWQ0', e: 'AQAB', kid: `k${i}` }),
  KvpConfig: '{"queueName": "participants[0].queueName", "callStatus": "participants[0].calls[0].state"}',
  Algorithm: 'HS256',
  sys_Id: `sys-${i}`,
}));
const options = { qDelimiter: '_', tableName: 'kaa_bots' };
const index = indexBotRows(rows, options);
let n = 0;
// every iteration must resolve the right bot (or, on the error path, fail with the right code)
const same = benchWork('right bot resolved', 1);
const rotating = benchWork('right bot resolved', 1);
const cold = benchWork('right bot resolved', 1);
const unmapped = benchWork('E_QUEUE_NOT_MAPPED thrown', 1);

describe('resolveBotRecord: 1,000-row table', () => {
  bench(
    'cached index, same queue (a repeated lookup in one page)',
    () => {
      same.add(resolveBotRecord('ALPHAINC_CUSTOMERSERVICE_16092024', index, options).botId === 'st-999' ? 1 : 0);
    },
    same.options,
  );
  bench(
    'cached index, rotating over 999 queues (records memoised after the first round)',
    () => {
      const k = n++ % 999;
      rotating.add(resolveBotRecord(`TENANT${k}_SALES`, index, options).botId === `st-${k}` ? 1 : 0);
    },
    rotating.options,
  );
  bench(
    'raw rows: fresh index (first lookup scans) + row parsed, every call (cold)',
    () => {
      cold.add(resolveBotRecord('ALPHAINC_CUSTOMERSERVICE_16092024', rows, options).botId === 'st-999' ? 1 : 0);
    },
    cold.options,
  );
  bench(
    'not mapped (error path, cached index)',
    () => {
      try {
        resolveBotRecord('BETA_SALES_2024', index, options);
        unmapped.add(0);
      } catch (e) {
        unmapped.add(isKaaError(e) && e.code === 'E_QUEUE_NOT_MAPPED' ? 1 : 0);
      }
    },
    unmapped.options,
  );
});
