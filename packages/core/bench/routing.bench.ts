/** resolveBotRecord on a 1,000-row table. Goal: ≤ 1 ms per lookup. */
import { bench, describe } from 'vitest';
import { indexBotRows, resolveBotRecord } from '@kaa/core';

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

describe('resolveBotRecord: 1,000-row table', () => {
  bench('cached index, same queue (page reload)', () => {
    resolveBotRecord('ALPHAINC_CUSTOMERSERVICE_16092024', index, options);
  });
  bench('cached index, a different queue each call', () => {
    resolveBotRecord(`TENANT${n++ % 999}_SALES`, index, options);
  });
  bench('raw rows: fresh index (first lookup scans) + row parsed, every call (cold)', () => {
    resolveBotRecord('ALPHAINC_CUSTOMERSERVICE_16092024', rows, options);
  });
  bench('not mapped (error path, cached index)', () => {
    try {
      resolveBotRecord('BETA_SALES_2024', index, options);
    } catch {
      // expected E_QUEUE_NOT_MAPPED
    }
  });
});
