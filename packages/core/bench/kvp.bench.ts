/**
 * extractKvp (compiled once, evaluated many times) against jsonpath-plus on equivalent JSONPath expressions:
 * 5 paths on a 20-participant conversation. Goal: ≥ 5× faster.
 */
import { JSONPath } from 'jsonpath-plus';
import { bench, describe } from 'vitest';
import { extractKvp, parseKvpConfig } from '@kaa/core';
import { benchWork } from '@kaa/test-support';

const conversation = {
  id: 'c0a00000-0000-4000-8000-000000000001',
  participants: Array.from({ length: 20 }, (_, i) => ({
    id: `p-${i}`,
    purpose: i === 13 ? 'customer' : i % 3 === 0 ? 'acd' : 'agent',
    queueName: `ALPHAINC_CUSTOMERSERVICE_${i}`,
    userId: `u-${i}`,
    attributes: { accountId: `acct-${i}`, 'account id': `acct ${i}`, tier: i % 2 ? 'gold' : 'silver' },
    calls: [
      { id: `call-${i}`, state: i % 4 ? 'connected' : 'disconnected', held: false, segments: [{ type: 'Interact' }] },
    ],
  })),
};

const kvp = {
  queueName: 'participants[0].queueName',
  callStatus: 'participants[0].calls[0].state',
  lastQueue: 'participants[-1].queueName',
  accountId: 'participants[purpose=customer].attributes.accountId',
  accountName: 'participants[3].attributes["account id"]',
};
const jsonPaths = {
  queueName: '$.participants[0].queueName',
  callStatus: '$.participants[0].calls[0].state',
  lastQueue: '$.participants[-1:].queueName',
  accountId: "$.participants[?(@.purpose==='customer')].attributes.accountId",
  accountName: "$.participants[3].attributes['account id']",
};
const compiled = parseKvpConfig(JSON.stringify(kvp));

function viaJsonPath(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, path] of Object.entries(jsonPaths)) {
    const found = JSONPath({ path, json: conversation, wrap: true }) as unknown[];
    if (found.length > 0 && found[0] !== null) out[key] = found[0];
  }
  return out;
}

// The two must agree, or the comparison means nothing.
const ours = JSON.stringify(extractKvp(conversation, compiled).values);
const theirs = JSON.stringify(viaJsonPath());
if (ours !== theirs) throw new Error(`extractKvp and jsonpath-plus disagree: ${ours} vs ${theirs}`);

// every iteration must find all five values
const found = (values: Record<string, unknown>) => Object.values(values).filter((v) => v !== undefined).length;
const compiledWork = benchWork('values found', 5);
const rawWork = benchWork('values found', 5);
const jsonPathWork = benchWork('values found', 5);

describe('extractKvp: 5 paths, 20 participants', () => {
  bench(
    'kaa extractKvp (compiled once)',
    () => {
      compiledWork.add(found(extractKvp(conversation, compiled).values));
    },
    compiledWork.options,
  );
  bench(
    'kaa extractKvp (raw config, compiled per call)',
    () => {
      rawWork.add(found(extractKvp(conversation, kvp).values));
    },
    rawWork.options,
  );
  bench(
    'jsonpath-plus (equivalent JSONPath)',
    () => {
      jsonPathWork.add(found(viaJsonPath()));
    },
    jsonPathWork.options,
  );
});
